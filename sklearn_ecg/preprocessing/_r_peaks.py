"""R-peaks of a whole recording: wfdb's XQRS, run again where it falls silent, and GQRS where a beat is missing.

XQRS adapts its detection threshold to the QRS amplitudes it has seen.
After a stretch of large noise, or where the QRS amplitude drops (common on
leads other than MLII), the threshold can stay above every later beat and
the detector finds nothing for minutes.  :func:`detect_r_peaks` runs XQRS
once more on each such silent stretch, so that it learns its threshold from
the beats there.  XQRS also looks for QRS energy between 5 and 20 Hz, which
a wide ventricular beat has little of: where an R-R interval is far longer
than its neighbours, wfdb's GQRS, built on another principle, is asked
whether it found a beat there.
"""

from numbers import Real

import numpy as np
from scipy.ndimage import median_filter

from ..utils._sklearn_compat import Interval, validate_params

__all__ = ["detect_r_peaks"]

_REFRACTORY = 0.2
_MAX_ROUNDS = 5
_QRS_HALF_WIDTH = 0.06
_MIN_LIKENESS = 0.6
_MIN_BEATS = 3
_MIN_AMPLITUDE = 0.1
# a missed beat: an R-R interval longer than rr_ratio times the median of the
# _RR_NEIGHBOURS around it holds a GQRS detection at least _MISSED_MARGIN s from
# both of its ends, of at least _MISSED_AMPLITUDE of the median QRS amplitude;
# the intervals the added beats leave are at most _MISSED_SPLIT times that
# median (a premature beat and its compensatory pause span two usual intervals)
# and an interval k medians long gets round(k) - 1 of them at most
_RR_NEIGHBOURS = 17
_MISSED_MARGIN = 0.3
_MISSED_AMPLITUDE = 0.4
_MISSED_SPLIT = 2.0

GQRS_QRS_AMPLITUDE, GQRS_QRS_AMPLITUDE_MIN = 750.0, 130.0
"""wfdb's GQRS defaults: the typical and the least QRS peak-to-peak amplitude in µV."""


def _complexes(signal, peaks, fs):
    """The samples 60 ms either side of each peak, mean removed; peaks too near an edge left out."""
    half = int(round(_QRS_HALF_WIDTH * fs))
    peaks = peaks[(peaks >= half) & (peaks < signal.size - half)]
    complexes = signal[peaks[:, None] + np.arange(-half, half + 1)]
    return complexes - complexes.mean(axis=1, keepdims=True)


def _look_like_beats(signal, found, fs, beat_amplitude):
    """Whether XQRS's detections ``found`` in a silent stretch are beats, not noise.

    Beats of one lead look like one another: their complexes correlate with
    their own median complex.  And they stand out of the noise: their
    median peak-to-peak amplitude is at least a tenth of
    ``beat_amplitude``, that of the beats found elsewhere (None: not tested).
    """
    complexes = _complexes(signal, found, fs)
    if len(complexes) < _MIN_BEATS:
        return False
    template = np.median(complexes, axis=0)
    norms = np.linalg.norm(complexes, axis=1) * np.linalg.norm(template)
    likeness = complexes @ template / np.where(norms > 0, norms, np.inf)
    if np.median(likeness) < _MIN_LIKENESS:
        return False
    if beat_amplitude is None:
        return True
    return bool(np.median(np.ptp(complexes, axis=1)) >= _MIN_AMPLITUDE * beat_amplitude)


def _median_amplitude(signal, peaks, fs):
    """Median peak-to-peak amplitude of the complexes at ``peaks``; None for fewer than three."""
    complexes = _complexes(signal, peaks, fs)
    if len(complexes) < _MIN_BEATS:
        return None
    return float(np.median(np.ptp(complexes, axis=1)))


def _gqrs_amplitude(amplitude):
    """GQRS's QRS amplitudes for a lead of median QRS peak-to-peak ``amplitude`` in mV.

    Empty (GQRS's defaults: a typical 750 µV, a least 130 µV) where the
    lead's QRS complexes are at least that large; below, the lead's own
    amplitude, and the least in the same proportion.  Lowered only: raised
    on large leads, GQRS would also miss the noise that
    :func:`~sklearn_ecg.preprocessing.qrs_agreement` is there to reveal.
    """
    typical = 1000.0 * float(amplitude)
    if not 0 < typical < GQRS_QRS_AMPLITUDE:
        return {}
    return {
        "QRSa": typical,
        "QRSamin": typical * GQRS_QRS_AMPLITUDE_MIN / GQRS_QRS_AMPLITUDE,
    }


def _gqrs(signal, fs, amplitude):
    """GQRS's detections in ``signal``, sorted, for a lead of median QRS amplitude ``amplitude`` (mV)."""
    from wfdb.processing import gqrs_detect

    peaks = gqrs_detect(sig=signal, fs=fs, **_gqrs_amplitude(amplitude))
    return np.unique(np.asarray(peaks, dtype=np.int64))


def _xqrs(signal, fs, start, stop):
    """XQRS's detections in ``signal[start:stop]``, as indices into ``signal``."""
    from wfdb.processing import xqrs_detect

    peaks = xqrs_detect(
        signal, fs=fs, sampfrom=int(start), sampto=int(stop), verbose=False
    )
    return np.asarray(peaks, dtype=np.int64)


def _check_lead(signal):
    """One lead as a float64 1-D array; ``ValueError``/``TypeError`` naming what is wrong."""
    x = np.asarray(signal)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(
            f"signal must be one lead, a 1-D array of samples; got shape {x.shape}."
        )
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(
        x.dtype, np.complexfloating
    ):
        raise TypeError(f"signal must hold real numbers; got dtype {x.dtype}.")
    x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("signal must hold finite numbers; it holds NaN or infinity.")
    return x


@validate_params(
    {
        "signal": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "max_gap": [Interval(Real, 0, None, closed="neither"), None],
        "rr_ratio": [Interval(Real, 1, None, closed="neither"), None],
    },
    prefer_skip_nested_validation=True,
)
def detect_r_peaks(signal, fs, *, max_gap=3.0, rr_ratio=1.5):
    """R-peaks of one lead with wfdb's XQRS, run again over silent stretches, GQRS where a beat is missing.

    :func:`wfdb.processing.xqrs_detect` runs on the whole signal.  Then every
    stretch longer than ``max_gap`` seconds without a detection (the start
    and end of the signal included) gets an XQRS run of its own, which
    learns its threshold from that stretch.  Its detections are added when
    they look like beats: like one another, as one lead's beats do (the
    median correlation of the complexes, 120 ms around each peak, with their
    median complex is at least 0.6, over three detections at least), and
    standing out of the noise (their median peak-to-peak amplitude is at
    least a tenth of that of the beats found elsewhere).  In a real pause or
    with the lead off, XQRS run afresh finds noise, which fails one or the
    other.  This repeats on the stretches still silent, up to five times.
    Where the first run leaves no such stretch, the result is exactly
    XQRS's.

    XQRS adapts its threshold to the beats it has found, so after a burst of
    noise or where the QRS shrinks (common on leads other than MLII) it can
    stay silent for minutes: on the second lead of the 22 MIT-BIH DS2
    records XQRS alone misses 5.4 % of the beats (QRS Se 0.946), this 1.6 %
    (0.984, +P 0.986 → 0.984).  The default ``max_gap`` was chosen on the 22
    DS1 records, both leads.

    Last, the missed beats.  XQRS looks for QRS energy between 5 and 20 Hz,
    and a wide ventricular beat has little of it: on the MLII lead of the
    22 DS1 records XQRS misses 424 of the 3,788 V beats (89 of 520 in
    record 106, 213 of 992 in 208), each leaving an R-R interval about
    twice its neighbours'.  Every R-R interval longer than ``rr_ratio``
    times the median of the 17 around it is searched with wfdb's GQRS
    (:func:`wfdb.processing.gqrs_detect`, on the whole lead), and its
    detections there are added when they lie at least 0.3 s from both ends
    of the interval, their peak-to-peak amplitude (120 ms around the peak)
    is at least 0.4 of the median of the beats found, and the intervals
    they leave are at most twice that median (a premature beat and its
    compensatory pause span two usual intervals; noise in a long pause
    leaves a long interval beside it); an interval ``k`` times the median
    gets at most ``round(k) - 1`` of them, the largest (GQRS can find a wide
    beat twice).  On DS1, MLII,
    V beats missed 424 → 143, QRS Se 0.9872 → 0.9934 at +P 0.9864 →
    0.9863; with electrode motion at 12 dB Se 0.9742 → 0.9805 at +P
    0.8874 → 0.8863.  The default ``rr_ratio`` was chosen on DS1, both
    leads, clean and noisy (``benchmarks/r_peaks_ds1.py``).

    Parameters
    ----------
    signal : array-like of shape (n_times,)
        One lead, finite numbers (physical units, e.g. mV).
    fs : float
        Sampling frequency in Hz.
    max_gap : float or None, default=3.0
        Shortest stretch without a detection, in seconds, that is searched
        again; None runs XQRS once.
    rr_ratio : float or None, default=1.5
        An R-R interval longer than ``rr_ratio`` times the median of the 17
        around it is searched for a missed beat with GQRS; None searches
        none.  Greater than 1.

    Returns
    -------
    peaks : ndarray of int64, shape (n_peaks,)
        Sorted sample indices of the R-peaks.

    See Also
    --------
    segment_recording : Cuts context rows at these peaks when none are given.
    detect_beats : Beats inside short beat-centred windows.

    Examples
    --------
    >>> import numpy as np
    >>> from wfdb.processing import xqrs_detect
    >>> from sklearn_ecg.preprocessing import detect_r_peaks
    >>> fs = 360
    >>> t = np.arange(120 * fs) / fs
    >>> beats = np.arange(0.5, 119.5, 0.8)
    >>> amplitude = np.where(beats < 60, 1.0, 0.15)  # the QRS shrinks after a minute
    >>> signal = sum(a * np.exp(-0.5 * ((t - b) / 0.012) ** 2)
    ...              for a, b in zip(amplitude, beats))
    >>> signal += 0.01 * np.random.default_rng(0).standard_normal(t.size)
    >>> len(beats), len(xqrs_detect(signal, fs=fs, verbose=False))
    (149, 75)
    >>> len(detect_r_peaks(signal, fs=fs))
    149
    """
    x = _check_lead(signal)
    fs = float(fs)
    peaks = np.unique(_xqrs(x, fs, 0, x.size))
    if max_gap is not None:
        peaks = _search_silences(x, fs, peaks, max_gap)
    if rr_ratio is not None:
        peaks = _search_long_intervals(x, fs, peaks, rr_ratio)
    return peaks


def _search_silences(x, fs, peaks, max_gap):
    """``peaks`` and XQRS's look-alike detections in the stretches longer than ``max_gap`` s without one."""
    searched = set()
    margin = int(round(_REFRACTORY * fs))
    for _ in range(_MAX_ROUNDS):
        edges = np.concatenate([[0], peaks, [x.size - 1]])
        silent = [
            (int(a), int(b))
            for a, b in zip(edges[:-1], edges[1:])
            if b - a > max_gap * fs and (a, b) not in searched
        ]
        searched.update(silent)
        found = [
            _xqrs(x, fs, start, stop)
            for start, stop in (
                (a + margin if a else 0, b - margin if b < x.size - 1 else x.size)
                for a, b in silent
            )
            if stop - start >= fs  # a second at least, for XQRS to learn from
        ]
        beat_amplitude = _median_amplitude(x, peaks, fs)
        found = [
            more for more in found if _look_like_beats(x, more, fs, beat_amplitude)
        ]
        if not found:
            break
        peaks = np.unique(np.concatenate([peaks, *found]))
    return peaks


def _search_long_intervals(x, fs, peaks, rr_ratio, other=None):
    """``peaks`` and GQRS's detections inside the R-R intervals ``rr_ratio`` times longer than usual.

    ``other``: GQRS's detections on ``x``, when already at hand.
    """
    if peaks.size < _MIN_BEATS:
        return peaks
    rr = np.diff(peaks)
    usual = median_filter(rr.astype(np.float64), size=_RR_NEIGHBOURS, mode="nearest")
    if not np.any(rr > rr_ratio * usual):
        return peaks
    amplitude = _median_amplitude(x, peaks, fs)
    if amplitude is None:  # fewer than three complexes away from the edges
        return peaks
    if other is None:
        other = _gqrs(x, fs, amplitude)
    # the interval each GQRS detection falls in: peaks[i] < other <= peaks[i + 1]
    i = np.searchsorted(peaks, other) - 1
    inside = (i >= 0) & (i < rr.size)
    other, i = other[inside], i[inside]
    margin = _MISSED_MARGIN * fs
    missed = (
        (rr[i] > rr_ratio * usual[i])
        & (other - peaks[i] >= margin)
        & (peaks[i + 1] - other >= margin)
    )
    other, i = other[missed], i[missed]
    half = int(round(_QRS_HALF_WIDTH * fs))
    away = (other >= half) & (other < x.size - half)
    other, i = other[away], i[away]
    if not other.size:
        return peaks
    size = np.ptp(_complexes(x, other, fs), axis=1)
    large = size >= _MISSED_AMPLITUDE * amplitude
    other, i, size = other[large], i[large], size[large]
    kept = []
    for interval in np.unique(i):
        here = i == interval
        # an interval k usual intervals long holds round(k) - 1 missed beats at
        # most (GQRS can find a wide beat twice): the largest are kept
        room = max(int(round(rr[interval] / usual[interval])) - 1, 1)
        found = np.sort(other[here][np.argsort(-size[here], kind="stable")[:room]])
        left = np.diff(np.r_[peaks[interval], found, peaks[interval + 1]])
        # noise in a long pause leaves a long interval beside it
        if left.max() <= _MISSED_SPLIT * usual[interval]:
            kept.append(found)
    return np.unique(np.concatenate([peaks, *kept]))
