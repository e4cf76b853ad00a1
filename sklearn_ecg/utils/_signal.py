"""Array operations on signals shared by the loaders and the transformers."""

from fractions import Fraction

import numpy as np

__all__ = ["minmax_rows", "resample"]


def resample(X, fs_in, fs_out):
    """Polyphase resampling of the last axis from ``fs_in`` to ``fs_out`` Hz.

    The rate ratio is the exact ratio of the two rates (each read as a
    fraction with a denominator up to 10 000), limited to a denominator of
    1 000 so that unusual rates do not make huge polyphase filters.  Float32
    and float64 input keep their dtype; anything else becomes float64.

    Parameters
    ----------
    X : ndarray
        Signals, time on the last axis.
    fs_in, fs_out : float
        Sampling frequencies of ``X`` and of the result, in Hz.

    Returns
    -------
    X_resampled : ndarray
        ``X`` itself when the rates are equal.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.utils import resample
    >>> resample(np.zeros((2, 360), dtype=np.float32), 360, 125).shape
    (2, 125)
    """
    from scipy.signal import resample_poly

    if fs_in == fs_out:
        return X
    ratio = Fraction(fs_out).limit_denominator(10_000) / Fraction(
        fs_in
    ).limit_denominator(10_000)
    ratio = ratio.limit_denominator(1_000)
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    out = resample_poly(X, ratio.numerator, ratio.denominator, axis=-1)
    return out.astype(dtype, copy=False)


def minmax_rows(X, feature_range=(0.0, 1.0)):
    """Scale the last axis of ``X`` to ``feature_range``, row by row.

    As :class:`sklearn.preprocessing.MinMaxScaler` applied to every row: a
    flat row (range below ten machine epsilons) is shifted to the lower
    bound, never divided by zero, and rounding never leaves the range.

    Parameters
    ----------
    X : ndarray of float
        Signals, time on the last axis.
    feature_range : tuple of float, default=(0, 1)
        Target ``(min, max)``.

    Returns
    -------
    X_scaled : ndarray of the same shape and dtype as ``X``

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.utils import minmax_rows
    >>> minmax_rows(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])).tolist()
    [[0.0, 0.5, 1.0], [0.0, 0.0, 0.0]]
    """
    lo, hi = feature_range
    data_min = X.min(axis=-1, keepdims=True)
    data_range = X.max(axis=-1, keepdims=True) - data_min
    data_range = np.where(
        data_range < 10 * np.finfo(data_range.dtype).eps, 1.0, data_range
    )
    scale = (hi - lo) / data_range
    # clipped so that rounding never leaves the range
    return np.clip((X - data_min) * scale + lo, lo, hi).astype(X.dtype, copy=False)
