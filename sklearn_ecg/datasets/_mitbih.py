"""MIT-BIH Arrhythmia Database loader: one context window per annotated beat."""

import os
from numbers import Integral, Real

import numpy as np

from .._context import DEFAULT_N_RR, DEFAULT_N_TEMPLATE
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._base import check_folder, get_data_home
from ._wfdb_beats import (  # noqa: F401  (AAMI names are public here too)
    AAMI_CLASSES,
    AAMI_SYMBOL_MAP,
    DEFAULT_WINDOW,
    _beat_annotations,
    _load_beats,
    _to_aami,
)

RECORDS = (
    "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "111", "112",
    "113", "114", "115", "116", "117", "118", "119", "121", "122", "123", "124", "200",
    "201", "202", "203", "205", "207", "208", "209", "210", "212", "213", "214", "215",
    "217", "219", "220", "221", "222", "223", "228", "230", "231", "232", "233", "234",
)  # fmt: skip
"""The 48 records of the MIT-BIH Arrhythmia Database."""

PACED_RECORDS = ("102", "104", "107", "217")
"""Records with a pacemaker, excluded from the de Chazal inter-patient split."""

DS1 = (
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
    "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230",
)  # fmt: skip
"""de Chazal et al. (2004) training records (22, paced records excluded)."""

DS2 = (
    "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210",
    "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234",
)  # fmt: skip
"""de Chazal et al. (2004) test records (22, paced records excluded)."""

_HOW_TO = (
    "Pass download=True, or fetch it with wfdb.dl_database('mitdb', dl_dir=<folder>) "
    "and pass data_home=<folder>"
)


def _resolve_records(records):
    """Return (record names, explicit) where explicit means the user named them."""
    if records is None:
        return list(RECORDS), False
    if isinstance(records, (int, np.integer)) and not isinstance(records, bool):
        records = str(records)
    if isinstance(records, str):
        if records in ("DS1", "DS2"):
            return list(DS1 if records == "DS1" else DS2), False
        if records in RECORDS:
            return [records], True
        raise ValueError(
            f"records must be None, 'DS1', 'DS2' or a list of MIT-BIH record names; "
            f"got {records!r}. Valid record names: {', '.join(RECORDS)}."
        )
    names = [str(r) for r in records]
    unknown = [r for r in names if r not in RECORDS]
    if unknown:
        raise ValueError(
            f"records holds unknown MIT-BIH record name(s) {unknown}. "
            f"Valid record names: {', '.join(RECORDS)}."
        )
    if not names:
        raise ValueError("records is an empty list; name at least one record.")
    if len(set(names)) != len(names):
        raise ValueError(f"records holds duplicate names: {names}.")
    return names, True


def _mitbih_beats(data_home, records):
    """Beat annotations per record, without reading any signal.

    Returns a dict record name -> (samples, AAMI classes, symbols). The totals
    match what :func:`load_mitbih` loads for records that hold the lead.
    """
    out = {}
    for name in records:
        samples, symbols = _beat_annotations(data_home / name)
        out[name] = (samples, _to_aami(symbols), symbols)
    return out


def _download(data_home):
    import wfdb

    try:
        data_home.mkdir(parents=True, exist_ok=True)
        wfdb.dl_database("mitdb", dl_dir=str(data_home))
    except Exception as exc:  # requests/urllib/OS errors, all meaning "no data"
        raise OSError(
            f"Downloading the MIT-BIH Arrhythmia Database from PhysioNet failed "
            f"({type(exc).__name__}: {exc}). Check the network connection, or put the "
            f"records (100.hea, 100.dat, 100.atr, ...; https://physionet.org/content/mitdb/) "
            f"in {str(data_home)!r} by hand and call again with download=False."
        ) from exc


@validate_params(
    {
        "data_home": [str, os.PathLike, None],
        "records": [str, Integral, "array-like", None],
        "lead": [str, None],
        "window": [Interval(Real, 0, None, closed="neither")],
        "return_X_y": ["boolean"],
        "download": ["boolean"],
        "context": ["boolean"],
        "peaks": [StrOptions({"annotations", "xqrs"})],
        "target_fs": [Interval(Real, 0, None, closed="neither"), None],
        "n_rr": [Interval(Integral, 1, None, closed="left")],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "n_template": [Interval(Integral, 1, None, closed="left")],
        "noise": [dict, None],
    },
    prefer_skip_nested_validation=True,
)
def load_mitbih(
    data_home=None,
    records=None,
    lead="MLII",
    window=DEFAULT_WINDOW,
    return_X_y=False,
    download=False,
    *,
    context=False,
    peaks="annotations",
    target_fs=None,
    n_rr=DEFAULT_N_RR,
    n_next=1,
    n_template=DEFAULT_N_TEMPLATE,
    noise=None,
):
    """Load the MIT-BIH Arrhythmia Database as one context window per beat.

    Every annotated beat becomes one row: a ``window``-second stretch of the
    chosen lead centred on the annotated R-peak, so the neighbouring beats
    (and with them the RR intervals) stay visible. The R-peak sits at index
    ``n_window // 2`` of each row, with ``n_window = round(window * fs)``.
    Windows running past either end of a record are padded by repeating the
    first or last sample, so no beat is dropped. Non-beat annotations
    (rhythm changes, noise, ...) are dropped; beat symbols are mapped to the
    AAMI EC57 classes N, S, V, F, Q (see ``AAMI_SYMBOL_MAP``).

    With ``context=True`` every row also carries its record context at the
    end, ``[window | template | rr]``: the R-R intervals over the previous
    minutes and the patient's running beat template (see
    :func:`load_wfdb_beats`, which this function wraps with the MIT-BIH
    record names and the DS1/DS2 split).

    Read more in the dataset description (``DESCR``).

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding the records (``100.hea``, ``100.dat``, ``100.atr``,
        ...). When None, ``$SKLEARN_ECG_DATA/mitdb`` if that environment
        variable is set, else ``~/sklearn_ecg_data/mitdb``.
    records : None, {"DS1", "DS2"} or list of str, default=None
        Which records to load: all 48, one of the de Chazal (2004)
        inter-patient sets (22 records each, paced records excluded) or the
        named records.
    lead : str or None, default="MLII"
        Signal name to read. When ``records`` is None, "DS1" or "DS2", records
        without this lead are skipped with a ``UserWarning`` (with "MLII",
        records 102 and 104 are skipped); when records are named explicitly,
        a record without it raises ``ValueError``. None reads the first signal
        of every record; "all" reads both signals of every record, one block
        of rows per record and lead (same beats, labels and groups), so a
        model learns beats rather than one lead.
    window : float, default=4.0
        Length of each context window in seconds (2 s either side of the beat
        by default).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    download : bool, default=False
        If True and the records are not in ``data_home``, download the
        database from PhysioNet with ``wfdb.dl_database`` first.
    context : bool, default=False
        Append the running template and R-R interval columns to every row
        (see :func:`load_wfdb_beats`).
    peaks : {"annotations", "xqrs"}, default="annotations"
        R-peaks from the reference annotations, or from wfdb's XQRS
        detector labelled by the reference beat within 150 ms (deployment
        conditions; see :func:`load_wfdb_beats`).
    target_fs : float, default=None
        Resample the records to this rate (Hz) first.
    n_rr, n_next, n_template : int, default=512, 1, 64
        Previous and following R-R intervals per row and beats in the
        running template (``context=True`` only).
    noise : dict, default=None
        Noise augmentation for training: noisy copies of every record's
        rows after the clean ones, e.g. ``{"kinds": ("bw", "em", "ma"),
        "snr": (6, 24), "copies": 1, "random_state": 0}`` (see
        :func:`load_wfdb_beats`).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_beats, n_columns), dtype float32
            Context windows in millivolts; the R-peak is at ``n_window // 2``.
            With ``context=True``, context rows ``[window | template | rr]``.
        target : ndarray of shape (n_beats,), dtype str
            AAMI class of each beat: one of "N", "S", "V", "F", "Q".
        groups : ndarray of shape (n_beats,), dtype str
            Record (patient) of each beat, e.g. "100"; use it for grouped
            cross-validation.
        fs : float
            Sampling frequency in Hz (360, or ``target_fs``).
        r_peak : ndarray of shape (n_beats,), dtype int64
            Sample index of the R-peak in its record (at 360 Hz).
        symbol : ndarray of shape (n_beats,), dtype str
            Original MIT-BIH annotation symbol.
        center : int
            Index of the R-peak in every window, ``n_window // 2``.
        records : list of str
            Records loaded, in row order.
        lead : list of str
            Lead of each block of rows: one per loaded record, or with
            ``lead="all"`` one per record and signal, in row order.
        lead_names : list of str
            The distinct leads read, in record order: one name unless the
            records' chosen signals differ.
        row_lead : ndarray of shape (n_beats,), dtype str
            Lead of each row.
        target_names : ndarray of str
            The AAMI classes ("N", "S", "V", "F", "Q").
        layout, template, rr
            The column slices and views of the context blocks
            (``context=True`` only; see :func:`load_wfdb_beats`).
        noise_kind, noise_snr, noise
            Noise kind and SNR of each row ("" and NaN for clean rows) and
            the spec (``noise`` only; see :func:`load_wfdb_beats`).
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``data_home`` or a record is missing and ``download`` is False.
    ValueError
        On an unknown record name, a lead missing from a named record, or an
        unreadable header or annotation file.

    See Also
    --------
    load_wfdb_beats : Any beat-annotated WFDB database.
    make_ecg_beats : Synthetic beats with the same layout, for offline use.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_mitbih  # doctest: +SKIP
    >>> beats = load_mitbih(records=["100"])  # doctest: +SKIP
    >>> beats.data.shape, beats.fs  # doctest: +SKIP
    ((2273, 1440), 360.0)
    """
    names, explicit = _resolve_records(records)
    data_home = get_data_home(data_home, subdir="mitdb")
    if download and not all((data_home / f"{n}.hea").is_file() for n in names):
        _download(data_home)
    check_folder(data_home, dataset="MIT-BIH Arrhythmia Database", how_to=_HOW_TO + ".")
    missing = [n for n in names if not (data_home / f"{n}.hea").is_file()]
    if missing:
        raise FileNotFoundError(
            f"MIT-BIH record(s) {missing} not found in {str(data_home)!r}. {_HOW_TO}."
        )

    return _load_beats(
        data_home,
        names,
        explicit=explicit,
        lead=lead,
        window=window,
        peaks=peaks,
        annotator="atr",
        target_fs=target_fs,
        context=context,
        n_rr=n_rr,
        n_next=n_next,
        n_template=n_template,
        return_X_y=return_X_y,
        noise=noise,
        descr="mitbih.rst",
    )
