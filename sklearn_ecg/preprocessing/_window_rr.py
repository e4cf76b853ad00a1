"""RR features from the context window alone (deprecated: use RhythmFeatures).

``RRFeatures`` measures a beat's R-R intervals against the beats of its own
4 s window.  Prematurity is relative to the patient's rhythm over minutes,
which the window does not hold, so it is deprecated in 0.2 and will be
removed in 0.4: :class:`RhythmFeatures` on context rows (``context=True`` in
the loaders and :func:`segment_recording`) reads the record's R-R history.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import deprecated
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import Interval, _fit_context
from ..utils._validation import check_lead, validate_signal
from ._beat_detection import detect_beats

__all__ = ["RRFeatures"]

_NAMES = (
    "rr_prev",
    "rr_next",
    "rr_local",
    "rr_prev_local",
    "rr_next_local",
    "rr_prev_next",
)


_DEPRECATION = (
    "it will be removed in 0.4. Use RhythmFeatures on context rows: load them with "
    "context=True (or segment_recording(..., context=True)) and pass "
    "RhythmFeatures(n_rr=...) the n_rr they were built with; it judges each beat "
    "against the record's R-R history over minutes, not the 4 s window."
)


@deprecated(_DEPRECATION)
class RRFeatures(TransformerMixin, BaseEstimator):
    """RR-interval features of the centre beat of every context window.

    .. deprecated:: 0.2
       ``RRFeatures`` is deprecated in 0.2 and will be removed in 0.4.  Use
       :class:`RhythmFeatures` on context rows: the 4 s window misses the
       premature beats of a slow rhythm with pauses (MIT-BIH record 232),
       which only the record's R-R history over minutes reveals.

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
    (6).

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
    RhythmFeatures : The replacement, on context rows.
    detect_beats : The beats found in each window.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import RRFeatures, segment_recording
    >>> strip = np.zeros(3600)
    >>> strip[[360, 648, 936, 1152, 1512, 1800]] = 1.0  # one beat 0.2 s early
    >>> windows, _ = segment_recording(strip, fs=360, peaks=[1152])
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)  # deprecated in 0.2
    ...     f = RRFeatures(fs=360).fit_transform(windows)
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
