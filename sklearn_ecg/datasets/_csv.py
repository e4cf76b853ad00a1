"""Loader for the widely shared 187-sample heartbeat CSV files (MIT-BIH and PTB)."""

import os
import warnings
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ..utils._sklearn_compat import validate_params
from ._base import load_descr
from ._mitbih import AAMI_CLASSES

HEARTBEAT_CSV_LENGTH = 187
"""Samples per beat in the heartbeat CSV files (at 125 Hz)."""

_TARGET_NAMES = {"mitbih": AAMI_CLASSES, "ptbdb": ("normal", "abnormal")}

_MAX_LABEL = 2**31 - 1
"""Largest label accepted in a file whose name does not say its classes."""


@validate_params(
    {"path": [str, os.PathLike], "return_X_y": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_heartbeat_csv(path, return_X_y=False):
    """Load one of the shared heartbeat CSV files (``mitbih_train.csv``, ...).

    These files (Kachuee et al., 2018) hold one beat per line: 187 samples at
    125 Hz, normalised to [0, 1] and zero-padded at the end, then the label,
    with no header. In ``mitbih_train.csv`` / ``mitbih_test.csv`` the labels
    0-4 are the AAMI classes N, S, V, F, Q; in ``ptbdb_normal.csv`` /
    ``ptbdb_abnormal.csv`` they are 0 (normal) and 1 (abnormal).

    Parameters
    ----------
    path : str or path-like
        The CSV file.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : ndarray of shape (n_beats, 187), dtype float32
            The beats.
        target : ndarray of shape (n_beats,), dtype int64
            The label of each beat.
        target_names : tuple of str or None
            Class name of each label value, from the file name: the AAMI
            classes for ``mitbih*`` files, ("normal", "abnormal") for
            ``ptbdb*`` files, None otherwise.
        fs : float
            Sampling frequency, 125 Hz.
        DESCR : str
            Description of the files.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        Naming the file and the line, if a line is not 188 numbers, a value
        is missing or not finite, a sample is beyond the float32 range, or a
        label is not a non-negative integer:
        one of 0-4 in ``mitbih*`` files, 0 or 1 in ``ptbdb*`` files, at
        most ``2**31 - 1`` otherwise.

    See Also
    --------
    load_mitbih : Beats with rhythm context from the original MIT-BIH records.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from sklearn_ecg.datasets import load_heartbeat_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "mitbih_test.csv")
    >>> rows = np.hstack([np.zeros((2, 187)), [[0], [2]]])
    >>> np.savetxt(path, rows, delimiter=",")
    >>> beats = load_heartbeat_csv(path)
    >>> beats.data.shape, beats.target.tolist(), beats.target_names[2]
    ((2, 187), [0, 2], 'V')
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Heartbeat CSV file {str(path)!r} does not exist.")
    n_columns = HEARTBEAT_CSV_LENGTH + 1
    try:
        with warnings.catch_warnings():
            # an empty file gets the error below, not numpy's warning
            warnings.filterwarnings("ignore", "loadtxt: input contained no data")
            table = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise ValueError(
            f"{str(path)!r} is not a heartbeat CSV file ({n_columns} comma-separated numbers per "
            f"line, no header): {exc}"
        ) from exc
    if table.shape[0] == 0:
        raise ValueError(f"{str(path)!r} holds no rows.")
    if table.shape[1] != n_columns:
        raise ValueError(
            f"{str(path)!r} has {table.shape[1]} columns per line but a heartbeat CSV file has "
            f"{n_columns} ({HEARTBEAT_CSV_LENGTH} samples and the label)."
        )
    if not np.isfinite(table).all():
        row = int(np.flatnonzero(~np.isfinite(table).all(axis=1))[0]) + 1
        raise ValueError(
            f"{str(path)!r} holds a missing or non-finite value on line {row}."
        )
    too_large = np.abs(table[:, :-1]) > np.finfo(np.float32).max
    if too_large.any():
        row = int(np.flatnonzero(too_large.any(axis=1))[0]) + 1
        raise ValueError(
            f"{str(path)!r} holds a sample beyond the float32 range (|x| > 3.4e38) the "
            f"beats are returned in, on line {row}."
        )
    labels = table[:, -1]
    prefix = next((p for p in _TARGET_NAMES if path.name.lower().startswith(p)), None)
    n_classes = len(_TARGET_NAMES[prefix]) if prefix else _MAX_LABEL + 1
    bad = (labels < 0) | (labels != np.round(labels)) | (labels >= n_classes)
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        expected = (
            f"a non-negative integer, one of 0..{n_classes - 1} (the classes "
            f"{', '.join(_TARGET_NAMES[prefix])} of {prefix}* files)"
            if prefix
            else f"a non-negative integer no larger than {_MAX_LABEL}"
        )
        raise ValueError(
            f"{str(path)!r}: the label (last column) must be {expected}; "
            f"line {row} has {labels[row - 1]!r}."
        )
    X = table[:, :-1].astype(np.float32)
    y = labels.astype(np.int64)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        target_names=_TARGET_NAMES.get(prefix),
        fs=125.0,
        DESCR=load_descr("heartbeat_csv.rst"),
    )
