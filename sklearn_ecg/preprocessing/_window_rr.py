"""Rhythm features (RR intervals) of beat-centred context windows.

A heartbeat cut out of its window loses its timing, and timing is what sets
a premature supraventricular beat apart from a normal one.  ``RRFeatures``
measures it from the same context windows, and a ``FeatureUnion`` appends it
to the beat as the last columns of one 2-D array, which survives SMOTE,
``clone``, ``GridSearchCV`` and joblib.  The networks read those columns
through ``n_extra_features``::

    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn_ecg import CNN1D, BeatSegmenter, DWTDenoiser, RRFeatures

    features = FeatureUnion([
        ("beat", make_pipeline(BeatSegmenter(), DWTDenoiser())),
        ("rr", RRFeatures()),
    ])
    pipe = Pipeline([
        ("features", features),
        ("smote", SMOTE()),
        ("clf", CNN1D(n_extra_features=RRFeatures.n_features)),
    ])
"""

from numbers import Integral, Real

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import Interval, _fit_context, validate_params
from ..utils._validation import check_lead, validate_signal

__all__ = ["RRFeatures"]

_NAMES = (
    "rr_prev",
    "rr_next",
    "rr_local",
    "rr_prev_local",
    "rr_next_local",
    "rr_prev_next",
)


def _qrs_energy(X, fs):
    """Squared slope averaged over 80 ms: large on QRS complexes, small on P and T waves."""
    slope = np.diff(X, axis=-1, prepend=X[..., :1])
    return uniform_filter1d(
        slope * slope, max(int(round(0.08 * fs)), 1), axis=-1, mode="nearest"
    )


@validate_params(
    {
        "X": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "threshold": [Interval(Real, 0, None, closed="left")],
        "refractory": [Interval(Real, 0, None, closed="neither")],
        "search_radius": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def detect_beats(X, fs, *, threshold=0.15, refractory=0.2, search_radius=0.1):
    """Beat positions in beat-centred windows, as a boolean mask.

    The QRS energy (squared slope averaged over 80 ms) peaks once per beat.
    A beat is a sample holding the largest energy within ``refractory``
    seconds on each side, above ``threshold`` times the energy of the
    centre beat.  The centre beat is the energy maximum within
    ``search_radius`` seconds of the centre.  Each beat is then moved to
    its R-peak: the largest deviation from the row's median within 60 ms.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_times)
        Context windows with an R-peak at index ``n_times // 2``, finite
        numbers; anything else raises ``ValueError``.
    fs : float
        Sampling frequency in Hz.
    threshold : float, default=0.15
        Fraction of the centre beat's energy a beat must exceed.
    refractory : float, default=0.2
        Shortest interval between two beats in seconds.
    search_radius : float, default=0.1
        Seconds around the centre searched for the centre beat.

    Returns
    -------
    beats : ndarray of bool, shape (n_samples, n_times)
        ``True`` at every detected beat.
    centre : ndarray of int, shape (n_samples,)
        Position of the centre beat (``beats`` is ``True`` there).

    See Also
    --------
    RRFeatures : RR intervals from these beats.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import detect_beats
    >>> X = np.zeros((1, 1440))
    >>> X[0, [144, 432, 720, 1008, 1296]] = 1.0
    >>> beats, centre = detect_beats(X, fs=360)
    >>> np.flatnonzero(beats[0]).tolist(), centre.tolist()
    ([144, 432, 720, 1008, 1296], [720])
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array (n_samples, n_times) of context windows; got an array of "
            f"shape {X.shape}. Reshape one window with X.reshape(1, -1)."
        )
    if X.size == 0:
        raise ValueError(
            f"X is empty (shape {X.shape}); pass at least one window of one sample."
        )
    if not np.issubdtype(X.dtype, np.number) or np.issubdtype(
        X.dtype, np.complexfloating
    ):
        raise ValueError(f"X must hold real numbers; got dtype {X.dtype}.")
    if not np.isfinite(X).all():
        raise ValueError(
            "X contains NaN or infinity; clean or interpolate the windows first."
        )
    n, T = X.shape
    energy = _qrs_energy(X, fs)
    c = T // 2
    r = int(round(search_radius * fs))
    lo, hi = max(c - r, 0), min(c + r + 1, T)
    centre = lo + energy[:, lo:hi].argmax(axis=1)
    ref = energy[np.arange(n), centre]
    width = 2 * max(int(round(refractory * fs)), 1) + 1
    rising = np.ones(energy.shape, dtype=bool)
    rising[:, 1:] = energy[:, 1:] > energy[:, :-1]  # first sample of a plateau only
    local_max = (
        energy == maximum_filter1d(energy, width, axis=-1, mode="nearest")
    ) & rising
    beats = local_max & (energy > threshold * ref[:, None])
    idx = np.arange(T)
    beats &= np.abs(idx[None, :] - centre[:, None]) > refractory * fs
    # move every beat from its energy peak to its R-peak (largest deviation
    # from the row's median within 60 ms), so intervals do not jitter with noise
    deviation = np.abs(X - np.median(X[:, ::4], axis=1, keepdims=True))
    rows, cols = np.nonzero(beats)
    rows = np.r_[rows, np.arange(n)]
    cols = np.r_[cols, centre]
    offsets = np.arange(-int(round(0.06 * fs)), int(round(0.06 * fs)) + 1)
    pos = np.clip(cols[:, None] + offsets[None, :], 0, T - 1)
    peak = pos[np.arange(len(pos)), deviation[rows[:, None], pos].argmax(axis=1)]
    beats = np.zeros((n, T), dtype=bool)
    beats[rows, peak] = True
    return beats, peak[-n:]


class RRFeatures(TransformerMixin, BaseEstimator):
    """RR-interval features of the centre beat of every context window.

    Every window (R-peak at index ``T // 2``) is scanned for beats (see
    :func:`detect_beats`); the features, in seconds and as ratios, are:

    ======================  ==============================================
    ``rr_prev``             interval from the previous beat to the centre
    ``rr_next``             interval from the centre to the next beat
    ``rr_local``            mean interval between the beats of the window
    ``rr_prev_local``       ``rr_prev / rr_local`` (< 1 for a premature beat)
    ``rr_next_local``       ``rr_next / rr_local`` (> 1 after a compensatory pause)
    ``rr_prev_next``        ``rr_prev / rr_next``
    ======================  ==============================================

    Ratios to the local rhythm make prematurity comparable across patients
    with different heart rates.  Windows of 3 s or more (the loaders use
    4 s) hold the neighbouring beats.  Fallbacks, so that every window
    gives finite features: a missing previous or next beat takes the local
    mean; a window with no other beat takes ``default_rr`` for all three
    intervals.

    The number of output columns is the class attribute ``n_features``
    (6); append the features to a beat with a ``FeatureUnion`` and pass
    ``n_extra_features=RRFeatures.n_features`` to the network, which routes
    the last columns to its dense head::

        features = FeatureUnion([
            ("beat", make_pipeline(BeatSegmenter(), DWTDenoiser())),
            ("rr", RRFeatures()),
        ])
        pipe = Pipeline([  # imblearn.pipeline.Pipeline
            ("features", features),
            ("smote", SMOTE()),
            ("clf", CNN1D(n_extra_features=RRFeatures.n_features)),
        ])

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the windows in Hz.
    threshold : float, default=0.15
        Fraction of the centre beat's QRS energy another beat must exceed.
    refractory : float, default=0.2
        Shortest RR interval in seconds.
    default_rr : float, default=0.8
        Interval in seconds used when a window holds no other beat.
    lead : int, default=0
        Channel used for 3-D input.

    Attributes
    ----------
    n_features : int
        Number of output columns (class attribute, 6).
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in :meth:`fit`.

    See Also
    --------
    BeatSegmenter : The beat the features accompany.
    segment_recording : Context windows from a raw recording.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import RRFeatures, segment_recording
    >>> strip = np.zeros(3600)
    >>> strip[[360, 648, 936, 1152, 1512, 1800]] = 1.0  # one beat 0.2 s early
    >>> windows, _ = segment_recording(strip, fs=360, peaks=[1152])
    >>> f = RRFeatures(fs=360).fit_transform(windows)
    >>> f.shape == (1, RRFeatures.n_features)
    True
    >>> bool(f[0, 3] < 1 < f[0, 4])
    True
    """

    n_features = len(_NAMES)

    _parameter_constraints = {
        "fs": [Interval(Real, 0, None, closed="neither")],
        "threshold": [Interval(Real, 0, None, closed="left")],
        "refractory": [Interval(Real, 0, None, closed="neither")],
        "default_rr": [Interval(Real, 0, None, closed="neither")],
        "lead": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self, fs=360, *, threshold=0.15, refractory=0.2, default_rr=0.8, lead=0
    ):
        self.fs = fs
        self.threshold = threshold
        self.refractory = refractory
        self.default_rr = default_rr
        self.lead = lead

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the input shape and the parameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Beat-centred context windows sampled at ``fs``.
        y : None
            Ignored.

        Returns
        -------
        self : RRFeatures
        """
        X = validate_signal(self, X, reset=True)
        check_lead(X, self.lead)
        return self

    def transform(self, X):
        """Measure the RR features of every window.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Beat-centred context windows sampled at ``fs``.

        Returns
        -------
        features : ndarray of shape (n_samples, 6)
            Columns as listed by :meth:`get_feature_names_out`.
        """
        check_is_fitted(self)
        X = validate_signal(self, X, reset=False)
        check_lead(X, self.lead)
        ref = X[:, self.lead] if X.ndim == 3 else X
        beats, centre = detect_beats(
            ref, self.fs, threshold=self.threshold, refractory=self.refractory
        )
        idx = np.arange(ref.shape[1])[None, :]
        prev = np.where(beats & (idx < centre[:, None]), idx, -1).max(axis=1)
        nxt = np.where(beats & (idx > centre[:, None]), idx, ref.shape[1]).min(axis=1)
        first = np.where(beats, idx, ref.shape[1]).min(axis=1)
        last = np.where(beats, idx, -1).max(axis=1)
        count = beats.sum(axis=1)
        default = self.default_rr * self.fs
        local = np.where(count > 1, (last - first) / np.maximum(count - 1, 1), default)
        rr_prev = np.where(prev >= 0, centre - prev, local)
        rr_next = np.where(nxt < ref.shape[1], nxt - centre, local)
        rr = np.stack([rr_prev, rr_next, local], axis=1) / self.fs
        out = np.column_stack(
            [rr, rr[:, 0] / rr[:, 2], rr[:, 1] / rr[:, 2], rr[:, 0] / rr[:, 1]]
        )
        return out.astype(X.dtype, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(_NAMES, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
