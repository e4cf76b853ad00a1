"""The recommended heartbeat classification pipeline.

:func:`make_beat_pipeline` assembles public parts of sklearn-ecg, scikit-learn
and imbalanced-learn into the recipe behind the inter-patient MIT-BIH result
of ``benchmarks/mitbih_interpatient.py``: it takes the beat-centred context
windows of :func:`sklearn_ecg.datasets.load_mitbih` (or
:func:`~sklearn_ecg.datasets.make_ecg_beats`, or
:func:`~sklearn_ecg.preprocessing.segment_recording`) and predicts AAMI
classes.
"""

from imblearn.pipeline import Pipeline
from sklearn.pipeline import FeatureUnion

from .models import CNN1D
from .preprocessing import BeatSegmenter, RRFeatures

__all__ = ["make_beat_pipeline"]


def make_beat_pipeline(
    fs=360,
    *,
    target_fs=125,
    before=0.25,
    after=0.45,
    class_weight="balanced",
    max_epochs=8,
    random_state=None,
):
    """Build the recommended beat classifier: beat morphology plus rhythm.

    The pipeline is, as code (``imblearn.pipeline.Pipeline``, so that a
    sampler added in front of ``"clf"`` acts in ``fit`` only)::

        Pipeline([
            ("features", FeatureUnion([
                ("beat", BeatSegmenter(method="window", fs=fs, target_fs=target_fs,
                                       before=before, after=after)),
                ("rr", RRFeatures(fs=fs)),
            ])),
            ("clf", CNN1D(n_extra_features=RRFeatures.n_features,
                          class_weight=class_weight, max_epochs=max_epochs,
                          batch_size=128, random_state=random_state)),
        ])

    The beat keeps the P wave (``before`` seconds before the R-peak) and the
    T wave; :class:`~sklearn_ecg.preprocessing.RRFeatures` measures the RR
    intervals around it and their ratios to the window's own rhythm, which
    sets premature beats apart across patients with different heart rates.
    The six RR columns are appended to the beat and routed to the network's
    dense head (``n_extra_features``).  Class weights balance the rare S, V
    and F beats in the loss.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the input windows in Hz.
    target_fs : float, default=125
        Sampling frequency of the beat fed to the network in Hz.
    before, after : float, default=0.25, 0.45
        Seconds of signal kept before and after the R-peak.
    class_weight : None, "balanced" or dict, default="balanced"
        Class weights of the loss (see :class:`~sklearn_ecg.CNN1D`).
    max_epochs : int, default=8
        Training epochs.
    random_state : int, RandomState instance or None, default=None
        Seeds the network's initialisation and shuffling.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline
        Unfitted; its steps are ``"features"`` and ``"clf"``, so every
        parameter can be set with ``set_params`` (e.g. ``clf__max_epochs``,
        ``features__beat__before``).  ``fit`` takes windows of shape
        ``(n_samples, n_times)`` with the R-peak at ``n_times // 2``; 3 s or
        more hold the neighbouring beats the RR features need.

    See Also
    --------
    sklearn_ecg.datasets.load_mitbih : Windows in this layout.
    sklearn_ecg.metrics.aami_report : Per-class evaluation.

    Examples
    --------
    >>> from sklearn_ecg.datasets import make_ecg_beats
    >>> from sklearn_ecg.pipelines import make_beat_pipeline
    >>> beats = make_ecg_beats(n_samples=120, random_state=0)
    >>> pipe = make_beat_pipeline(fs=beats.fs, max_epochs=1, random_state=0)
    >>> pipe = pipe.set_params(clf__n_filters=8, clf__n_blocks=1)
    >>> pipe.fit(beats.data, beats.target).predict(beats.data[:3]).shape
    (3,)
    >>> [name for name, _ in pipe.steps]
    ['features', 'clf']
    """
    features = FeatureUnion(
        [
            ("beat", BeatSegmenter(method="window", fs=fs, target_fs=target_fs, before=before, after=after)),
            ("rr", RRFeatures(fs=fs)),
        ]
    )
    clf = CNN1D(
        n_extra_features=RRFeatures.n_features,
        class_weight=class_weight,
        max_epochs=max_epochs,
        batch_size=128,
        random_state=random_state,
    )
    return Pipeline([("features", features), ("clf", clf)])
