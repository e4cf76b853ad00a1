"""PTB-XL loader (PhysioNet layout) with the label aggregations of Strodthoff et al. 2020."""

import ast
import csv
import io
import os
from numbers import Integral

import numpy as np
from sklearn.utils import Bunch

from ..utils._sklearn_compat import Options, StrOptions, validate_params
from ._base import (
    check_folder,
    get_data_home,
    load_descr,
    read_header,
    read_signal,
    read_text,
)
from ._bunch import with_renamed_key

PTBXL_TASKS = (
    "all",
    "diagnostic",
    "subdiagnostic",
    "superdiagnostic",
    "form",
    "rhythm",
)
"""Label sets of :func:`load_ptbxl`, as in Strodthoff et al. (2020)."""

_HOW_TO = (
    "Download PTB-XL from https://physionet.org/content/ptb-xl/ (it holds ptbxl_database.csv, "
    "scp_statements.csv, records100/ and records500/) and pass data_home=<that folder>"
)


def _is_one(value):
    try:
        return float(value) == 1.0
    except ValueError:
        return False


def _read_statements(path):
    """SCP code -> row of scp_statements.csv (first column is the code)."""
    with io.StringIO(read_text(path, what="scp_statements.csv"), newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        required = {
            "diagnostic",
            "form",
            "rhythm",
            "diagnostic_class",
            "diagnostic_subclass",
        }
        if header is None or not required <= set(header):
            raise ValueError(
                f"{str(path)!r} must be PTB-XL's scp_statements.csv with the columns "
                f"{sorted(required)}; got the header {header}."
            )
        return {row[0]: dict(zip(header, row)) for row in reader if row}


def _labels(scp_codes, task, statements):
    """Labels of one record for ``task`` (a sorted list, possibly empty)."""
    codes = scp_codes.keys()
    if task == "all":
        return sorted(codes)
    if task in ("form", "rhythm"):
        return sorted(
            c for c in codes if c in statements and _is_one(statements[c][task])
        )
    diagnostic = [
        c for c in codes if c in statements and _is_one(statements[c]["diagnostic"])
    ]
    if task == "diagnostic":
        return sorted(diagnostic)
    column = "diagnostic_subclass" if task == "subdiagnostic" else "diagnostic_class"
    return sorted({statements[c][column] for c in diagnostic if statements[c][column]})


@validate_params(
    {
        "data_home": [str, os.PathLike, None],
        "task": [StrOptions(set(PTBXL_TASKS))],
        "sampling_rate": [Options(Integral, {100, 500})],
        "leads": ["array-like", None],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_ptbxl(
    data_home=None,
    task="superdiagnostic",
    sampling_rate=100,
    leads=None,
    return_X_y=False,
):
    """Load the PTB-XL 12-lead ECG database with multi-label targets.

    Labels are aggregated from the SCP-ECG statements of each record as in
    the PTB-XL benchmark of Strodthoff et al. (2020): every statement
    (``"all"``, 71 labels), diagnostic statements (``"diagnostic"``, 44),
    their subclasses (``"subdiagnostic"``, 23) or superclasses
    (``"superdiagnostic"``, 5: CD, HYP, MI, NORM, STTC), form statements
    (``"form"``, 19) or rhythm statements (``"rhythm"``, 12). As in the
    benchmark, statement likelihoods are ignored and records without any
    label for the task are dropped. The recommended split trains on
    ``strat_fold`` 1-8, validates on 9 and tests on 10.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``ptbxl_database.csv``, ``scp_statements.csv``,
        ``records100/`` and ``records500/``. When None,
        ``$SKLEARN_ECG_DATA/ptbxl`` if that environment variable is set, else
        ``~/sklearn_ecg_data/ptbxl``.
    task : {"all", "diagnostic", "subdiagnostic", "superdiagnostic", \
            "form", "rhythm"}, default="superdiagnostic"
        Which label set to return.
    sampling_rate : {100, 500}, default=100
        Read the 100 Hz (``filename_lr``) or 500 Hz (``filename_hr``) records.
    leads : list of str or None, default=None
        Lead names to keep, in the given order (case-insensitive, e.g.
        ``["I", "II", "V1"]``); None keeps all 12.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : ndarray of shape (n_records, n_leads, n_samples), dtype float32
            Signals in mV; ``n_samples`` is 1000 at 100 Hz, 5000 at 500 Hz.
            All 21,799 records take about 1 GB at 100 Hz, 5 GB at 500 Hz.
        target : ndarray of shape (n_records, n_classes), dtype int64
            Label indicator matrix.
        target_names : ndarray of shape (n_classes,), dtype str
            Label names (sorted), one per column of ``target``.
        classes : ndarray of shape (n_classes,), dtype str
            Deprecated alias of ``target_names`` (reading it warns with a
            ``FutureWarning``); it will be removed in 0.4.
        strat_fold : ndarray of shape (n_records,), dtype int64
            Stratified fold (1-10) of each record; patients never span folds.
        groups : ndarray of shape (n_records,), dtype int64
            Patient of each record, for grouped cross-validation.
        patient_id : ndarray of shape (n_records,), dtype int64
            Same as ``groups`` (PTB-XL's column name).
        ecg_id : ndarray of shape (n_records,), dtype int64
            PTB-XL record id.
        fs : float
            Sampling frequency in Hz.
        lead_names : list of str
            Lead of each channel.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    make_multilabel_ecg : Synthetic multi-label 12-lead records for offline use.
    load_physionet_challenge : The PhysioNet/CinC 2020/2021 12-lead records.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_ptbxl  # doctest: +SKIP
    >>> ptbxl = load_ptbxl(task="superdiagnostic")  # doctest: +SKIP
    >>> ptbxl.data.shape[1:], ptbxl.target_names.tolist()  # doctest: +SKIP
    ((12, 1000), ['CD', 'HYP', 'MI', 'NORM', 'STTC'])
    """
    data_home = get_data_home(data_home, subdir="ptbxl")
    check_folder(data_home, dataset="PTB-XL", how_to=_HOW_TO + ".")
    for name in ("ptbxl_database.csv", "scp_statements.csv"):
        if not (data_home / name).is_file():
            raise FileNotFoundError(
                f"{name} not found in {str(data_home)!r}. {_HOW_TO}."
            )
    statements = _read_statements(data_home / "scp_statements.csv")

    database = data_home / "ptbxl_database.csv"
    column = "filename_lr" if sampling_rate == 100 else "filename_hr"
    rows = []
    with io.StringIO(read_text(database, what="ptbxl_database.csv"), newline="") as f:
        reader = csv.DictReader(f)
        required = {"ecg_id", "patient_id", "scp_codes", "strat_fold", column}
        if reader.fieldnames is None or not required <= set(reader.fieldnames):
            raise ValueError(
                f"{str(database)!r} must have the columns {sorted(required)}; "
                f"got {reader.fieldnames}."
            )
        for line, row in enumerate(reader, start=2):
            try:
                scp_codes = ast.literal_eval(row["scp_codes"])
                if not isinstance(scp_codes, dict):
                    raise ValueError("not a dict")
                record = (
                    int(float(row["ecg_id"])),
                    int(float(row["patient_id"])),
                    int(float(row["strat_fold"])),
                    row[column],
                    _labels(scp_codes, task, statements),
                )
            except (ValueError, SyntaxError, TypeError) as exc:
                raise ValueError(
                    f"{str(database)!r}, line {line}: cannot parse the row ({exc})."
                ) from exc
            if record[4]:
                rows.append(record)
    if not rows:
        raise ValueError(
            f"No record of {str(database)!r} has a label for task={task!r}."
        )

    first = read_header(data_home / rows[0][3])
    names = [n.upper() for n in first.sig_name]
    if leads is None:
        channels = list(range(len(names)))
    else:
        if isinstance(leads, str):
            raise TypeError(
                f"leads must be a list of lead names or None; got the string {leads!r}."
            )
        wanted = [str(lead).upper() for lead in leads]
        unknown = [lead for lead in leads if str(lead).upper() not in names]
        if unknown or not wanted:
            raise ValueError(
                f"leads must name leads among {first.sig_name}; got {list(leads)}."
            )
        channels = [names.index(lead) for lead in wanted]
    n_samples = first.sig_len

    X = np.empty((len(rows), len(channels), n_samples), dtype=np.float32)
    for i, (_, _, _, filename, _) in enumerate(rows):
        signal = read_signal(data_home / filename, channels)
        if signal.shape[-1] != n_samples:
            raise ValueError(
                f"Record {filename!r} has {signal.shape[-1]} samples but the first record has "
                f"{n_samples}; PTB-XL records are all 10 s long."
            )
        X[i] = signal

    classes = np.array(sorted({label for row in rows for label in row[4]}))
    index = {c: j for j, c in enumerate(classes)}
    y = np.zeros((len(rows), len(classes)), dtype=np.int64)
    hits = [(i, index[label]) for i, row in enumerate(rows) for label in row[4]]
    y[tuple(np.array(hits).T)] = 1
    if return_X_y:
        return X, y
    bunch = Bunch(
        data=X,
        target=y,
        target_names=classes,
        strat_fold=np.array([r[2] for r in rows], dtype=np.int64),
        groups=np.array([r[1] for r in rows], dtype=np.int64),
        patient_id=np.array([r[1] for r in rows], dtype=np.int64),
        ecg_id=np.array([r[0] for r in rows], dtype=np.int64),
        fs=float(first.fs),
        lead_names=[first.sig_name[c] for c in channels],
        DESCR=load_descr("ptbxl.rst"),
    )
    return with_renamed_key(bunch, "classes", "target_names")
