"""MIT-BIH Arrhythmia Database loader: one context window per annotated beat."""

import warnings

import numpy as np
from sklearn.utils import Bunch

from ._base import check_folder, get_data_home, load_descr, read_header, read_signal

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

AAMI_CLASSES = ("N", "S", "V", "F", "Q")
"""AAMI EC57 heartbeat classes."""

AAMI_SYMBOL_MAP = {
    **dict.fromkeys(("N", "L", "R", "e", "j"), "N"),
    **dict.fromkeys(("A", "a", "J", "S"), "S"),
    **dict.fromkeys(("V", "E"), "V"),
    "F": "F",
    **dict.fromkeys(("/", "f", "Q"), "Q"),
}
"""MIT-BIH beat annotation symbol -> AAMI class. Other symbols are not beats."""

DEFAULT_WINDOW = 4.0
"""Default context window of :func:`load_mitbih` and ``make_ecg_beats``, in seconds."""

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


def _beat_annotations(record_path):
    """Return (samples, symbols) of the beat annotations of one record."""
    import wfdb

    try:
        ann = wfdb.rdann(str(record_path), "atr")
    except FileNotFoundError:
        raise FileNotFoundError(f"Annotation file {str(record_path)!r}.atr does not exist.") from None
    except Exception as exc:
        raise ValueError(f"Could not read the annotation file {str(record_path)!r}.atr: {exc}") from exc
    symbols = np.asarray(ann.symbol, dtype="<U1")
    keep = np.isin(symbols, list(AAMI_SYMBOL_MAP))
    return np.asarray(ann.sample, dtype=np.int64)[keep], symbols[keep]


def _to_aami(symbols):
    lookup = np.array(list(AAMI_SYMBOL_MAP), dtype="<U1")
    classes = np.array(list(AAMI_SYMBOL_MAP.values()), dtype="<U1")
    order = np.argsort(lookup)
    return classes[order][np.searchsorted(lookup[order], symbols)]


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

    data_home.mkdir(parents=True, exist_ok=True)
    wfdb.dl_database("mitdb", dl_dir=str(data_home))


def load_mitbih(
    data_home=None,
    records=None,
    lead="MLII",
    window=DEFAULT_WINDOW,
    return_X_y=False,
    download=False,
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
        of every record.
    window : float, default=4.0
        Length of each context window in seconds (2 s either side of the beat
        by default).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    download : bool, default=False
        If True and the records are not in ``data_home``, download the
        database from PhysioNet with ``wfdb.dl_database`` first.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_beats, n_window), dtype float32
            Context windows in millivolts; the R-peak is at ``n_window // 2``.
        target : ndarray of shape (n_beats,), dtype str
            AAMI class of each beat: one of "N", "S", "V", "F", "Q".
        groups : ndarray of shape (n_beats,), dtype str
            Record (patient) of each beat, e.g. "100"; use it for grouped
            cross-validation.
        fs : float
            Sampling frequency in Hz (360).
        r_peak : ndarray of shape (n_beats,), dtype int64
            Sample index of the annotated R-peak in its record.
        symbol : ndarray of shape (n_beats,), dtype str
            Original MIT-BIH annotation symbol.
        center : int
            Index of the R-peak in every window, ``n_window // 2``.
        records : list of str
            Records loaded, in row order.
        lead : list of str
            Lead read from each loaded record.
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
    make_ecg_beats : Synthetic beats with the same layout, for offline use.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_mitbih  # doctest: +SKIP
    >>> beats = load_mitbih(records=["100"])  # doctest: +SKIP
    >>> beats.data.shape, beats.fs  # doctest: +SKIP
    ((2273, 1440), 360.0)
    """
    names, explicit = _resolve_records(records)
    if isinstance(window, bool) or not isinstance(window, (int, float, np.number)) or not window > 0:
        raise ValueError(f"window must be a positive number of seconds; got {window!r}.")
    if lead is not None and not isinstance(lead, str):
        raise TypeError(f"lead must be a signal name such as 'MLII', or None; got {lead!r}.")
    data_home = get_data_home(data_home, subdir="mitdb")
    if download and not all((data_home / f"{n}.hea").is_file() for n in names):
        _download(data_home)
    check_folder(data_home, dataset="MIT-BIH Arrhythmia Database", how_to=_HOW_TO + ".")
    missing = [n for n in names if not (data_home / f"{n}.hea").is_file()]
    if missing:
        raise FileNotFoundError(
            f"MIT-BIH record(s) {missing} not found in {str(data_home)!r}. {_HOW_TO}."
        )

    headers, channels, skipped = {}, {}, []
    for name in names:
        header = read_header(data_home / name)
        if lead is None:
            channels[name] = 0
        elif lead in header.sig_name:
            channels[name] = header.sig_name.index(lead)
        elif explicit:
            raise ValueError(
                f"Record {name} has no lead {lead!r}; it holds {header.sig_name}. "
                "Pass another lead, or lead=None for each record's first signal."
            )
        else:
            skipped.append(name)
            continue
        headers[name] = header
    if not headers:
        raise ValueError(
            f"No requested record holds lead {lead!r} (records: {names}). "
            "MIT-BIH leads are MLII, V1, V2, V4 and V5."
        )
    if skipped:
        warnings.warn(
            f"Records {skipped} have no lead {lead!r} and were skipped; "
            "pass lead=None to read each record's first signal instead.",
            UserWarning,
            stacklevel=2,
        )
    rates = {float(h.fs) for h in headers.values()}
    if len(rates) != 1:
        raise ValueError(f"Records have different sampling frequencies {sorted(rates)}.")
    fs = rates.pop()
    n_window = int(round(window * fs))
    if n_window < 1:
        raise ValueError(f"window={window} s is shorter than one sample at {fs} Hz.")
    center = n_window // 2

    loaded = list(headers)
    beats = _mitbih_beats(data_home, loaded)
    for name in loaded:
        samples, aami, symbols = beats[name]
        inside = (samples >= 0) & (samples < headers[name].sig_len)
        beats[name] = (samples[inside], aami[inside], symbols[inside])
    n_beats = sum(len(b[0]) for b in beats.values())

    X = np.empty((n_beats, n_window), dtype=np.float32)
    start = 0
    for name in loaded:
        samples = beats[name][0]
        signal = read_signal(data_home / name, [channels[name]])[0]
        padded = np.pad(signal, (center, n_window - center - 1), mode="edge")
        # window of the beat at sample r starts at padded index r
        stop = start + len(samples)
        X[start:stop] = np.lib.stride_tricks.sliding_window_view(padded, n_window)[samples]
        start = stop

    y = np.concatenate([beats[n][1] for n in loaded])
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        groups=np.concatenate([np.full(len(beats[n][0]), n) for n in loaded]),
        fs=fs,
        r_peak=np.concatenate([beats[n][0] for n in loaded]),
        symbol=np.concatenate([beats[n][2] for n in loaded]),
        center=center,
        records=loaded,
        lead=[headers[n].sig_name[channels[n]] for n in loaded],
        DESCR=load_descr("mitbih.rst"),
    )
