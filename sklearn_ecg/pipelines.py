"""The recommended heartbeat classification pipelines.

:func:`make_beat_pipeline` assembles public parts of sklearn-ecg, scikit-learn
and imbalanced-learn into the recipe behind the inter-patient MIT-BIH result
of ``benchmarks/mitbih_interpatient.py``: it takes the beat-centred context
windows of :func:`sklearn_ecg.datasets.load_mitbih` (or
:func:`~sklearn_ecg.datasets.make_ecg_beats`, or
:func:`~sklearn_ecg.preprocessing.segment_recording`) and predicts AAMI
classes.  :func:`make_feature_pipeline` is the classical baseline on context
rows (``load_mitbih(context=True)``): rhythm and morphology features in a
linear model.
"""

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler, scale

from ._context import DEFAULT_N_RR
from .models import CNN1D
from .preprocessing import BeatSegmenter, MorphologyFeatures, RhythmFeatures, RRFeatures

__all__ = ["AAMI_CLASS_WEIGHT", "make_beat_pipeline", "make_feature_pipeline"]

#: Loss weights of the AAMI classes: about the square root of the inverse
#: class frequency in the MIT-BIH DS1 records (N 45866, S 944, V 3788, F 415
#: beats), except Q, whose 8 beats would otherwise get a weight of 76.
AAMI_CLASS_WEIGHT = {"N": 1.0, "S": 7.0, "V": 3.5, "F": 10.0, "Q": 1.0}


def make_beat_pipeline(
    fs=360,
    *,
    target_fs=90,
    before=1.0,
    after=1.0,
    class_weight=AAMI_CLASS_WEIGHT,
    lr=3e-4,
    max_epochs=8,
    random_state=None,
):
    """Build the recommended beat classifier: beat morphology in context, plus rhythm.

    The pipeline is, as code (``imblearn.pipeline.Pipeline``, so that a
    sampler such as SMOTE inserted before ``"clf"`` acts in ``fit`` only)::

        import numpy as np
        from imblearn.pipeline import Pipeline
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.preprocessing import FunctionTransformer, scale
        from sklearn_ecg import CNN1D, BeatSegmenter, RRFeatures

        Pipeline([
            ("features", FeatureUnion([
                ("beat", make_pipeline(
                    BeatSegmenter(method="window", fs=fs, target_fs=target_fs,
                                  before=before, after=after),
                    FunctionTransformer(np.asarray, kw_args={"dtype": np.float64}),
                    FunctionTransformer(scale, kw_args={"axis": 1}),
                )),
                ("rr", RRFeatures(fs=fs)),
            ])),
            ("clf", CNN1D(n_extra_features=RRFeatures.n_features,
                          class_weight=class_weight, lr=lr, max_epochs=max_epochs,
                          batch_size=128, random_state=random_state)),
        ])

    The network sees the beat with its neighbours (``before`` and ``after``
    seconds around the R-peak), each row standardised (in float64) to zero
    mean and unit variance so that electrode gain and baseline offset of a patient do not
    matter.  :class:`~sklearn_ecg.preprocessing.RRFeatures` measures the RR
    intervals around the beat and their ratios to the window's own rhythm,
    which sets premature beats apart across patients with different heart
    rates; its six columns are appended to the beat and routed to the
    network's dense head (``n_extra_features``).  Class weights in the loss
    counter the rarity of S, V and F beats.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the input windows in Hz.
    target_fs : float, default=90
        Sampling frequency of the signal fed to the network in Hz.
    before, after : float, default=1.0, 1.0
        Seconds of signal kept before and after the R-peak.
    class_weight : None, "balanced" or dict, default=AAMI_CLASS_WEIGHT
        Class weights of the loss (see :class:`~sklearn_ecg.CNN1D`); the
        default weighs the AAMI letters N, S, V, F, Q (labels it does not
        name get weight 1).
    lr : float, default=3e-4
        Learning rate of the Adam optimizer.
    max_epochs : int, default=8
        Training epochs.
    random_state : int, RandomState instance or None, default=None
        Seeds the network's initialisation and shuffling.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline
        Unfitted; its steps are ``"features"`` and ``"clf"``, so every
        parameter can be set with ``set_params`` (e.g. ``clf__max_epochs``,
        ``features__beat__beatsegmenter__before``).  ``fit`` takes windows of
        shape ``(n_samples, n_times)`` with the R-peak at ``n_times // 2``;
        3 s or more hold the neighbouring beats the RR features need.

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
    beat = make_pipeline(
        BeatSegmenter(method="window", fs=fs, target_fs=target_fs, before=before, after=after),
        # float32 rounding trips scale()'s check that the centred rows have zero mean
        FunctionTransformer(np.asarray, kw_args={"dtype": np.float64}),
        FunctionTransformer(scale, kw_args={"axis": 1}),
    )
    features = FeatureUnion([("beat", beat), ("rr", RRFeatures(fs=fs))])
    if isinstance(class_weight, dict):
        class_weight = dict(class_weight)  # the pipeline never shares the module's dict
    clf = CNN1D(
        n_extra_features=RRFeatures.n_features,
        class_weight=class_weight,
        lr=lr,
        max_epochs=max_epochs,
        batch_size=128,
        random_state=random_state,
    )
    return Pipeline([("features", features), ("clf", clf)])


def make_feature_pipeline(fs=360, *, n_rr=DEFAULT_N_RR, n_next=1, causal=True, classifier=None):
    """Build the classical beat classifier: rhythm and morphology features, linear model.

    The pipeline is, as code (``imblearn.pipeline.Pipeline``, so that a
    sampler inserted before ``"clf"`` acts in ``fit`` only)::

        from imblearn.pipeline import Pipeline
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion
        from sklearn.preprocessing import StandardScaler
        from sklearn_ecg import MorphologyFeatures, RhythmFeatures

        Pipeline([
            ("features", FeatureUnion([
                ("rhythm", RhythmFeatures(n_rr=n_rr, n_next=n_next, causal=causal)),
                ("morphology", MorphologyFeatures(fs=fs, n_rr=n_rr, n_next=n_next)),
            ])),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(class_weight="balanced", max_iter=1000)),
        ])

    It takes context rows (``load_mitbih(context=True)``,
    ``load_wfdb_beats(context=True)``, ``segment_recording(context=True)``),
    whose R-R history and running template let every feature be judged
    against the patient's own rhythm and normal beat.  A linear model is the
    default because it generalises to new patients better than flexible
    models, which learn the training patients' own morphology and rhythm
    quirks.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the rows in Hz.
    n_rr : int, default=512
        Previous R-R intervals in each row (as loaded).
    n_next : int, default=1
        Following R-R intervals in each row (as loaded).
    causal : bool, default=True
        Rhythm references from the past only (see
        :class:`~sklearn_ecg.preprocessing.RhythmFeatures`).
    classifier : estimator, default=None
        Any scikit-learn classifier in place of
        ``LogisticRegression(class_weight="balanced", max_iter=1000)``.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline
        Unfitted; its steps are ``"features"``, ``"scale"`` and ``"clf"``.

    See Also
    --------
    make_beat_pipeline : The neural network recipe.
    sklearn_ecg.datasets.load_mitbih : Context rows with ``context=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.pipelines import make_feature_pipeline
    >>> from sklearn_ecg.preprocessing import segment_recording
    >>> rng = np.random.default_rng(0)
    >>> intervals = np.where(rng.random(300) < 0.2, 200, 300)  # some beats come early
    >>> peaks = np.cumsum(intervals)
    >>> signal = np.zeros(peaks[-1] + 200)
    >>> signal[peaks] = 1.0
    >>> rows, _ = segment_recording(signal, fs=360, peaks=peaks, window=1.0, context=True, n_rr=64)
    >>> y = np.where(intervals == 200, "S", "N")
    >>> pipe = make_feature_pipeline(fs=360, n_rr=64).fit(rows, y)
    >>> bool(pipe.score(rows, y) > 0.95)
    True
    """
    features = FeatureUnion(
        [
            ("rhythm", RhythmFeatures(n_rr=n_rr, n_next=n_next, causal=causal)),
            ("morphology", MorphologyFeatures(fs=fs, n_rr=n_rr, n_next=n_next)),
        ]
    )
    if classifier is None:
        classifier = LogisticRegression(class_weight="balanced", max_iter=1000)
    return Pipeline([("features", features), ("scale", StandardScaler()), ("clf", classifier)])
