"""Annotate ECG recordings with a trained model: record in, WFDB annotation out.

The path of a record runs down the house once: read one lead
(:func:`~sklearn_ecg.datasets.read_wfdb_record`), take the R-peaks from an
annotation file (:func:`~sklearn_ecg.datasets.read_wfdb_annotation`) or
detect them, resample to the model's sampling frequency, cut context rows
(:func:`~sklearn_ecg.preprocessing.segment_recording`) exactly as the model
card says, predict, and write the beats with :func:`wfdb.wrann`.  An
artifact filter (:func:`~sklearn_ecg.pipelines.make_artifact_pipeline`) can
drop the detector's false detections first; they are written as WFDB
artifact annotations (``|``), which beat-by-beat comparison ignores.

- :func:`annotate_record`: one WFDB record, optionally writing
  ``RECORD.<extension>``; what ``python -m sklearn_ecg annotate`` runs.
- :func:`annotate_signal`: the same on a signal array.

The model card (see :func:`sklearn_ecg.save_model`) tells what the model
expects: ``fs``, ``segment_recording`` and the ``leads`` it was trained on.
"""

import os
import re
import warnings
from numbers import Real
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .utils._sklearn_compat import HasMethods, Interval, validate_params

__all__ = [
    "ARTIFACT_SYMBOL",
    "ARTIFACT_THRESHOLD",
    "CLASS_SYMBOL",
    "QUALITY_THRESHOLD",
    "annotate_record",
    "annotate_signal",
    "trained_leads",
]

CLASS_SYMBOL = {"N": "N", "S": "A", "V": "V", "F": "F", "Q": "Q"}
"""WFDB beat symbol written for each AAMI class (``A``, an atrial premature beat, stands for S)."""

ARTIFACT_THRESHOLD = 0.97
"""Probability of "artifact" from which a detection is dropped: the lowest threshold (of 0.5,
0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99) costing the clean MIT-BIH DS1 records at most 0.001 of
QRS sensitivity, leave-one-record-out over three seeds (``benchmarks/artifact_filter_ds1.py``)."""

QUALITY_THRESHOLD = 0.5
"""Detector agreement (:func:`~sklearn_ecg.preprocessing.qrs_agreement`) below which
``annotate --quality-threshold`` marks a beat unclassifiable: the highest of 0.40, 0.45, ...,
0.80 that marks at most 1 % of the beats of the clean MIT-BIH DS1 records' MLII (0.7 %)."""

ARTIFACT_SYMBOL = "|"
"""WFDB symbol written for a detection the artifact filter dropped (isolated QRS-like artifact)."""

_CLASSES = np.array(sorted(CLASS_SYMBOL))
_SYMBOLS = np.array([CLASS_SYMBOL[c] for c in _CLASSES])
_DEFAULT_WINDOW = 4.0


def trained_leads(card):
    """The leads a model was trained on, as its card records them.

    Parameters
    ----------
    card : dict
        A model card (:func:`sklearn_ecg.read_model_card`).  Its ``leads``
        field (a list of names), or ``lead`` (one name) in older cards.

    Returns
    -------
    leads : list of str
        Empty when the card does not say (e.g. a model trained on synthetic
        beats).

    Examples
    --------
    >>> from sklearn_ecg.annotation import trained_leads
    >>> trained_leads({"fs": 360, "leads": ["MLII", "V1"]}), trained_leads({"lead": "II"})
    (['MLII', 'V1'], ['II'])
    """
    leads = card.get("leads")
    if leads is None:
        leads = card.get("lead")
    if leads is None:
        return []
    return [leads] if isinstance(leads, str) else [str(lead) for lead in leads]


def _segment(card):
    """The model's sampling frequency and the ``segment_recording`` keywords of its card."""
    if not isinstance(card, dict):
        raise TypeError(
            f"card must be a dict (a model card); got {type(card).__name__}."
        )
    fs = card.get("fs")
    if isinstance(fs, bool) or not isinstance(fs, Real) or not fs > 0:
        raise ValueError(
            "The model card does not record the sampling frequency (field fs) its model expects; "
            f"got fs={fs!r}. Train the model with `python -m sklearn_ecg train`, or save it with "
            "card={'fs': ..., 'segment_recording': {...}}."
        )
    segment = dict(card.get("segment_recording") or {})
    if "window" not in segment and card.get("window"):
        segment["window"] = float(card["window"])
    segment.setdefault("window", _DEFAULT_WINDOW)
    return float(fs), segment


@validate_params(
    {
        "signal": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "model": [HasMethods(["predict"])],
        "card": [dict],
        "peaks": ["array-like", None],
        "artifact_model": [HasMethods(["predict_proba"]), None],
        "artifact_threshold": [Interval(Real, 0, 1, closed="right")],
        "quality_threshold": [Interval(Real, 0, 1, closed="right"), None],
    },
    prefer_skip_nested_validation=True,
)
def annotate_signal(
    signal,
    fs,
    model,
    card,
    *,
    peaks=None,
    artifact_model=None,
    artifact_threshold=ARTIFACT_THRESHOLD,
    quality_threshold=None,
):
    """Classify every beat of a one-lead ECG signal with a trained model.

    The signal is resampled to the model's sampling frequency
    (``card["fs"]``), R-peaks are detected with
    :func:`~sklearn_ecg.preprocessing.detect_r_peaks` (wfdb's XQRS) unless
    given, one context row per beat is cut with
    :func:`~sklearn_ecg.preprocessing.segment_recording` and the keywords of
    ``card["segment_recording"]`` (the window and, for context rows, the
    template and R-R history from the same peaks), and all rows are
    classified in one ``model.predict`` call.

    Parameters
    ----------
    signal : array-like of shape (n_times,)
        One lead, in the units the model was trained on (mV for MIT-BIH).
    fs : float
        Sampling frequency of ``signal`` in Hz.
    model : estimator
        A fitted classifier of the rows the card describes, predicting AAMI
        classes (``"N"``, ``"S"``, ``"V"``, ``"F"``, ``"Q"``).
    card : dict
        Its model card: ``fs`` (required) and ``segment_recording`` (the
        keyword arguments of ``segment_recording``; a 4 s plain window when
        absent).
    peaks : array-like of int, default=None
        R-peak sample indices at ``fs``, kept exactly; None detects them.
    artifact_model : classifier, default=None
        An artifact filter (:func:`~sklearn_ecg.pipelines.make_artifact_pipeline`)
        fitted on the rows the card describes, with a class ``"artifact"``.
        Detections it gives an ``"artifact"`` probability of at least
        ``artifact_threshold`` are dropped and the rows of the other beats
        are cut again without them, before the beats are classified.  Only
        with detected peaks (``peaks=None``).
    artifact_threshold : float, default=ARTIFACT_THRESHOLD
        Probability from which a detection is dropped (0.97, chosen on the
        MIT-BIH DS1 records).
    quality_threshold : float, default=None
        Mark beats where the signal is unreadable as unclassifiable (``"Q"``)
        instead of guessing: beats whose
        :func:`~sklearn_ecg.preprocessing.qrs_agreement` (the agreement of
        two QRS detectors over the 10 s around the beat) is below it.  None
        marks nothing.  ``QUALITY_THRESHOLD`` (0.5) marks 0.7 % of the beats
        of the clean MIT-BIH DS1 records' MLII.

    Returns
    -------
    beats : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        sample : ndarray of shape (n_beats,), dtype int64
            R-peak of every beat, a sample index at ``fs``.
        label : ndarray of shape (n_beats,), dtype str
            Predicted AAMI class.
        symbol : ndarray of shape (n_beats,), dtype str
            WFDB beat symbol of the class (``CLASS_SYMBOL``: ``A`` for S).
        fs : float
            Sampling frequency of ``sample``.
        artifact : ndarray of shape (n_artifacts,), dtype int64
            Detections the artifact filter dropped, sample indices at ``fs``
            (empty without ``artifact_model``).
        quality : ndarray of shape (n_beats,) or None
            :func:`~sklearn_ecg.preprocessing.qrs_agreement` of every beat
            (with ``quality_threshold`` only).

    Raises
    ------
    ValueError
        If the card has no ``fs``, the signal is shorter than the model's
        window, the model predicts a class that is no AAMI class, or
        ``artifact_model`` is given with ``peaks`` or has no class
        ``"artifact"``.

    See Also
    --------
    annotate_record : The same for a WFDB record, writing the annotation file.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_ecg.annotation import annotate_signal
    >>> model = DummyClassifier().fit(np.zeros((2, 360)), ["N", "V"])
    >>> card = {"fs": 360, "segment_recording": {"window": 1.0}}
    >>> beats = annotate_signal(np.zeros(3000), 250, model, card, peaks=[500, 1000, 1500])
    >>> beats.sample.tolist(), beats.symbol.tolist(), beats.fs
    ([500, 1000, 1500], ['N', 'N', 'N'], 250.0)
    """
    from .preprocessing import segment_recording
    from .utils import resample

    fs_model, segment = _segment(card)
    column = None
    if artifact_model is not None:
        if peaks is not None:
            raise ValueError(
                "artifact_model filters detected R-peaks; given peaks are kept exactly. "
                "Pass peaks=None to detect them, or artifact_model=None."
            )
        column = _artifact_column(artifact_model)
    fs = float(fs)
    signal = np.asarray(signal)
    if signal.ndim != 1:
        raise ValueError(
            f"signal must be one lead, a 1-D array of shape (n_times,); got shape {signal.shape}."
        )
    n_times = signal.size
    if n_times < segment["window"] * fs:
        raise ValueError(
            f"The signal holds {n_times / fs:.2f} s, shorter than the model's "
            f"{segment['window']} s context window; annotate longer recordings."
        )
    if not np.issubdtype(signal.dtype, np.floating):
        signal = signal.astype(np.float32)
    resampled = resample(signal, fs, fs_model)
    given = None
    if peaks is not None:
        given = np.asarray(peaks)
        if given.ndim != 1 or (
            given.size and not np.issubdtype(given.dtype, np.integer)
        ):
            raise ValueError(
                f"peaks must be a 1-D array of sample indices; got {peaks!r}."
            )
        given = given.astype(np.int64)
        if given.size and (given.min() < 0 or given.max() >= n_times):
            raise ValueError(
                f"peaks must lie in [0, {n_times}) for a signal of {n_times} samples; got "
                f"values from {given.min()} to {given.max()}."
            )
        peaks = np.minimum(
            np.round(given * (fs_model / fs)).astype(np.int64), resampled.size - 1
        )
    rows, found = segment_recording(resampled, fs=fs_model, peaks=peaks, **segment)
    dropped = np.empty(0, dtype=np.int64)
    if column is not None and len(found):
        artifact = artifact_model.predict_proba(rows)[:, column] >= artifact_threshold
        if artifact.any():
            dropped = found[artifact]
            # the neighbours' R-R history and template without the false detections
            rows, found = segment_recording(
                resampled, fs=fs_model, peaks=found[~artifact], **segment
            )
    if len(found):
        labels = np.asarray(model.predict(rows)).astype(str)
    else:
        labels = np.empty(0, dtype=str)
    unknown = sorted(set(labels.tolist()) - set(CLASS_SYMBOL))
    if unknown:
        raise ValueError(
            f"The model predicts {unknown}, which are not AAMI classes (N, S, V, F, Q)."
        )
    quality = None
    if quality_threshold is not None:
        from .preprocessing import qrs_agreement

        quality = qrs_agreement(resampled, fs_model, found)
        labels = np.where(quality < quality_threshold, "Q", labels)
    symbols = _SYMBOLS[np.searchsorted(_CLASSES, labels)]

    def to_input(samples):
        return np.clip(
            np.round(samples * (fs / fs_model)).astype(np.int64), 0, n_times - 1
        )

    sample = given if given is not None else to_input(found)
    return Bunch(
        sample=sample,
        label=labels,
        symbol=symbols,
        fs=fs,
        artifact=to_input(dropped),
        quality=quality,
    )


def _artifact_column(artifact_model):
    """Column of ``"artifact"`` in the filter's ``predict_proba``; ``ValueError`` without one."""
    classes = getattr(artifact_model, "classes_", None)
    if classes is None or "artifact" not in [str(c) for c in classes]:
        raise ValueError(
            "artifact_model must be a fitted classifier with a class 'artifact' (see "
            f"make_artifact_pipeline); got classes {None if classes is None else list(classes)}."
        )
    return [str(c) for c in classes].index("artifact")


def _choose_lead(header, lead, trained):
    """The lead to read: ``lead``, else the first trained lead the record holds (None: its first)."""
    if lead is not None:
        return lead
    held = [name for name in trained if name in header.sig_name]
    return held or None


@validate_params(
    {
        "record": [str, os.PathLike],
        "model": [HasMethods(["predict"]), str, os.PathLike],
        "card": [dict, None],
        "lead": [str, "array-like", None],
        "peaks_from": [str, None],
        "extension": [str, None],
        "overwrite": ["boolean"],
        "artifact_model": [HasMethods(["predict_proba"]), str, os.PathLike, None],
        "artifact_threshold": [Interval(Real, 0, 1, closed="right")],
        "quality_threshold": [Interval(Real, 0, 1, closed="right"), None],
    },
    prefer_skip_nested_validation=True,
)
def annotate_record(
    record,
    model,
    card=None,
    *,
    lead=None,
    peaks_from=None,
    extension=None,
    overwrite=False,
    artifact_model=None,
    artifact_threshold=ARTIFACT_THRESHOLD,
    quality_threshold=None,
):
    """Classify every beat of a WFDB record with a trained model.

    Reads one lead of the record (:func:`~sklearn_ecg.datasets.read_wfdb_record`),
    takes the R-peaks from the annotation file ``record.<peaks_from>``
    (:func:`~sklearn_ecg.datasets.read_wfdb_annotation`, beats only) or
    detects them, and classifies the beats with :func:`annotate_signal` at
    the model's sampling frequency; the beats come back at the record's own
    sampling frequency.  With ``extension``, they are also written to
    ``record.<extension>`` with :func:`wfdb.wrann` (symbols ``N``, ``A``
    for S, ``V``, ``F``, ``Q``), readable by :func:`wfdb.rdann`, the WFDB
    tools and :func:`sklearn_ecg.metrics.compare_annotation_files`.

    Parameters
    ----------
    record : str or path-like
        WFDB record path without extension (``.../mitdb/100``).
    model : estimator or str or path-like
        A fitted classifier of AAMI classes, or a model file written by
        :func:`sklearn_ecg.save_model` (its card is then read from it).
    card : dict, default=None
        The model card (``fs``, ``segment_recording``, ``leads``); required
        when ``model`` is an estimator, and replacing the file's card when
        given with a model file.
    lead : None, str or list of str, default=None
        Lead to read: a name, or names in order of preference.  None: the
        first lead the model's feature models were trained on (the card's
        ``feature_leads``), else the first it was trained on
        (:func:`trained_leads`), that the record holds; else the record's
        first signal.  A lead the model was not trained on gives a
        ``UserWarning`` naming it.
    peaks_from : str, default=None
        Extension of an annotation file whose beat annotations give the
        R-peaks (e.g. ``"atr"``), kept exactly: this separates
        classification errors from detection errors.  None detects them with
        :func:`~sklearn_ecg.preprocessing.detect_r_peaks` (wfdb's XQRS).
    extension : str, default=None
        Write the beats to ``record.<extension>`` (letters only, as
        :func:`wfdb.wrann` requires).  None writes nothing.
    overwrite : bool, default=False
        Replace an existing ``record.<extension>``; otherwise an existing
        file is an error, raised before any work.
    artifact_model : classifier or str or path-like, default=None
        An artifact filter, fitted or as a model file, that drops false
        detections before the beats are classified (see
        :func:`annotate_signal`); the dropped detections are written as
        ``ARTIFACT_SYMBOL`` (``|``) annotations.  A model file's card must
        record the rows of ``model``'s card (``fs``, ``segment_recording``);
        a lead it was not trained on gives a ``UserWarning`` (a filter
        trained on MLII drops real beats of other leads).
    artifact_threshold : float, default=ARTIFACT_THRESHOLD
        Probability of ``"artifact"`` from which a detection is dropped.
    quality_threshold : float, default=None
        Beats of lower :func:`~sklearn_ecg.preprocessing.qrs_agreement` are
        written as unclassifiable (``Q``); see :func:`annotate_signal`.

    Returns
    -------
    beats : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        sample : ndarray of shape (n_beats,), dtype int64
            R-peak of every beat, a sample index at the record's rate.
        label : ndarray of shape (n_beats,), dtype str
            Predicted AAMI class.
        symbol : ndarray of shape (n_beats,), dtype str
            WFDB beat symbol written for it (``CLASS_SYMBOL``).
        fs : float
            Sampling frequency of the record (and of ``sample``).
        artifact : ndarray of shape (n_artifacts,), dtype int64
            Detections the artifact filter dropped (empty without one).
        quality : ndarray of shape (n_beats,) or None
            Agreement of every beat (with ``quality_threshold`` only).
        lead : str
            Lead read.
        record : pathlib.Path
            The record path.
        path : pathlib.Path or None
            The annotation file written, None without ``extension``.

    Raises
    ------
    FileNotFoundError
        If the record or the ``peaks_from`` annotation file does not exist.
    FileExistsError
        If ``record.<extension>`` exists and ``overwrite`` is False.
    ValueError
        If the record holds no lead ``lead`` (the message lists its leads),
        is shorter than the model's window, ``extension`` is not letters
        only, or the card records no sampling frequency.

    See Also
    --------
    annotate_signal : The same on a signal array.
    sklearn_ecg.metrics.compare_annotation_files : Score the written file
        against the reference, beat by beat (EC57).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import wfdb
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_ecg.annotation import annotate_record
    >>> folder = tempfile.mkdtemp()
    >>> wfdb.wrsamp("rec", fs=250, units=["mV"], sig_name=["II"],
    ...             p_signal=np.zeros((2500, 1)), fmt=["16"], write_dir=folder)
    >>> wfdb.wrann("rec", "atr", np.array([500, 700, 900]), ["N", "V", "N"],
    ...            fs=250, write_dir=folder)
    >>> model = DummyClassifier().fit(np.zeros((2, 360)), ["N", "N"])
    >>> card = {"fs": 360, "segment_recording": {"window": 1.0}, "leads": ["II"]}
    >>> beats = annotate_record(f"{folder}/rec", model, card, peaks_from="atr",
    ...                         extension="test")
    >>> beats.sample.tolist(), beats.symbol.tolist(), beats.path.name
    ([500, 700, 900], ['N', 'N', 'N'], 'rec.test')
    >>> wfdb.rdann(f"{folder}/rec", "test").symbol
    ['N', 'N', 'N']
    """
    from .datasets import read_wfdb_annotation, read_wfdb_header, read_wfdb_record

    record = Path(record)
    out = None
    if extension is not None:
        if not re.fullmatch("[A-Za-z]+", extension):
            raise ValueError(
                "extension must be letters only (an annotator name such as skecg, as "
                f"wfdb.wrann requires); got {extension!r}."
            )
        out = Path(f"{record}.{extension}")
        if out.exists() and not overwrite:
            raise FileExistsError(
                f"{str(out)!r} exists; pass --overwrite (overwrite=True) to replace it, "
                "or choose another extension."
            )
    if isinstance(model, (str, os.PathLike)):
        from ._persistence import load_model

        model, file_card = load_model(model, return_card=True)
        card = file_card if card is None else card
    elif card is None:
        raise ValueError(
            "card is required with a fitted estimator: pass its model card, at least "
            "{'fs': <Hz of its rows>, 'segment_recording': {...}}, or pass a model file."
        )
    _, segment = _segment(card)
    filter_leads = []
    if isinstance(artifact_model, (str, os.PathLike)):
        artifact_model, filter_leads = _load_artifact_model(artifact_model, card)
    header = read_wfdb_header(record)
    if header.sig_len < segment["window"] * header.fs:
        raise ValueError(
            f"Record {str(record)!r} holds {header.sig_len / header.fs:.2f} s of signal, shorter "
            f"than the model's {segment['window']} s context window; annotate longer records."
        )
    trained = trained_leads(card)
    preferred = list(dict.fromkeys([*(card.get("feature_leads") or []), *trained]))
    rec = read_wfdb_record(record, lead=_choose_lead(header, lead, preferred))
    for what, leads in (
        ("the model was", trained),
        ("the model's feature models were", card.get("feature_leads") or []),
        ("the artifact filter was", filter_leads),
    ):
        if leads and rec.lead not in leads:
            warnings.warn(
                f"Record {str(record)!r}: lead {rec.lead!r} is not one {what} trained on "
                f"({', '.join(leads)}); expect less accurate labels, or pass a lead it knows.",
                UserWarning,
                stacklevel=2,
            )
    peaks = None
    if peaks_from is not None:
        given = read_wfdb_annotation(record, peaks_from, beats_only=True).sample
        peaks = given[(given >= 0) & (given < rec.signal.size)]
    beats = annotate_signal(
        rec.signal,
        rec.fs,
        model,
        card,
        peaks=peaks,
        artifact_model=artifact_model,
        artifact_threshold=artifact_threshold,
        quality_threshold=quality_threshold,
    )
    if out is not None:
        import wfdb

        sample = np.concatenate([beats.sample, beats.artifact])
        symbol = np.concatenate(
            [beats.symbol, np.full(beats.artifact.size, ARTIFACT_SYMBOL)]
        )
        order = np.argsort(sample, kind="stable")
        try:
            wfdb.wrann(
                record.name,
                extension,
                sample[order],
                symbol[order],
                fs=rec.fs,
                write_dir=str(record.parent),
            )
        except OSError as exc:
            raise OSError(f"Cannot write {str(out)!r}: {exc.strerror or exc}.") from exc
    beats.update(lead=rec.lead, record=record, path=out)
    return beats


def _load_artifact_model(path, card):
    """An artifact filter and its leads from its model file, checked to read ``card``'s rows."""
    from ._persistence import load_model

    model, filter_card = load_model(path, return_card=True)
    mine, theirs = _segment(card), _segment(filter_card)
    if mine != theirs:
        raise ValueError(
            f"The artifact filter {str(path)!r} was trained on rows at {theirs[0]} Hz with "
            f"{theirs[1]}, the beat model on rows at {mine[0]} Hz with {mine[1]}; train both "
            "with the same --fs and --window."
        )
    return model, trained_leads(filter_card)
