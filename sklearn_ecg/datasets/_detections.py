"""Rows at a detector's R-peaks, labelled beat or artifact: training data for artifact rejection."""

import os
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._context import DEFAULT_N_RR, DEFAULT_N_TEMPLATE, context_layout
from ..utils._signal import resample
from ..utils._sklearn_compat import Interval, validate_params
from ._base import (
    ALL_LEADS,
    check_lead,
    load_descr,
    read_signal,
)
from ._noise import _check_noise_spec, add_noise
from ._wfdb_beats import (
    DEFAULT_WINDOW,
    MATCH_WINDOW,
    _beat_annotations,
    _check_number,
    _match,
    pick_leads,
    resolve_records,
)

DETECTION_CLASSES = ("artifact", "beat")
"""Targets of :func:`load_wfdb_detections`: a detection with or without a reference beat."""


@validate_params(
    {
        "data_home": [str, os.PathLike],
        "records": [str, "array-like", None],
        "lead": [str, "array-like", None],
        "window": [Interval(Real, 0, None, closed="neither")],
        "annotator": [str],
        "target_fs": [Interval(Real, 0, None, closed="neither"), None],
        "n_rr": [Interval(Integral, 1, None, closed="left")],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "n_template": [Interval(Integral, 1, None, closed="left")],
        "noise": [dict, None],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_wfdb_detections(
    data_home,
    records=None,
    *,
    lead=None,
    window=DEFAULT_WINDOW,
    annotator="atr",
    target_fs=None,
    n_rr=DEFAULT_N_RR,
    n_next=1,
    n_template=DEFAULT_N_TEMPLATE,
    noise=None,
    return_X_y=False,
):
    """Context rows at wfdb's XQRS detections, each labelled beat or artifact.

    The training data of an artifact filter
    (:func:`~sklearn_ecg.pipelines.make_artifact_pipeline`): every
    recording (and, with ``noise``, every noisy copy of it) is run through
    :func:`~sklearn_ecg.preprocessing.segment_recording` exactly as
    :func:`~sklearn_ecg.annotation.annotate_signal` runs a new recording:
    XQRS detects the R-peaks on the signal as it is (noise included), and
    one context row is cut per detection, its template and R-R history
    built from the same detections.  A detection within 150 ms
    (``MATCH_WINDOW``) of a reference beat is a ``"beat"``, any other one
    an ``"artifact"``: noise, a T wave or a movement the detector took for
    a QRS complex.  Reference beats no detection found give no row.

    Parameters
    ----------
    data_home : str or path-like
        Folder holding the records (``<name>.hea``, the signal files and
        ``<name>.<annotator>``).
    records : None, str or list of str, default=None
        Records to read; None: the folder's ``RECORDS`` file, or every
        annotated ``*.hea``.
    lead : None, str or list of str, default=None
        The signal to read: a name, or names in order of preference; None
        reads each record's first signal.  Records without it are skipped
        with a ``UserWarning`` when ``records`` is None, and raise
        ``ValueError`` when named.
    window : float, default=4.0
        Length of each row's window in seconds.
    annotator : str, default="atr"
        Extension of the reference annotation files.
    target_fs : float, default=None
        Resample every record to this rate (Hz) before detection; needed
        when the records have different sampling frequencies.
    n_rr, n_next, n_template : int, default=512, 1, 64
        Previous and following R-R intervals per row and beats in the
        running template, as in :func:`load_wfdb_beats`.
    noise : dict, default=None
        Noisy copies of every record besides the clean one, with the keys
        of :func:`load_wfdb_beats`' ``noise`` (``kinds``, ``snr``,
        ``copies``, ``random_state``).  Each copy gets its own detections,
        so its artifacts are the ones that noise makes the detector find.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_detections, n_columns), dtype float32
            Context rows ``[window | template | rr]``.
        target : ndarray of shape (n_detections,), dtype str
            ``"beat"`` or ``"artifact"``.
        groups : ndarray of shape (n_detections,), dtype str
            Record of each detection; keep it in the cross-validation.
        r_peak : ndarray of shape (n_detections,), dtype int64
            Detected R-peak, a sample index at ``fs``.
        symbol : ndarray of shape (n_detections,), dtype str
            Symbol of the matched reference beat, "" for artifacts.
        noise_kind : ndarray of shape (n_detections,), dtype str
            Noise kind of the recording, "" for the clean one.
        noise_snr : ndarray of shape (n_detections,), dtype float64
            Its SNR in decibels, NaN for the clean one.
        fs : float
            Sampling frequency of the rows and of ``r_peak``.
        records : list of str
            Records read.
        lead : list of str
            Lead read from each record.
        lead_names : list of str
            The distinct leads read, in record order.
        layout : ContextLayout
            Column slices of the rows.
        target_names : ndarray of str
            ``DETECTION_CLASSES``.
        DESCR : str
            Description of the loader.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``data_home``, a record or an annotation file is missing.
    ValueError
        On a lead missing from a named record, ``lead="all"``, different
        sampling frequencies without ``target_fs``, or a bad ``noise`` spec.

    See Also
    --------
    load_wfdb_beats : One row per reference beat, labelled with its AAMI class.
    sklearn_ecg.pipelines.make_artifact_pipeline : The filter these rows train.
    sklearn_ecg.annotation.annotate_signal : Uses the filter on new recordings.

    Examples
    --------
    >>> from sklearn_ecg.datasets import DS1, get_data_home  # doctest: +SKIP
    >>> from sklearn_ecg.datasets import load_wfdb_detections  # doctest: +SKIP
    >>> rows = load_wfdb_detections(get_data_home(subdir="mitdb"), DS1, lead="MLII",
    ...                             noise={"kinds": "em", "random_state": 0})  # doctest: +SKIP
    >>> sorted(set(rows.target))  # doctest: +SKIP
    ['artifact', 'beat']
    """
    from ..preprocessing import segment_recording

    noise = _check_noise_spec(noise)
    window = _check_number(window, "window (seconds)")
    if target_fs is not None:
        target_fs = _check_number(target_fs, "target_fs (Hz)")
    lead = check_lead(lead)
    if lead == ALL_LEADS:
        raise ValueError(
            'lead="all" is not supported here: the detector runs on one signal. Name the lead '
            "(or a list of names in order of preference)."
        )
    data_home, names, explicit = resolve_records(data_home, records, annotator)
    headers, channels, rates, fs = pick_leads(
        data_home, names, lead, explicit=explicit, target_fs=target_fs, stacklevel=4
    )
    channels = {name: signals[0] for name, signals in channels.items()}
    n_copies = 0 if noise is None else noise["copies"]
    if noise is not None:
        rng = check_random_state(noise["random_state"])
        shape = (len(headers), n_copies)
        copy_kind = np.asarray(noise["kinds"])[
            rng.randint(len(noise["kinds"]), size=shape)
        ]
        copy_snr = rng.uniform(*noise["snr"], size=shape)
        copy_seed = rng.randint(np.iinfo(np.int32).max, size=shape)

    rows, target, groups, peaks, symbols, kinds, snrs = ([] for _ in range(7))
    tolerance = int(round(MATCH_WINDOW * fs))
    for i, name in enumerate(headers):
        reference, symbol = _beat_annotations(
            data_home / name, annotator, headers[name].sig_len
        )
        signal = read_signal(data_home / name, [channels[name]])[0]
        versions = [(signal, "", np.nan)]
        for c in range(n_copies):
            noisy = add_noise(
                signal,
                str(copy_kind[i, c]),
                float(copy_snr[i, c]),
                fs=rates[name],
                peaks=reference,
                random_state=int(copy_seed[i, c]),
            )
            versions.append((noisy, str(copy_kind[i, c]), float(copy_snr[i, c])))
        scaled = np.round(reference * (fs / rates[name])).astype(np.int64)
        for recording, kind, snr in versions:
            recording = resample(
                np.asarray(recording, dtype=np.float32), rates[name], fs
            )
            cut, found = segment_recording(
                recording,
                fs=fs,
                window=window,
                context=True,
                n_rr=n_rr,
                n_next=n_next,
                n_template=n_template,
            )
            matched = _match(found, scaled, tolerance)
            rows.append(cut.astype(np.float32, copy=False))
            target.append(np.where(matched >= 0, "beat", "artifact"))
            symbols.append(np.where(matched >= 0, symbol[np.maximum(matched, 0)], ""))
            groups.append(np.full(found.size, name))
            peaks.append(found)
            kinds.append(np.full(found.size, kind, dtype="<U8"))
            snrs.append(np.full(found.size, snr))

    X = np.concatenate(rows)
    y = np.concatenate(target)
    leads = [headers[n].sig_name[channels[n]] for n in headers]
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        groups=np.concatenate(groups),
        r_peak=np.concatenate(peaks).astype(np.int64),
        symbol=np.concatenate(symbols),
        noise_kind=np.concatenate(kinds),
        noise_snr=np.concatenate(snrs),
        fs=fs,
        records=list(headers),
        lead=leads,
        lead_names=list(dict.fromkeys(leads)),
        layout=context_layout(X.shape[1], fs, n_rr=n_rr, n_next=n_next),
        target_names=np.array(DETECTION_CLASSES),
        DESCR=load_descr("wfdb_detections.rst"),
    )
