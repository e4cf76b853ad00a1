"""Fiducial measurements of every beat (QRS widths, onset, offset, Q/R/S, P), over the patient's."""

from numbers import Integral, Real

import numpy as np
from scipy.ndimage import uniform_filter1d
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._context import check_context_rows, template_length
from ..utils._sklearn_compat import Interval, _fit_context, validate_data
from ._morphology import _BASELINE, _region, _template_scale

__all__ = ["FiducialFeatures"]

# seconds from the annotated R-peak
_PEAK_SEARCH = (-0.06, 0.06)  # where the main QRS deflection is looked for
_ENERGY_SPAN = (-0.15, 0.2)  # where the slope energy locates QRS onset and offset
_ENERGY_LEVELS = (0.05, 0.95)
_Q_SPAN = 0.08  # before the main deflection
_S_SPAN = 0.1  # after it
_P_WAVE = (-0.25, -0.06)
_SMOOTH = 0.01  # moving average before the fiducial points, seconds
_P_SMOOTH = 0.03  # stronger for the P wave

_MEASURES = (
    "qrs_width50",
    "qrs_width25",
    "qrs_onset",
    "qrs_offset",
    "qrs_duration",
    "q_amplitude",
    "r_amplitude",
    "s_amplitude",
    "p_amplitude",
    "pr_interval",
)
_NAMES = _MEASURES + (
    "log_width50_ratio",
    "log_width25_ratio",
    "log_duration_ratio",
    "onset_shift",
    "offset_shift",
    "q_shift",
    "r_shift",
    "s_shift",
    "log_p_ratio",
    "pr_shift",
)


def _index(center, fs, t, length):
    return int(min(max(center + round(t * fs), 0), length - 1))


def _crossing_width(x, peak, level):
    """Width (in samples) of the run of ``x >= level`` around ``peak``, edges interpolated."""
    n, length = x.shape
    idx = np.arange(length)
    rows = np.arange(n)
    below = x < level[:, None]
    left = np.where(below & (idx < peak[:, None]), idx, -1).max(axis=1)
    right = np.where(below & (idx > peak[:, None]), idx, length).min(axis=1)
    # the level is crossed between left and left + 1, and between right - 1 and right
    lo, hi = np.clip(left, 0, length - 2), np.clip(right, 1, length - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac_l = (level - x[rows, lo]) / (x[rows, lo + 1] - x[rows, lo])
        frac_r = (x[rows, hi - 1] - level) / (x[rows, hi - 1] - x[rows, hi])
    t_left = np.where(left < 0, 0.0, lo + np.clip(np.nan_to_num(frac_l), 0, 1))
    t_right = np.where(
        right >= length, length - 1.0, hi - 1 + np.clip(np.nan_to_num(frac_r), 0, 1)
    )
    return t_right - t_left


def _measure(beats, center, fs):
    """The ten fiducial measurements of baseline-free beats, amplitudes in signal units."""
    n, length = beats.shape
    rows = np.arange(n)
    idx = np.arange(length)
    smooth = uniform_filter1d(
        beats, max(int(round(_SMOOTH * fs)), 1), axis=1, mode="nearest"
    )
    lo, hi = (_index(center, fs, t, length) for t in _PEAK_SEARCH)
    peak = lo + np.abs(smooth[:, lo : hi + 1]).argmax(axis=1)
    amplitude = smooth[rows, peak]
    sign = np.where(amplitude < 0, -1.0, 1.0)
    upright = smooth * sign[:, None]
    height = np.abs(amplitude)
    width50 = _crossing_width(upright, peak, 0.5 * height) / fs
    width25 = _crossing_width(upright, peak, 0.25 * height) / fs

    lo, hi = (_index(center, fs, t, length) for t in _ENERGY_SPAN)
    slope = np.diff(smooth[:, lo : hi + 2], axis=1)
    energy = np.cumsum(slope * slope, axis=1)
    total = energy[:, -1:]
    share = energy / np.where(total > 0, total, 1.0)
    onset_i = lo + np.argmax(share >= _ENERGY_LEVELS[0], axis=1)
    offset_i = lo + np.argmax(share >= _ENERGY_LEVELS[1], axis=1)
    flat = total[:, 0] <= 0
    onset_i = np.where(flat, peak, onset_i)
    offset_i = np.where(flat, peak, offset_i)

    q_lo = np.maximum(peak - int(round(_Q_SPAN * fs)), 0)
    s_hi = np.minimum(peak + int(round(_S_SPAN * fs)), length - 1)
    big = np.inf
    q = np.where((idx >= q_lo[:, None]) & (idx <= peak[:, None]), smooth, big).min(
        axis=1
    )
    s = np.where((idx >= peak[:, None]) & (idx <= s_hi[:, None]), smooth, big).min(
        axis=1
    )

    p_smooth = uniform_filter1d(
        beats, max(int(round(_P_SMOOTH * fs)), 1), axis=1, mode="nearest"
    )
    lo, hi = (_index(center, fs, t, length) for t in _P_WAVE)
    p_part = p_smooth[:, lo : hi + 1]
    p_amplitude = p_part.max(axis=1) - p_part.min(axis=1)
    p_peak = lo + np.abs(p_part - np.median(p_part, axis=1, keepdims=True)).argmax(
        axis=1
    )
    return np.column_stack(
        [
            width50,
            width25,
            (onset_i - peak) / fs,
            (offset_i - peak) / fs,
            (offset_i - onset_i) / fs,
            q,
            amplitude,
            s,
            p_amplitude,
            (peak - p_peak) / fs,
        ]
    )


def _beats_and_templates(X, fs, layout):
    """Beats (0.25 s before to 0.45 s after the R-peak) and templates, baseline removed.

    ``layout`` None: plain windows, every beat its own template.
    """
    length, center = template_length(fs)
    n_window = X.shape[1] if layout is None else layout.n_window
    pos = np.clip(n_window // 2 - center + np.arange(length), 0, n_window - 1)
    beats = X[:, pos].astype(np.float64)
    templates = beats if layout is None else X[:, layout.template].astype(np.float64)
    base = _region(center, length, fs, _BASELINE)
    beats = beats - np.median(beats[:, base], axis=1, keepdims=True)
    templates = templates - np.median(templates[:, base], axis=1, keepdims=True)
    return beats, templates, center


class FiducialFeatures(TransformerMixin, BaseEstimator):
    """Fiducial measurements of every beat, each also against the patient's template.

    Each beat is cut from its window from 0.25 s before to 0.45 s after the
    R-peak, as is the running template the context rows carry (the median
    of the record's previous on-time beats, see :func:`record_context`);
    both are referred to their own baseline (median from 0.25 to 0.05 s
    before the R-peak) and smoothed by a 10 ms moving average.  The same ten
    measurements are taken on the beat and on the template, and the beat's
    are returned, then the beat's against the template's (a log-ratio for
    widths and amplitudes that scale, a difference for times and for
    amplitudes that may be 0), in this order:

    ======================  ===================================================
    ``qrs_width50``         width of the main QRS deflection (the largest
                            within 60 ms of the R-peak, either sign) at half
                            its amplitude (s)
    ``qrs_width25``         the same at a quarter of its amplitude (s)
    ``qrs_onset``           QRS onset: where 5 % of the squared slope from
                            -0.15 to 0.2 s has accumulated, from the main
                            deflection (s, < 0)
    ``qrs_offset``          QRS offset: where 95 % has (s)
    ``qrs_duration``        offset minus onset (s)
    ``q_amplitude``         lowest value in the 80 ms before the main
                            deflection (template R amplitudes)
    ``r_amplitude``         the main deflection (template R amplitudes)
    ``s_amplitude``         lowest value in the 100 ms after it
    ``p_amplitude``         range of the beat smoothed over 30 ms from
                            -0.25 to -0.06 s (template R amplitudes; low
                            where no P wave precedes the QRS)
    ``pr_interval``         time from the P wave's largest deviation from
                            its median in that span to the main deflection
                            (s)
    ``log_width50_ratio``,  ``log`` of the beat's over the template's
    ``log_width25_ratio``,  ``qrs_width50``, ``qrs_width25`` and
    ``log_duration_ratio``  ``qrs_duration``
    ``onset_shift``,        the beat's ``qrs_onset``, ``qrs_offset``,
    ``offset_shift``,       ``q_amplitude``, ``r_amplitude``,
    ``q_shift``,            ``s_amplitude`` minus the template's
    ``r_shift``,
    ``s_shift``
    ``log_p_ratio``         ``log`` of the beat's ``p_amplitude`` over the
                            template's
    ``pr_shift``            the beat's ``pr_interval`` minus the template's
    ======================  ===================================================

    Amplitudes are divided by the template's R amplitude (its largest
    deviation from baseline over the QRS when the R-peak sample is small),
    so they compare patients with different electrode gains; every time is
    in seconds, so the features are the same at any sampling frequency up to
    sampling error (the width crossings are interpolated between samples).
    The template stands for the patient's running mean: it is built from
    beats that came on time only, so a prevailing premature rhythm does not
    become the patient's reference.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the rows in Hz.
    n_rr : int or None, default=None
        Previous R-R intervals in each context row (the loaders' ``n_rr``,
        512 by default): the rows are ``[window | template | rr]``, split by
        :func:`context_layout`, and the rr block must hold intervals (no
        negative value; plain windows there raise ``ValueError``).  None:
        the rows are plain beat-centred windows, each beat is its own
        template and the comparisons are 0, as in
        :class:`MorphologyFeatures`.
    n_next : int, default=1
        Following R-R intervals in each context row (``n_rr`` not None).

    Attributes
    ----------
    n_features : int
        Number of output columns (class attribute, 20).
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.

    See Also
    --------
    MorphologyFeatures : Shape summaries against the same template.
    RhythmFeatures : Rhythm features from the same rows.
    record_context : The running template and the R-R history.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import FiducialFeatures, segment_recording
    >>> t = np.arange(7200) / 360
    >>> peaks = np.arange(180, 7000, 288)
    >>> width = np.where(np.arange(len(peaks)) == 20, 0.03, 0.01)  # beat 20 is wide
    >>> signal = np.exp(-0.5 * ((t[:, None] - peaks / 360) / width) ** 2).sum(axis=1)
    >>> rows, _ = segment_recording(signal, fs=360, peaks=peaks, context=True, n_rr=16)
    >>> fiducial = FiducialFeatures(fs=360, n_rr=16).fit(rows)
    >>> f = fiducial.transform(rows)
    >>> names = list(fiducial.get_feature_names_out())
    >>> f[[10, 20], names.index("qrs_width50")].round(3).tolist()  # seconds
    [0.025, 0.071]
    >>> f[[10, 20], names.index("log_width50_ratio")].round(2).tolist()
    [0.0, 1.05]
    """

    n_features = len(_NAMES)

    _parameter_constraints = {
        "fs": [Interval(Real, 0, None, closed="neither")],
        "n_rr": [Interval(Integral, 1, None, closed="left"), None],
        "n_next": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, fs=360, *, n_rr=None, n_next=1):
        self.fs = fs
        self.n_rr = n_rr
        self.n_next = n_next

    def _validate(self, X, reset):
        X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        owner = (
            f"FiducialFeatures(fs={self.fs}, n_rr={self.n_rr}, n_next={self.n_next})"
        )
        layout = check_context_rows(
            X, owner, fs=float(self.fs), n_rr=self.n_rr, n_next=self.n_next
        )
        return X, layout

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the rows and the parameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Context rows (``n_rr`` given) or beat-centred windows.
        y : None
            Ignored.

        Returns
        -------
        self : FiducialFeatures
        """
        self._validate(X, reset=True)
        return self

    def transform(self, X):
        """Measure every beat and compare it with its template.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Rows laid out as in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, 20)
            Columns as listed by :meth:`get_feature_names_out`, in the
            dtype of ``X``.
        """
        check_is_fitted(self)
        X, layout = self._validate(X, reset=False)
        fs = float(self.fs)
        beats, templates, center = _beats_and_templates(X, fs, layout)
        mb, mt = _measure(beats, center, fs), _measure(templates, center, fs)
        scale = _template_scale(templates, center, fs)
        for m in (mb, mt):
            m[:, 5:9] /= scale[:, None]  # Q, R, S and P amplitudes
        tiny = 1.0 / fs  # a width or a duration is never below one sample

        def log_ratio(a, b, floor):
            return np.log(np.maximum(a, floor) / np.maximum(b, floor))

        compared = np.column_stack(
            [
                log_ratio(mb[:, 0], mt[:, 0], tiny),
                log_ratio(mb[:, 1], mt[:, 1], tiny),
                log_ratio(mb[:, 4], mt[:, 4], tiny),
                mb[:, 2] - mt[:, 2],
                mb[:, 3] - mt[:, 3],
                mb[:, 5] - mt[:, 5],
                mb[:, 6] - mt[:, 6],
                mb[:, 7] - mt[:, 7],
                log_ratio(mb[:, 8], mt[:, 8], 0.01),
                mb[:, 9] - mt[:, 9],
            ]
        )
        return np.hstack([mb, compared]).astype(X.dtype, copy=False)

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
