"""Cutting fixed-length heartbeats out of beat-centred context windows."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._context import DEFAULT_N_RR, DEFAULT_N_TEMPLATE, add_context, record_context
from ..utils._signal import minmax_rows, resample
from ..utils._sklearn_compat import Interval, StrOptions, _fit_context, validate_params
from ..utils._validation import check_lead, validate_signal
from ._beat_detection import detect_beats
from ._r_peaks import detect_r_peaks

__all__ = ["BeatSegmenter", "segment_recording"]


def _local_maxima(X):
    """Boolean mask of local maxima: the first derivative crosses zero from above.

    A sample is a maximum when the signal rises into it and does not rise
    after it; the first and last samples are never maxima.
    """
    d = np.diff(X, axis=-1)
    mask = np.zeros(X.shape, dtype=bool)
    mask[..., 1:-1] = (d[..., :-1] > 0) & (d[..., 1:] <= 0)
    return mask


def _nearest_to(mask, centre, radius):
    """Index of the ``True`` entry of each row nearest ``centre`` within ``radius``.

    Rows with no such entry get ``centre``.
    """
    idx = np.arange(mask.shape[-1])
    dist = np.where(mask, np.abs(idx - centre), np.iinfo(np.int64).max)
    best = dist.argmin(axis=-1)
    found = dist[np.arange(mask.shape[0]), best] <= radius
    return np.where(found, best, centre)


def _median_rr(mask, min_rr):
    """Median distance in samples between consecutive ``True`` entries per row.

    Intervals shorter than ``min_rr`` samples (two maxima on one QRS) are
    ignored; rows with no usable interval get NaN.
    """
    idx = np.where(mask, np.arange(mask.shape[-1], dtype=float), np.nan)
    idx.sort(axis=-1)  # NaN sort last
    rr = np.diff(idx, axis=-1)
    rr[rr < min_rr] = np.nan
    out = np.full(mask.shape[0], np.nan)
    usable = ~np.all(np.isnan(rr), axis=-1)
    if usable.any():
        out[usable] = np.nanmedian(rr[usable], axis=-1)
    return out


def _gather(X, start, length, fill):
    """``X[..., start_i : start_i + length]`` per row ``i``.

    Out-of-range positions take ``fill="edge"`` (edge value) or zero.
    ``X`` is ``(n, T)`` or ``(n, C, T)``; ``start`` is ``(n,)``.
    """
    T = X.shape[-1]
    pos = start[:, None] + np.arange(length)[None, :]
    inside = (pos >= 0) & (pos < T)
    pos_c = np.clip(pos, 0, T - 1)
    if X.ndim == 3:
        pos_c = pos_c[:, None, :].repeat(X.shape[1], axis=1)
        inside = inside[:, None, :]
    out = np.take_along_axis(X, pos_c, axis=-1)
    if fill == "zero":
        out = np.where(inside, out, 0)
    return out


class BeatSegmenter(TransformerMixin, BaseEstimator):
    """Cut one fixed-length heartbeat out of each beat-centred context window.

    Input rows are context windows sampled at ``fs`` with the R-peak at index
    ``T // 2`` (the convention of :func:`sklearn_ecg.datasets.load_mitbih` and
    :func:`segment_recording`).  Each window is resampled to ``target_fs``
    and one beat is cut from it.

    ``method="kachuee"`` follows Kachuee et al. (2018), the recipe behind
    the 187-sample MIT-BIH heartbeat CSVs: the window is resampled and
    scaled to [0, 1]; local maxima are found from the zero crossings of the
    first derivative and those above ``threshold`` are R-peak candidates;
    the median RR interval of the window is the nominal period ``P``; the
    beat starts at the candidate nearest the centre and spans ``1.2 * P``,
    zero-padded (or truncated) to ``length`` samples, so the R-peak sits at
    index 0.  Fallbacks, so that every window gives a beat: when no
    candidate lies within ``search_radius`` seconds of the centre, the
    centre is taken as the R-peak; when the window holds fewer than two
    candidates at least 0.2 s apart (other beats below ``threshold``),
    ``P`` is the median interval between the beats found by
    :func:`detect_beats`, and ``default_rr`` if that finds fewer than two.

    ``method="window"`` keeps the raw amplitude and takes a fixed stretch
    from ``before`` seconds before the centre to ``after`` seconds after it,
    so the R-peak sits at index ``round(before * target_fs)`` and every beat
    has ``round(before * target_fs) + round(after * target_fs)`` samples.
    Parts of the stretch beyond the window repeat the edge value.

    Parameters
    ----------
    method : {"kachuee", "window"}, default="kachuee"
        How the beat is delimited.
    fs : float, default=360
        Sampling frequency of the input windows in Hz.
    target_fs : float, default=125
        Sampling frequency of the output beats in Hz.
    length : int, default=187
        Number of output samples for ``method="kachuee"``.
    threshold : float, default=0.9
        Normalised amplitude above which a local maximum is an R-peak
        candidate (``method="kachuee"``).
    search_radius : float, default=0.1
        Largest distance in seconds between the window centre and the
        candidate taken as its R-peak (``method="kachuee"``).
    default_rr : float, default=0.8
        RR interval in seconds used when no interval can be measured in a
        window (``method="kachuee"``).
    before, after : float, default=0.25, 0.45
        Seconds kept before and after the centre (``method="window"``).
    lead : int, default=0
        Channel whose R-peaks delimit the beat for 3-D input; every channel
        is cut at the same samples.

    Attributes
    ----------
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in :meth:`fit`.

    See Also
    --------
    segment_recording : Context windows from a raw recording.
    RhythmFeatures : Rhythm features the cut beat loses, from context rows.

    References
    ----------
    M. Kachuee, S. Fazeli and M. Sarrafzadeh, "ECG Heartbeat Classification:
    A Deep Transferable Representation", IEEE ICHI 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import BeatSegmenter
    >>> X = np.random.default_rng(0).normal(size=(3, 1440)).astype(np.float32)
    >>> BeatSegmenter().fit_transform(X).shape
    (3, 187)
    >>> BeatSegmenter(method="window", before=0.2, after=0.4).fit_transform(X).shape
    (3, 75)
    """

    _parameter_constraints = {
        "method": [StrOptions({"kachuee", "window"})],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "target_fs": [Interval(Real, 0, None, closed="neither")],
        "length": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "search_radius": [Interval(Real, 0, None, closed="left")],
        "default_rr": [Interval(Real, 0, None, closed="neither")],
        "before": [Interval(Real, 0, None, closed="left")],
        "after": [Interval(Real, 0, None, closed="left")],
        "lead": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        method="kachuee",
        *,
        fs=360,
        target_fs=125,
        length=187,
        threshold=0.9,
        search_radius=0.1,
        default_rr=0.8,
        before=0.25,
        after=0.45,
        lead=0,
    ):
        self.method = method
        self.fs = fs
        self.target_fs = target_fs
        self.length = length
        self.threshold = threshold
        self.search_radius = search_radius
        self.default_rr = default_rr
        self.before = before
        self.after = after
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
        self : BeatSegmenter
        """
        X = validate_signal(self, X, reset=True)
        if (
            self.method == "window"
            and round(self.before * self.target_fs) + round(self.after * self.target_fs)
            < 1
        ):
            raise ValueError(
                f"before={self.before} and after={self.after} seconds give no sample at "
                f"target_fs={self.target_fs} Hz; increase before or after."
            )
        check_lead(X, self.lead)
        return self

    def transform(self, X):
        """Cut one beat per window.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Beat-centred context windows sampled at ``fs``.

        Returns
        -------
        beats : ndarray of shape (n_samples, n_out) or (n_samples, n_channels, n_out)
            ``n_out`` is ``length`` for ``method="kachuee"`` and
            ``round(before * target_fs) + round(after * target_fs)`` for
            ``method="window"``.
        """
        check_is_fitted(self)
        X = validate_signal(self, X, reset=False)
        check_lead(X, self.lead)
        centre = int(round((X.shape[-1] // 2) * self.target_fs / self.fs))
        Xr = resample(X, self.fs, self.target_fs)
        centre = min(centre, Xr.shape[-1] - 1)
        if self.method == "window":
            n_before = int(round(self.before * self.target_fs))
            n_after = int(round(self.after * self.target_fs))
            start = np.full(X.shape[0], centre - n_before)
            return _gather(Xr, start, n_before + n_after, "edge")
        Xr = minmax_rows(Xr)
        ref = Xr[:, self.lead] if Xr.ndim == 3 else Xr
        candidates = _local_maxima(ref) & (ref >= self.threshold)
        r_peak = _nearest_to(candidates, centre, self.search_radius * self.target_fs)
        rr = _median_rr(candidates, 0.2 * self.target_fs)
        missing = np.isnan(rr)
        if missing.any():
            beats_found, _ = detect_beats(ref[missing], self.target_fs)
            rr[missing] = _median_rr(beats_found, 0.2 * self.target_fs)
        rr = np.where(np.isnan(rr), self.default_rr * self.target_fs, rr)
        beat_len = np.round(1.2 * rr).astype(int)
        beats = _gather(Xr, r_peak, self.length, "zero")
        keep = np.arange(self.length)[None, :] < beat_len[:, None]
        if beats.ndim == 3:
            keep = keep[:, None, :]
        return np.where(keep, beats, 0).astype(X.dtype, copy=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


@validate_params(
    {
        "signal": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "peaks": ["array-like", None],
        "window": [Interval(Real, 0, None, closed="neither")],
        "lead": [Interval(Integral, 0, None, closed="left")],
        "context": ["boolean"],
        "n_rr": [Interval(Integral, 1, None, closed="left")],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "n_template": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def segment_recording(
    signal,
    fs,
    peaks=None,
    *,
    window=4.0,
    lead=0,
    context=False,
    n_rr=DEFAULT_N_RR,
    n_next=1,
    n_template=DEFAULT_N_TEMPLATE,
):
    """Beat-centred context windows from a raw recording.

    R-peaks are detected with :func:`detect_r_peaks` (wfdb's XQRS, run
    again over stretches where it falls silent, and GQRS where an R-R
    interval is far longer than usual) unless given.  Every
    window holds ``round(window * fs)`` samples with the R-peak at index
    ``n_window // 2``; samples beyond the recording repeat its edge value.
    This is the layout of :func:`sklearn_ecg.datasets.load_mitbih`, so the
    windows go straight into a fitted pipeline's ``predict``.

    With ``context=True`` every row also carries the record context, as
    ``load_mitbih(context=True)`` gives it: ``[window | template | rr]``,
    the running beat template and the R-R intervals around the beat,
    computed from the same peaks (see
    :func:`~sklearn_ecg.preprocessing.record_context`).  The rows are then
    2-D, cut from channel ``lead`` of a multi-lead ``signal``.

    Parameters
    ----------
    signal : array-like of shape (n_times,) or (n_channels, n_times)
        One recording, single- or multi-lead, of real numbers.
    fs : float
        Sampling frequency in Hz.
    peaks : array-like of int, default=None
        R-peak sample indices.  ``None`` runs :func:`detect_r_peaks` on
        channel ``lead``.
    window : float, default=4.0
        Context window length in seconds.
    lead : int, default=0
        Channel used for R-peak detection of a multi-lead ``signal`` (and for
        the rows with ``context=True``).
    context : bool, default=False
        Append the running template and R-R interval columns to every row.
    n_rr, n_next, n_template : int, default=512, 1, 64
        Previous and following R-R intervals per row and beats in the
        running template (``context=True`` only).

    Returns
    -------
    windows : ndarray of shape (n_beats, n_window) or (n_beats, n_channels, n_window)
        One context window per R-peak, float32 unless ``signal`` is float64.
        With ``context=True``, context rows of shape
        ``(n_beats, n_window + n_template_samples + n_rr + n_next)``.
    peaks : ndarray of shape (n_beats,)
        R-peak sample indices in the recording.

    See Also
    --------
    BeatSegmenter : Fixed-length beats from the windows.
    RhythmFeatures : Rhythm features of the context rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import segment_recording
    >>> signal = np.zeros(3600)
    >>> windows, peaks = segment_recording(signal, fs=360, peaks=[400, 700])
    >>> windows.shape, peaks.tolist()
    ((2, 1440), [400, 700])
    >>> rows, _ = segment_recording(signal, fs=360, peaks=[400, 700], context=True)
    >>> rows.shape  # 1440 window + 252 template + 512 + 1 R-R intervals
    (2, 2205)
    """
    sig = np.asarray(signal)
    if sig.ndim not in (1, 2):
        raise ValueError(
            f"signal must be a 1-D (n_times,) or 2-D (n_channels, n_times) array; "
            f"got an array of shape {sig.shape}."
        )
    if sig.dtype.kind == "c":
        raise ValueError(
            f"signal must be real-valued; got a complex array ({sig.dtype}). Pass "
            "signal.real (or np.abs(signal)) if that is the ECG you mean."
        )
    if not np.issubdtype(sig.dtype, np.floating):
        try:
            sig = sig.astype(np.float32)
        except (TypeError, ValueError):
            raise TypeError(
                f"signal must hold numbers; got an array of dtype {sig.dtype}."
            ) from None
    elif sig.dtype != np.float64:
        sig = sig.astype(np.float32, copy=False)
    if not np.all(np.isfinite(sig)):
        raise ValueError(
            "signal contains NaN or infinity; clean or interpolate it first."
        )
    if not (isinstance(fs, Real) and fs > 0):
        raise ValueError(f"fs must be a positive number of Hz; got {fs!r}.")
    if not (isinstance(window, Real) and window > 0):
        raise ValueError(
            f"window must be a positive number of seconds; got {window!r}."
        )
    n_window = int(round(window * fs))
    if n_window < 1:
        raise ValueError(f"window={window} s is shorter than one sample at fs={fs} Hz.")
    if not isinstance(context, (bool, np.bool_)):
        raise TypeError(f"context must be True or False; got {context!r}.")
    if sig.ndim == 2 and not 0 <= lead < sig.shape[0]:
        raise ValueError(
            f"lead={lead} but signal has {sig.shape[0]} channels; expected 0 <= lead < "
            f"{sig.shape[0]}."
        )
    T = sig.shape[-1]
    if peaks is None:
        peaks = detect_r_peaks(sig[lead] if sig.ndim == 2 else sig, fs)
    peaks = np.asarray(peaks)
    if peaks.ndim != 1 or (peaks.size and not np.issubdtype(peaks.dtype, np.integer)):
        raise ValueError(f"peaks must be a 1-D array of sample indices; got {peaks!r}.")
    peaks = peaks.astype(np.int64)
    if peaks.size and (peaks.min() < 0 or peaks.max() >= T):
        raise ValueError(
            f"peaks must lie in [0, {T}) for a signal of {T} samples; got values from "
            f"{peaks.min()} to {peaks.max()}."
        )
    start = peaks - n_window // 2
    pos = np.clip(start[:, None] + np.arange(n_window)[None, :], 0, T - 1)
    windows = sig[..., pos]
    if sig.ndim == 2:
        windows = np.moveaxis(windows, 0, 1)
    if not context:
        return np.ascontiguousarray(windows), peaks
    ref = sig[lead] if sig.ndim == 2 else sig
    template, rr = record_context(
        ref, peaks, fs, n_rr=n_rr, n_next=n_next, n_template=n_template
    )
    if sig.ndim == 2:
        windows = windows[:, lead]
    return add_context(windows, template, rr), peaks
