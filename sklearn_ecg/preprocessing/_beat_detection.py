"""Beat detection inside beat-centred context windows.

:func:`detect_beats` finds every beat of a short window from its QRS energy
(the squared slope averaged over 80 ms) and moves each to its R-peak;
:class:`BeatSegmenter` falls back on it to measure a window's beat period.
"""

from numbers import Real

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d

from ..utils._sklearn_compat import Interval, validate_params

__all__ = ["detect_beats"]


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
    BeatSegmenter : Uses these beats for a window's period when its own
        candidates are too few.

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
