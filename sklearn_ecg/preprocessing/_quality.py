"""Signal quality of every beat: how well two QRS detectors agree around it."""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval, validate_params
from ._r_peaks import _check_lead, _gqrs

__all__ = ["qrs_agreement"]


def _count(sorted_at, lo, hi, weights=None):
    """Items of ``sorted_at`` (or their ``weights``) in each interval ``[lo, hi)``."""
    start = np.searchsorted(sorted_at, lo, side="left")
    stop = np.searchsorted(sorted_at, hi, side="left")
    if weights is None:
        return stop - start
    cumulative = np.r_[0, np.cumsum(weights)]
    return cumulative[stop] - cumulative[start]


@validate_params(
    {
        "signal": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "peaks": ["array-like"],
        "window": [Interval(Real, 0, None, closed="neither")],
        "tolerance": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def qrs_agreement(signal, fs, peaks, *, window=10.0, tolerance=0.15):
    """Signal quality of every beat: the agreement of two QRS detectors around it.

    Where the ECG is clean, two QRS detectors built on different principles
    find the same beats; where noise or a loose electrode makes the signal
    unreadable, they disagree.  The agreement over a stretch of signal,
    ``matched / (n_peaks + n_other - matched)``, is the bSQI of Li, Mark and
    Clifford (2008): 1 where every beat is found by both, towards 0 where
    each finds beats the other does not.  Here ``peaks`` are one detector's
    beats (those of :func:`detect_r_peaks`, wfdb's XQRS, or any others), the
    other detector is wfdb's GQRS (:func:`wfdb.processing.gqrs_detect`), and
    the agreement is taken over the ``window`` seconds centred on each peak
    (cut short at the signal's ends).  A peak of ``peaks`` is matched when
    GQRS has a detection within ``tolerance`` seconds of it.

    Parameters
    ----------
    signal : array-like of shape (n_times,)
        One lead in millivolts.  GQRS looks for QRS complexes of about
        0.75 mV peak to peak; on a lead whose median QRS peak-to-peak
        amplitude at ``peaks`` is smaller (a V1 or a low-voltage record),
        it looks for that amplitude instead, so that a clean small lead is
        not read as unreadable.
    fs : float
        Sampling frequency in Hz.
    peaks : array-like of int
        R-peak sample indices, strictly increasing, within the signal.
    window : float, default=10.0
        Seconds over which the agreement around each peak is counted.
    tolerance : float, default=0.15
        Seconds within which two detections are the same beat (EC57's
        match window).

    Returns
    -------
    agreement : ndarray of shape (n_peaks,)
        bSQI of the window around each peak, in [0, 1].

    Raises
    ------
    ValueError
        If the signal is not 1-D, finite and long enough for one window, or
        the peaks are not strictly increasing sample indices within it.

    See Also
    --------
    detect_r_peaks : The package's R-peak detector.
    sklearn_ecg.annotation.annotate_signal : Marks beats of low agreement as
        unclassifiable (``quality_threshold``).

    References
    ----------
    Q. Li, R. G. Mark and G. D. Clifford, "Robust heart rate estimation from
    multiple asynchronous noisy sources using signal quality indices and a
    Kalman filter", Physiological Measurement 29(1), 15-32, 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.datasets import make_ecg_noise
    >>> from sklearn_ecg.preprocessing import detect_r_peaks, qrs_agreement
    >>> fs = 360
    >>> t = np.arange(120 * fs) / fs
    >>> signal = sum(np.exp(-0.5 * ((t - b) / 0.012) ** 2)
    ...              for b in np.arange(0.5, 119.5, 0.8))
    >>> motion = make_ecg_noise(t.size, kind="em", fs=fs, rms=0.5, random_state=0)
    >>> signal += np.where(t >= 60, motion, 0.0)  # electrode motion after a minute
    >>> peaks = detect_r_peaks(signal, fs)
    >>> agreement = qrs_agreement(signal, fs, peaks)
    >>> float(np.median(agreement[peaks < 55 * fs]))
    1.0
    >>> bool(np.median(agreement[peaks > 65 * fs]) < 0.6)
    True
    """
    from ..datasets._noise import _qrs_amplitude  # datasets imports preprocessing
    from ..datasets._wfdb_beats import _match

    x = _check_lead(signal)
    fs = float(fs)
    if x.size < fs:
        raise ValueError(
            f"signal holds {x.size} samples, less than one second at fs={fs:g} Hz; "
            "qrs_agreement needs at least a second of ECG."
        )
    peaks = np.asarray(peaks)
    if peaks.ndim != 1 or (peaks.size and not np.issubdtype(peaks.dtype, np.integer)):
        raise ValueError(
            f"peaks must be a 1-D array of integer sample indices; got {peaks!r}."
        )
    peaks = peaks.astype(np.int64)
    if peaks.size and (
        np.any(np.diff(peaks) <= 0) or peaks[0] < 0 or peaks[-1] >= x.size
    ):
        raise ValueError(
            f"peaks must be strictly increasing sample indices in [0, {x.size}); got "
            f"values from {peaks.min()} to {peaks.max()}"
            f"{'' if np.all(np.diff(peaks) > 0) else ', not strictly increasing'}."
        )
    if not peaks.size:
        return np.empty(0)
    other = _gqrs(x, fs, _qrs_amplitude(x, peaks, fs)[0])
    tol = tolerance * fs
    matched = (_match(peaks, other, tol) >= 0).astype(np.int64)
    half = window * fs / 2
    lo, hi = peaks - half, peaks + half
    n_peaks = _count(peaks, lo, hi)
    n_other = _count(other, lo, hi)
    n_matched = _count(peaks, lo, hi, matched)
    union = n_peaks + n_other - n_matched
    return np.where(union > 0, n_matched / np.maximum(union, 1), 1.0)
