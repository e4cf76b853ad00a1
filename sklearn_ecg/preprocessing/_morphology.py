"""Beat morphology features, absolute and relative to the patient's running template."""

from numbers import Integral, Real

import numpy as np
import scipy.signal as sps
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._context import check_context_rows, context_layout, template_length
from .._kernels import gaussian_derivative_kernels, kernel_radius
from ..utils._signal import resample
from ..utils._sklearn_compat import Interval, _fit_context, validate_data

__all__ = ["MorphologyFeatures", "RelativeBeat"]

# regions in seconds from the R-peak (inclusive)
_BASELINE = (-0.25, -0.05)  # PR segment with the P wave: the beat's isoelectric level
_P_WAVE = (-0.25, -0.08)
_QRS = (-0.1, 0.1)
_WIDTH_SPAN = (-0.15, 0.2)  # where the slope energy measures the QRS width
_LOW_PASS_ORDER = 4  # of MorphologyFeatures(lowpass=...)'s Butterworth filter
_SIGMA = 0.025  # width of the Gaussian-derivative coefficients, seconds
# where they are taken, seconds; no slope at the R-peak itself, where it is
# near zero and swings with the sample the peak falls on
_OFFSETS = {0: (-0.2, -0.1, 0.0, 0.1, 0.2, 0.3), 1: (-0.2, -0.1, 0.1, 0.2, 0.3)}

_NAMES = (
    "qrs_width",
    "r_amplitude",
    "qrs_area",
    "qrs_energy",
    "r_ratio",
    "log_width_ratio",
    "corr",
    "rmsd",
    "corr_p",
    "rmsd_p",
    "corr_qrs",
    "rmsd_qrs",
) + tuple(
    f"g{order}_{round(1000 * t):+d}ms"
    for order, offsets in _OFFSETS.items()
    for t in offsets
)


def _region(center, length, fs, span):
    lo = min(max(center + int(round(span[0] * fs)), 0), length - 1)
    hi = min(max(center + int(round(span[1] * fs)), 0), length - 1)
    return slice(lo, hi + 1)


def _width(beats, center, fs):
    """Energy-weighted spread (s) of the squared slope around the R-peak: wide QRS, large spread."""
    part = _region(center, beats.shape[1], fs, _WIDTH_SPAN)
    slope = (
        np.gradient(beats, axis=1)[:, part]
        if beats.shape[1] > 1
        else np.zeros_like(beats)
    )
    energy = slope * slope
    t = (np.arange(beats.shape[1])[part] - center) / fs
    total = energy.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    mean = (energy * t).sum(axis=1) / safe
    spread = np.sqrt(
        np.maximum((energy * (t - mean[:, None]) ** 2).sum(axis=1) / safe, 0.0)
    )
    return np.where(total > 0, 2.0 * spread, 0.0)


def _compare(beats, templates, scale):
    """Correlation and RMS difference (in template R amplitudes) of matching rows."""
    b = beats - beats.mean(axis=1, keepdims=True)
    t = templates - templates.mean(axis=1, keepdims=True)
    denom = np.sqrt((b * b).sum(axis=1) * (t * t).sum(axis=1))
    same = np.all(beats == templates, axis=1)
    corr = np.where(
        denom > 0, (b * t).sum(axis=1) / np.where(denom > 0, denom, 1.0), same * 1.0
    )
    rmsd = np.sqrt(np.mean((beats - templates) ** 2, axis=1)) / scale
    return corr, rmsd


def _low_pass(x, fs, cutoff):
    """``x`` through a zero-phase 4th-order Butterworth low-pass along its rows; ``cutoff`` None: ``x``."""
    if cutoff is None or x.shape[1] < 2:
        return x
    sos = sps.butter(_LOW_PASS_ORDER, cutoff, btype="lowpass", fs=fs, output="sos")
    # scipy's own pad length, shortened for rows too short for it
    padlen = min(3 * (2 * len(sos) + 1), x.shape[1] - 1)
    return sps.sosfiltfilt(sos, x, axis=1, padlen=padlen)


def _beats_and_templates(X, fs, n_rr, n_next, lowpass=None):
    """(beats, templates, R-peak index) cut from rows, each referred to its own baseline.

    Rows are context rows (``n_rr`` given, split by :func:`context_layout`;
    check them first with :func:`_layout`) or plain beat-centred windows
    (``n_rr`` None: every beat is its own template).  Beats span the
    template's 0.25 s before to 0.45 s after the R-peak.  With ``lowpass``
    (Hz), the whole window and the template are low-passed first.
    """
    length, center = template_length(fs)
    layout = (
        None
        if n_rr is None
        else context_layout(X.shape[1], fs, n_rr=n_rr, n_next=n_next)
    )
    n_window = X.shape[1] if layout is None else layout.n_window
    pos = np.clip(n_window // 2 - center + np.arange(length), 0, n_window - 1)
    window = X if layout is None else X[:, layout.window]
    beats = _low_pass(window, fs, lowpass)[:, pos]
    templates = (
        beats if layout is None else _low_pass(X[:, layout.template], fs, lowpass)
    )
    base = _region(center, length, fs, _BASELINE)
    beats = beats - np.median(beats[:, base], axis=1, keepdims=True)
    templates = templates - np.median(templates[:, base], axis=1, keepdims=True)
    return beats, templates, center


def _layout(estimator, X):
    """Check the rows against the estimator's ``fs``, ``n_rr`` and ``n_next``.

    Returns their layout, None for plain windows; see
    :func:`~sklearn_ecg._context.check_context_rows`.
    """
    owner = (
        f"{type(estimator).__name__}(fs={estimator.fs}, n_rr={estimator.n_rr}, "
        f"n_next={estimator.n_next})"
    )
    return check_context_rows(
        X, owner, fs=float(estimator.fs), n_rr=estimator.n_rr, n_next=estimator.n_next
    )


def _template_scale(templates, center, fs):
    """The template's R amplitude, or its largest QRS deviation when the R-peak sample is small."""
    qrs = _region(center, templates.shape[1], fs, _QRS)
    scale = np.maximum(
        np.abs(templates[:, center]), np.abs(templates[:, qrs]).max(axis=1)
    )
    return np.where(scale > 0, scale, 1.0)


class MorphologyFeatures(TransformerMixin, BaseEstimator):
    """Shape features of every beat, on its own and against the patient's template.

    Each beat is cut from its window from 0.25 s before to 0.45 s after the
    R-peak (the span of the running template the context rows carry, see
    :func:`record_context`), and both are referred to their own baseline
    (median from 0.25 to 0.05 s before the R-peak).  The features, in this
    order:

    ======================  ===================================================
    ``qrs_width``           twice the energy-weighted spread of the squared
                            slope from -0.15 to 0.2 s (s; a QRS width proxy)
    ``r_amplitude``         amplitude at the R-peak (signal units, mV)
    ``qrs_area``            area from -0.1 to 0.1 s (mV s)
    ``qrs_energy``          energy from -0.1 to 0.1 s (mV² s)
    ``r_ratio``             R amplitude over the template's R amplitude
    ``log_width_ratio``     ``log`` of the QRS width over the template's
    ``corr``, ``rmsd``      correlation with the template and RMS difference
                            over the whole span
    ``corr_p``, ``rmsd_p``  the same over the P wave (-0.25 to -0.08 s)
    ``corr_qrs``,           the same over the QRS (-0.1 to 0.1 s)
    ``rmsd_qrs``
    ``g0_…``, ``g1_…``      the beat smoothed by a Gaussian of 25 ms (order
                            0) at -200, -100, 0, 100, 200 and 300 ms, and
                            its slope (order 1, per second) at the same
                            instants but the R-peak
    ======================  ===================================================

    RMS differences and the Gaussian-derivative coefficients are divided by
    the template's R amplitude (its largest deviation from baseline when the
    R-peak sample is small), so they compare patients with different
    electrode gains.  Every duration is in seconds, so the features are the
    same at 360 Hz and at 128 Hz up to sampling error.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the rows in Hz.
    n_rr : int or None, default=None
        Previous R-R intervals in each context row, as the rows were built
        (the loaders' ``n_rr``, 512 by default): the rows are
        ``[window | template | rr]``, window + template + ``n_rr`` +
        ``n_next`` columns (see :func:`context_layout`).  None: the rows
        are not context rows but plain beat-centred windows
        (``load_mitbih()`` without context, any 2-D array); each beat is
        then its own template, so the template-relative features are
        constant (correlations 1, differences and ``log_width_ratio`` 0).
        Rows too narrow for the layout, an rr block holding no intervals,
        rows built with a larger ``n_rr``, and context rows given with
        ``n_rr=None`` raise ``ValueError`` naming the layout.
    n_next : int, default=1
        Following R-R intervals in each context row (``n_rr`` not None).
    lowpass : float or None, default=None
        Cut-off frequency in Hz of a zero-phase low-pass filter (a
        4th-order Butterworth run forwards and backwards,
        :func:`scipy.signal.sosfiltfilt`) through which each row's whole
        window and its template pass before the beat is cut: muscle noise
        and mains interference lie above most of the QRS's energy, and the
        slopes, energies and template comparisons are the features they
        disturb most.  It must lie below ``fs / 2``.  None: unfiltered.

    Attributes
    ----------
    n_features : int
        Number of output columns (class attribute, 23).
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.

    See Also
    --------
    RhythmFeatures : Rhythm features from the same rows.
    record_context : The running template.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import MorphologyFeatures, segment_recording
    >>> t = np.arange(3600) / 360
    >>> peaks = np.arange(180, 3600, 288)
    >>> narrow = np.exp(-0.5 * ((t[:, None] - peaks / 360) / 0.012) ** 2).sum(axis=1)
    >>> rows, _ = segment_recording(narrow, fs=360, peaks=peaks, context=True, n_rr=16)
    >>> features = MorphologyFeatures(fs=360, n_rr=16).fit(rows)
    >>> f = features.transform(rows)
    >>> names = list(features.get_feature_names_out())
    >>> round(float(f[5, names.index("corr")]), 3), round(float(f[5, names.index("r_ratio")]), 3)
    (1.0, 1.0)
    """

    n_features = len(_NAMES)

    _parameter_constraints = {
        "fs": [Interval(Real, 0, None, closed="neither")],
        "n_rr": [Interval(Integral, 1, None, closed="left"), None],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "lowpass": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __init__(self, fs=360, *, n_rr=None, n_next=1, lowpass=None):
        self.fs = fs
        self.n_rr = n_rr
        self.n_next = n_next
        self.lowpass = lowpass

    def __setstate__(self, state):
        # model files written before ``lowpass`` existed hold unfiltered features
        state.setdefault("lowpass", None)
        super().__setstate__(state)

    def _check(self, X):
        """Check the rows' layout and that ``lowpass`` lies below the Nyquist frequency."""
        _layout(self, X)
        if self.lowpass is not None and not self.lowpass < self.fs / 2:
            raise ValueError(
                f"lowpass must lie below the Nyquist frequency fs / 2 = {self.fs / 2:g} Hz; "
                f"got lowpass={self.lowpass!r}."
            )

    def _split(self, X):
        """(beats, templates, R-peak index) cut from the rows, baseline removed."""
        self._check(X)
        return _beats_and_templates(
            X, float(self.fs), self.n_rr, self.n_next, self.lowpass
        )

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
        self : MorphologyFeatures
        """
        X = validate_data(self, X, reset=True, dtype=[np.float64, np.float32])
        self._check(X)
        return self

    def transform(self, X):
        """Compute the morphology features of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Rows laid out as in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, 23)
            Columns as listed by :meth:`get_feature_names_out`, in the
            dtype of ``X``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        fs = float(self.fs)
        beats, templates, center = self._split(X.astype(np.float64))
        length = beats.shape[1]
        qrs = _region(center, length, fs, _QRS)
        p_wave = _region(center, length, fs, _P_WAVE)

        r_amp = beats[:, center]
        # the template's R amplitude sets the scale (see _template_scale)
        scale = _template_scale(templates, center, fs)
        width, t_width = _width(beats, center, fs), _width(templates, center, fs)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_width = np.where(
                (width > 0) & (t_width > 0), np.log(width / t_width), 0.0
            )
        columns = [
            width,
            r_amp,
            beats[:, qrs].sum(axis=1) / fs,
            (beats[:, qrs] ** 2).sum(axis=1) / fs,
            r_amp / scale,
            log_width,
        ]
        for part in (slice(None), p_wave, qrs):
            corr, rmsd = _compare(beats[:, part], templates[:, part], scale)
            columns += [corr, rmsd]

        radius = kernel_radius(_SIGMA * fs)
        kernels = gaussian_derivative_kernels(
            _SIGMA * fs, 1, np.arange(-radius, radius + 1.0), np
        )
        kernels[1] *= fs  # slope per second, not per sample
        padded = np.pad(beats, ((0, 0), (radius, radius)), mode="edge")
        for order, offsets in _OFFSETS.items():
            for t in offsets:
                at = min(max(center + int(round(t * fs)), 0), length - 1)
                columns.append(
                    padded[:, at : at + 2 * radius + 1] @ kernels[order] / scale
                )
        return np.column_stack(columns).astype(X.dtype, copy=False)

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


class RelativeBeat(TransformerMixin, BaseEstimator):
    """The beat minus the patient's running template, in template R amplitudes.

    A network that sees raw beats learns the morphology of its training
    patients; a network that sees each beat *relative to the patient's own
    normal beat* learns what makes a beat abnormal for any patient.  Each
    beat is cut from its window from 0.25 s before to 0.45 s after the
    R-peak, the running template the context row carries (the median of the
    record's previous beats, see :func:`record_context`) is subtracted,
    both referred to their own baseline, and the difference is divided by
    the template's R amplitude (electrode gain drops out) and resampled to
    ``target_fs``.  A normal beat gives a row near zero; a premature beat
    differs over its P wave, a ventricular beat over its QRS and T wave.
    This needs context rows and their ``n_rr``; without them there is no
    template to subtract.

    Parameters
    ----------
    fs : float, default=360
        Sampling frequency of the rows in Hz.
    target_fs : float, default=90
        Sampling frequency of the output in Hz.
    n_rr : int or None, default=None
        Previous R-R intervals in each context row, as the rows were built
        (the loaders' ``n_rr``, 512 by default): the rows are
        ``[window | template | rr]``, window + template + ``n_rr`` +
        ``n_next`` columns (see :func:`context_layout`).  None: the rows
        are not context rows but plain beat-centred windows; with no
        template to subtract, the output is each beat referred to its
        baseline in its own R amplitudes.  Rows too narrow for the layout,
        an rr block holding no intervals, rows built with a larger ``n_rr``,
        and context rows given with ``n_rr=None`` raise ``ValueError``
        naming the layout.
    n_next : int, default=1
        Following R-R intervals in each context row (``n_rr`` not None).

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    n_features_out_ : int
        Samples of each output row: 0.7 s at ``target_fs``.

    See Also
    --------
    MorphologyFeatures : Summary features of the same comparison.
    sklearn_ecg.pipelines.make_beat_pipeline : The network recipe that uses it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import RelativeBeat, segment_recording
    >>> t = np.arange(7200) / 360
    >>> peaks = np.arange(180, 7000, 288)
    >>> width = np.where(np.arange(len(peaks)) == 20, 0.04, 0.012)  # beat 20 is wide
    >>> signal = np.exp(-0.5 * ((t[:, None] - peaks / 360) / width) ** 2).sum(axis=1)
    >>> rows, _ = segment_recording(signal, fs=360, peaks=peaks, context=True, n_rr=16)
    >>> relative = RelativeBeat(fs=360, n_rr=16).fit_transform(rows)
    >>> relative.shape
    (24, 63)
    >>> energy = (relative ** 2).sum(axis=1)
    >>> int(energy.argmax()), bool(energy[10] < 1e-6)
    (20, True)
    """

    _parameter_constraints = {
        "fs": [Interval(Real, 0, None, closed="neither")],
        "target_fs": [Interval(Real, 0, None, closed="neither")],
        "n_rr": [Interval(Integral, 1, None, closed="left"), None],
        "n_next": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, fs=360, *, target_fs=90, n_rr=None, n_next=1):
        self.fs = fs
        self.target_fs = target_fs
        self.n_rr = n_rr
        self.n_next = n_next

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
        self : RelativeBeat
        """
        X = validate_data(self, X, reset=True, dtype=[np.float64, np.float32])
        _layout(self, X)
        self.n_features_out_ = self._relative(X[:1]).shape[1]
        return self

    def _relative(self, X):
        fs = float(self.fs)
        beats, templates, center = _beats_and_templates(
            X.astype(np.float64), fs, self.n_rr, self.n_next
        )
        if self.n_rr is None:  # plain windows: no template to subtract
            out = beats / _template_scale(beats, center, fs)[:, None]
        else:
            out = (beats - templates) / _template_scale(templates, center, fs)[:, None]
        return resample(out, fs, float(self.target_fs))

    def transform(self, X):
        """Subtract every beat's template and resample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Rows laid out as in :meth:`fit`.

        Returns
        -------
        relative : ndarray of shape (n_samples, n_times_out)
            ``n_times_out`` is ``n_features_out_`` (0.7 s at ``target_fs``);
            in the dtype of ``X``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        _layout(self, X)
        return self._relative(X).astype(X.dtype, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: ``relative0``, ``relative1``, ...

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(
            [f"relative{i}" for i in range(self.n_features_out_)], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
