"""Beats of any beat-annotated WFDB database: one context window (and record context) per beat."""

import os
import warnings
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._context import (
    DEFAULT_N_RR,
    DEFAULT_N_TEMPLATE,
    context_layout,
    record_context,
    template_length,
)
from ..preprocessing import detect_r_peaks
from ..utils._signal import resample
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._base import (
    ALL_LEADS,
    check_lead,
    load_descr,
    pick_channel,
    read_annotations,
    read_header,
    read_signal,
    read_wfdb_header,
)
from ._noise import _check_noise_spec, add_noise

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
"""Default context window of the beat loaders and ``make_ecg_beats``, in seconds."""

MATCH_WINDOW = 0.15
"""Seconds within which a detected peak takes the label of a reference beat (EC57, ``bxb``)."""

_PEAKS = ("annotations", "xqrs")


def _beat_annotations(record_path, annotator="atr", sig_len=None):
    """Return (samples, symbols) of the beat annotations of one record.

    The file is checked by :func:`read_annotations` (inside ``sig_len``
    samples when given) and must hold at least one beat.
    """
    samples, symbols = read_annotations(record_path, annotator, sig_len=sig_len)
    keep = np.isin(symbols, list(AAMI_SYMBOL_MAP))
    if not keep.any():
        raise ValueError(
            f"The annotation file {f'{record_path}.{annotator}'!r} holds no beat annotation "
            f"(symbols {sorted(set(symbols.tolist()))}); expected beat symbols "
            f"{''.join(AAMI_SYMBOL_MAP)}."
        )
    return samples[keep], symbols[keep]


def _missing_annotation(record, extension):
    """``FileNotFoundError`` for a missing annotation file, naming the record's other annotators."""
    record = Path(record)
    found = sorted(
        {p.suffix[1:] for p in record.parent.glob(f"{record.name}.*")} - {"hea", "dat"}
    )
    hint = f" Annotation files of this record: {', '.join(found)}." if found else ""
    return FileNotFoundError(
        f"Annotation file {str(record)!r}.{extension} does not exist.{hint} Pass the extension of "
        "an existing annotation file."
    )


@validate_params(
    {
        "record": [str, os.PathLike],
        "extension": [str],
        "beats_only": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def read_wfdb_annotation(record, extension="atr", *, beats_only=False):
    """Read a WFDB annotation file of a record with :func:`wfdb.rdann`.

    Parameters
    ----------
    record : str or path-like
        Record path without extension (``.../mitdb/100``).
    extension : str, default="atr"
        Extension of the annotation file (its annotator name).
    beats_only : bool, default=False
        Keep only the beat annotations (the symbols of ``AAMI_SYMBOL_MAP``),
        dropping rhythm changes, noise and other non-beat annotations.

    Returns
    -------
    annotation : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        sample : ndarray of shape (n_annotations,), dtype int64
            Sample index of every annotation.
        symbol : ndarray of shape (n_annotations,), dtype str
            Its WFDB symbol (``N``, ``A``, ``V``, ``+`` ...).
        fs : float
            Sampling frequency of ``sample``: the one the file declares,
            else the record header's.

    Raises
    ------
    FileNotFoundError
        If the file does not exist; the message lists the record's other
        annotation files.
    ValueError
        If wfdb cannot decode the file.

    See Also
    --------
    read_wfdb_record : A lead of the record.
    sklearn_ecg.metrics.compare_annotation_files : Two annotation files compared beat by beat.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import wfdb
    >>> from sklearn_ecg.datasets import read_wfdb_annotation
    >>> folder = tempfile.mkdtemp()
    >>> wfdb.wrann("rec", "atr", np.array([5, 100, 400]), ["+", "N", "V"], fs=360,
    ...            aux_note=["(N", "", ""], write_dir=folder)
    >>> ann = read_wfdb_annotation(f"{folder}/rec", beats_only=True)
    >>> ann.sample.tolist(), ann.symbol.tolist(), ann.fs
    ([100, 400], ['N', 'V'], 360.0)
    """
    import wfdb

    record = Path(record)
    if not Path(f"{record}.{extension}").is_file():
        raise _missing_annotation(record, extension)
    try:
        ann = wfdb.rdann(str(record), extension)
    except Exception as exc:  # wfdb raises many types on malformed files
        raise ValueError(
            f"Could not read the annotation file {str(record)!r}.{extension}: {exc}"
        ) from exc
    fs = ann.fs or read_wfdb_header(record).fs
    sample = np.asarray(ann.sample, dtype=np.int64)
    symbol = np.asarray(ann.symbol, dtype=str)
    if beats_only:
        keep = np.isin(symbol, list(AAMI_SYMBOL_MAP))
        sample, symbol = sample[keep], symbol[keep]
    return Bunch(sample=sample, symbol=symbol, fs=float(fs))


def _to_aami(symbols):
    lookup = np.array(list(AAMI_SYMBOL_MAP), dtype="<U1")
    classes = np.array(list(AAMI_SYMBOL_MAP.values()), dtype="<U1")
    order = np.argsort(lookup)
    return classes[order][np.searchsorted(lookup[order], symbols)]


def _match(detected, reference, tolerance):
    """Index of the nearest reference beat within ``tolerance`` samples per detection, -1 if none."""
    if reference.size == 0:
        return np.full(detected.shape, -1)
    after = np.searchsorted(reference, detected)
    left = np.clip(after - 1, 0, reference.size - 1)
    right = np.clip(after, 0, reference.size - 1)
    nearest = np.where(
        np.abs(reference[left] - detected) <= np.abs(reference[right] - detected),
        left,
        right,
    )
    return np.where(np.abs(reference[nearest] - detected) <= tolerance, nearest, -1)


def _check_number(value, name, *, positive=True):
    if (
        isinstance(value, bool)
        or not isinstance(value, Real)
        or not np.isfinite(value)
        or (positive and not value > 0)
    ):
        raise ValueError(f"{name} must be a positive number; got {value!r}.")
    return float(value)


def _list_records(data_home, annotator):
    """Records of a folder: its ``RECORDS`` file, else every ``*.hea``; only annotated ones."""
    listing = data_home / "RECORDS"
    if listing.is_file():
        names = [
            line.strip() for line in listing.read_text().splitlines() if line.strip()
        ]
    else:
        names = sorted(p.stem for p in data_home.glob("*.hea"))
    annotated = [n for n in names if (data_home / f"{n}.{annotator}").is_file()]
    if len(annotated) < len(names):
        warnings.warn(
            f"Records {[n for n in names if n not in annotated]} have no .{annotator} annotation "
            "file and were skipped.",
            UserWarning,
            stacklevel=3,
        )
    return annotated


def resolve_records(data_home, records, annotator):
    """The folder, the record names to read and whether the caller named them."""
    data_home = Path(data_home).expanduser()
    if not data_home.is_dir():
        raise FileNotFoundError(
            f"data_home {str(data_home)!r} is not a folder holding WFDB records."
        )
    if records is None:
        names, explicit = _list_records(data_home, annotator), False
        if not names:
            raise FileNotFoundError(
                f"No annotated WFDB record (a .hea with a .{annotator} file) in {str(data_home)!r}."
            )
    else:
        names = [records] if isinstance(records, str) else [str(r) for r in records]
        if not names:
            raise ValueError("records is an empty list; name at least one record.")
        if len(set(names)) != len(names):
            raise ValueError(f"records holds duplicate names: {names}.")
        missing = [n for n in names if not (data_home / f"{n}.hea").is_file()]
        if missing:
            raise FileNotFoundError(
                f"Record(s) {missing} not found in {str(data_home)!r} (no .hea file)."
            )
        explicit = True
    return data_home, names, explicit


def pick_leads(data_home, names, lead, *, explicit, target_fs, stacklevel):
    """The signals to read from each record, and the one sampling frequency of the rows.

    ``lead``: None, a name, ``"all"`` or names in order of preference
    (:func:`check_lead`).  A record without the lead
    raises where the records were named (``explicit``) and is skipped with a
    warning otherwise; records at different rates need ``target_fs``.
    Returns the headers and signal indices (a list per record) of the records
    kept, their sampling frequencies and the frequency of the rows.
    """
    lead = check_lead(lead)
    headers, channels, skipped = {}, {}, []
    for name in names:
        header = read_header(data_home / name)
        if lead == ALL_LEADS:
            headers[name], channels[name] = header, list(range(len(header.sig_name)))
            continue
        channel = pick_channel(list(header.sig_name), lead)
        if channel is None and explicit:
            raise ValueError(
                f"Record {name} has no lead {lead!r}; it holds {header.sig_name}. "
                "Pass another lead, or lead=None for each record's first signal."
            )
        if channel is None:
            skipped.append(name)
            continue
        headers[name], channels[name] = header, [channel]
    if not headers:
        raise ValueError(
            f"No requested record holds lead {lead!r} (records: {names}); pass another lead, "
            "or lead=None for each record's first signal."
        )
    if skipped:
        warnings.warn(
            f"Records {skipped} have no lead {lead!r} and were skipped; "
            "pass lead=None to read each record's first signal instead.",
            UserWarning,
            stacklevel=stacklevel,
        )
    rates = {name: float(h.fs) for name, h in headers.items()}
    if target_fs is None and len(set(rates.values())) > 1:
        raise ValueError(
            f"Records have different sampling frequencies {sorted(set(rates.values()))} Hz; "
            "pass target_fs=<Hz> to resample them to one."
        )
    fs = target_fs if target_fs is not None else next(iter(rates.values()))
    return headers, channels, rates, fs


def _load_beats(
    data_home,
    names,
    *,
    explicit,
    lead,
    window,
    peaks,
    annotator,
    target_fs,
    context,
    n_rr,
    n_next,
    n_template,
    return_X_y,
    descr,
    noise=None,
    stacklevel=4,
):
    """The reading shared by :func:`load_wfdb_beats` and ``load_mitbih``."""
    noise = _check_noise_spec(noise)
    window = _check_number(window, "window (seconds)")
    if target_fs is not None:
        target_fs = _check_number(target_fs, "target_fs (Hz)")
    if peaks not in _PEAKS:
        raise ValueError(f"peaks must be one of {_PEAKS}; got {peaks!r}.")
    if not isinstance(context, (bool, np.bool_)):
        raise TypeError(f"context must be True or False; got {context!r}.")
    headers, channels, rates, fs = pick_leads(
        data_home,
        names,
        lead,
        explicit=explicit,
        target_fs=target_fs,
        stacklevel=stacklevel + 1,
    )
    n_window = int(round(window * fs))
    if n_window < 1:
        raise ValueError(f"window={window} s is shorter than one sample at {fs} Hz.")
    center = n_window // 2

    # pass 1: R-peaks and labels of every record, to size the output once
    loaded = list(headers)
    beats = {}
    for name in loaded:
        reference, symbols = _beat_annotations(
            data_home / name, annotator, headers[name].sig_len
        )
        if peaks == "xqrs":
            signal = read_signal(data_home / name, channels[name][:1])[0]
            detected = detect_r_peaks(signal, rates[name])
            matched = _match(
                detected, reference, int(round(MATCH_WINDOW * rates[name]))
            )
            keep = matched >= 0
            beats[name] = (detected, keep, symbols[matched[keep]], reference)
        else:
            keep = np.ones(reference.size, dtype=bool)
            beats[name] = (reference, keep, symbols, reference)
    # one block of rows per record and lead read, in record order
    sources = [(name, channel) for name in loaded for channel in channels[name]]
    n_rows = [int(beats[name][1].sum()) for name, _ in sources]
    n_beats = sum(n_rows)
    n_copies = 0 if noise is None else noise["copies"]
    if noise is not None:
        # kind, SNR and seed of every noisy copy, drawn up front in block order
        rng = check_random_state(noise["random_state"])
        shape = (len(sources), n_copies)
        copy_kind = np.asarray(noise["kinds"])[
            rng.randint(len(noise["kinds"]), size=shape)
        ]
        copy_snr = rng.uniform(*noise["snr"], size=shape)
        copy_seed = rng.randint(np.iinfo(np.int32).max, size=shape)

    if context:
        n_tpl = template_length(fs)[0]
        n_columns = n_window + n_tpl + n_rr + n_next
        layout = context_layout(n_columns, fs, n_rr=n_rr, n_next=n_next)
    else:
        n_columns, layout = n_window, None
    X = np.empty((n_beats * (1 + n_copies), n_columns), dtype=np.float32)

    def cut(rows, name, signal, samples, keep):
        padded = np.pad(signal, (center, n_window - center - 1), mode="edge")
        # the window of the beat at sample r starts at padded index r
        rows[:, :n_window] = np.lib.stride_tricks.sliding_window_view(padded, n_window)[
            samples[keep]
        ]
        if context:
            try:
                template, rr = record_context(
                    signal, samples, fs, n_rr=n_rr, n_next=n_next, n_template=n_template
                )
            except ValueError as exc:
                raise ValueError(f"Record {name}: {exc}") from exc
            rows[:, layout.template] = template[keep]
            rows[:, layout.rr] = rr[keep]

    # pass 2: windows (and context) straight into X; noisy copy c in block c + 1
    start = 0
    for i, (name, channel) in enumerate(sources):
        samples, keep, _, reference = beats[name]
        signal = read_signal(data_home / name, [channel])[0]
        if fs != rates[name]:
            signal = resample(signal, rates[name], fs)
            samples, reference = (
                np.minimum(
                    np.round(s * (fs / rates[name])).astype(np.int64), signal.size - 1
                )
                for s in (samples, reference)
            )
        stop = start + int(keep.sum())
        cut(X[start:stop], name, signal, samples, keep)
        for c in range(n_copies):
            noisy = add_noise(
                signal,
                str(copy_kind[i, c]),
                float(copy_snr[i, c]),
                fs=fs,
                peaks=reference,
                random_state=int(copy_seed[i, c]),
            )
            block = (c + 1) * n_beats
            cut(X[block + start : block + stop], name, noisy, samples, keep)
        start = stop

    symbol = np.tile(np.concatenate([beats[n][2] for n, _ in sources]), 1 + n_copies)
    y = _to_aami(symbol)
    if return_X_y:
        return X, y
    block_lead = [headers[n].sig_name[c] for n, c in sources]
    bunch = Bunch(
        data=X,
        target=y,
        groups=np.tile(
            np.repeat(np.asarray([n for n, _ in sources]), n_rows), 1 + n_copies
        ),
        fs=fs,
        r_peak=np.tile(
            np.concatenate([beats[n][0][beats[n][1]] for n, _ in sources]),
            1 + n_copies,
        ),
        symbol=symbol,
        center=center,
        records=loaded,
        lead=block_lead,
        lead_names=list(dict.fromkeys(block_lead)),
        row_lead=np.tile(np.repeat(np.asarray(block_lead), n_rows), 1 + n_copies),
        target_names=np.array(AAMI_CLASSES),
        DESCR=load_descr(descr),
    )
    if context:
        bunch.update(layout=layout, template=X[:, layout.template], rr=X[:, layout.rr])
    if noise is not None:
        # copy c of record i covers its rows in block c + 1
        bunch.update(
            noise_kind=np.concatenate(
                [np.full(n_beats, "", dtype=copy_kind.dtype)]
                + [np.repeat(copy_kind[:, c], n_rows) for c in range(n_copies)]
            ),
            noise_snr=np.concatenate(
                [np.full(n_beats, np.nan)]
                + [np.repeat(copy_snr[:, c], n_rows) for c in range(n_copies)]
            ),
            noise=noise,
        )
    return bunch


@validate_params(
    {
        "data_home": [str, os.PathLike],
        "records": [str, "array-like", None],
        "lead": [str, "array-like", None],
        "window": [Interval(Real, 0, None, closed="neither")],
        "peaks": [StrOptions(set(_PEAKS))],
        "annotator": [str],
        "target_fs": [Interval(Real, 0, None, closed="neither"), None],
        "context": ["boolean"],
        "n_rr": [Interval(Integral, 1, None, closed="left")],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "n_template": [Interval(Integral, 1, None, closed="left")],
        "noise": [dict, None],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_wfdb_beats(
    data_home,
    records=None,
    *,
    lead=None,
    window=DEFAULT_WINDOW,
    peaks="annotations",
    annotator="atr",
    target_fs=None,
    context=False,
    n_rr=DEFAULT_N_RR,
    n_next=1,
    n_template=DEFAULT_N_TEMPLATE,
    return_X_y=False,
    noise=None,
):
    """Load any beat-annotated WFDB database as one context window per beat.

    Every beat becomes one row: a ``window``-second stretch of the chosen
    lead centred on its R-peak (at index ``n_window // 2``, with
    ``n_window = round(window * fs)``; samples beyond a record repeat its
    edge value).  Beat symbols are mapped to the AAMI EC57 classes N, S, V,
    F, Q (see ``AAMI_SYMBOL_MAP``); other annotations are not beats.  Any
    record names, leads and sampling frequencies work: the MIT-BIH, INCART,
    supraventricular, long-term AF ... databases of PhysioNet all load the
    same way.

    With ``context=True`` every row also carries its record context as
    extra columns at the end::

        [ window (n_window) | template (L) | rr (n_rr + n_next) ]

    where ``rr`` holds the R-R intervals in seconds around the beat (the
    ``n_rr`` previous ones, oldest first, then ``n_next`` following ones;
    0 where the record has none) and ``template`` the median of the previous
    ``n_template`` on-time (not premature) beats of the same record, from 0.25 s before to 0.45 s
    after the R-peak (``L = round(0.25 * fs) + round(0.45 * fs)``).  See
    :func:`~sklearn_ecg.preprocessing.record_context`; split the rows with
    :func:`~sklearn_ecg.preprocessing.context_layout` (or ``layout``) and
    turn them into features with
    :class:`~sklearn_ecg.preprocessing.RhythmFeatures` and
    :class:`~sklearn_ecg.preprocessing.MorphologyFeatures`.

    Parameters
    ----------
    data_home : str or path-like
        Folder holding the records (``<name>.hea``, the signal files and
        ``<name>.<annotator>``).
    records : None, str or list of str, default=None
        Records to load.  None: the names in the folder's ``RECORDS`` file,
        or every ``*.hea`` without one, keeping those with an annotation
        file (the others are skipped with a ``UserWarning``).
    lead : None, str or list of str, default=None
        Signal to read.  None: each record's first signal; a list: the first
        name each record holds (e.g. ``["MLII", "II", "ECG1"]``); "all":
        every signal of each record, one block of rows per record and lead
        (the same beats, labels and groups; with ``peaks="xqrs"`` detected
        on the first signal), so a model learns beats rather than one lead.
        When ``records`` is None, records without the lead are skipped with
        a ``UserWarning``; named records without it raise ``ValueError``.
    window : float, default=4.0
        Length of each window in seconds.
    peaks : {"annotations", "xqrs"}, default="annotations"
        Where the R-peaks (of the windows and of the context) come from.
        "annotations": the reference beat annotations.  "xqrs": wfdb's XQRS
        detector on the chosen lead, as in deployment
        (:func:`~sklearn_ecg.preprocessing.detect_r_peaks`); each detected peak
        takes the label of the nearest reference beat within 150 ms
        (``MATCH_WINDOW``), detections with none are dropped from the rows
        (but count in the rhythm history of their neighbours), and reference
        beats no detection found are absent.
    annotator : str, default="atr"
        Extension of the reference annotation files.
    target_fs : float, default=None
        Resample every record to this rate (Hz) first.  Needed when the
        records have different sampling frequencies.
    context : bool, default=False
        Append the template and R-R interval columns to every row.
    n_rr : int, default=512
        Previous R-R intervals per row (512: 5 minutes up to 100 beats per
        minute); ``context=True`` only.
    n_next : int, default=1
        Following R-R intervals per row; ``context=True`` only.
    n_template : int, default=64
        Previous beats in the running template; ``context=True`` only.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    noise : dict, default=None
        Noise augmentation, for training sets only: besides the clean rows,
        return ``copies`` noisy copies of every record's rows.  Each copy
        is the record's signal with :func:`add_noise` of one kind drawn
        from ``kinds`` at an SNR drawn uniformly from ``snr`` (measured at
        the reference R-peaks), and its rows are cut at the clean rows'
        R-peaks, so labels, ``groups`` and the R-R history are the clean
        rows' while window and template carry the noise.  Keys (missing
        ones take these defaults):

        - ``"kinds"``: a kind of :func:`make_ecg_noise` or a sequence of
          them, default ``("bw", "em", "ma")``;
        - ``"snr"``: decibels, a number or a ``(low, high)`` range,
          default ``(6, 24)``;
        - ``"copies"``: noisy copies of each record, default 1;
        - ``"random_state"``: seed of the draws and of the noise, default
          None.

        Copy ``c`` (from 1) of all records follows the clean rows as row
        block ``c``: rows ``c * n_clean`` to ``(c + 1) * n_clean``.  Keep
        ``groups`` in the cross-validation, so no patient's copy lands on
        the other side of a split.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_beats, n_columns), dtype float32
            Windows (``n_columns = n_window``), or context rows with
            ``context=True``.
        target : ndarray of shape (n_beats,), dtype str
            AAMI class of each beat.
        groups : ndarray of shape (n_beats,), dtype str
            Record of each beat; use it for grouped cross-validation.
        fs : float
            Sampling frequency of the rows in Hz.
        r_peak : ndarray of shape (n_beats,), dtype int64
            R-peak sample index in its record, at the record's own rate.
        symbol : ndarray of shape (n_beats,), dtype str
            Reference annotation symbol.
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
        layout : ContextLayout
            Column slices of the rows (``context=True`` only).
        template, rr : ndarray
            Views of the template and R-R interval columns of ``data``
            (``context=True`` only).
        noise_kind : ndarray of shape (n_beats,), dtype str
            Noise kind of each row, "" for clean rows (``noise`` only).
        noise_snr : ndarray of shape (n_beats,), dtype float64
            Its SNR in decibels, NaN for clean rows (``noise`` only).
        noise : dict
            The ``noise`` spec with its defaults filled in (``noise``
            only).
        DESCR : str
            Description of the loader.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If ``data_home``, a record or an annotation file is missing.
    ValueError
        On a lead missing from a named record, different sampling
        frequencies without ``target_fs``, unreadable files, annotated
        R-peaks that are not strictly increasing (``context=True``), or a
        ``noise`` spec with an unknown key or a bad value.

    See Also
    --------
    load_mitbih : The MIT-BIH Arrhythmia Database, with the DS1/DS2 split.
    add_noise : Add noise to a recording at a signal-to-noise ratio.
    sklearn_ecg.preprocessing.segment_recording : The same rows from a raw signal.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_wfdb_beats  # doctest: +SKIP
    >>> beats = load_wfdb_beats("incartdb", lead="II", target_fs=360, context=True)  # doctest: +SKIP
    >>> beats.data[:, beats.layout.rr].shape[1]  # doctest: +SKIP
    513
    """
    data_home, names, explicit = resolve_records(data_home, records, annotator)
    return _load_beats(
        data_home,
        names,
        explicit=explicit,
        lead=lead,
        window=window,
        peaks=peaks,
        annotator=annotator,
        target_fs=target_fs,
        context=context,
        n_rr=n_rr,
        n_next=n_next,
        n_template=n_template,
        return_X_y=return_X_y,
        noise=noise,
        descr="wfdb_beats.rst",
    )
