"""Wavelet denoising of ECG signals."""

from numbers import Integral, Real

import numpy as np
import pywt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import Interval, StrOptions, _fit_context
from ..utils._validation import validate_signal

__all__ = ["DWTDenoiser"]


class DWTDenoiser(TransformerMixin, BaseEstimator):
    """Denoise signals by thresholding their discrete wavelet coefficients.

    Every row (and channel) is decomposed with :func:`pywt.wavedec`, its
    detail coefficients are shrunk towards zero, and the signal is rebuilt
    with :func:`pywt.waverec` at its original length.  The whole batch is
    transformed at once along the last axis.

    With ``threshold="universal"`` each row gets the Donoho-Johnstone
    threshold ``t = sigma * sqrt(2 * ln(N))``, where ``N`` is the number of
    samples and ``sigma = median(|d1|) / 0.6745`` is the noise level
    estimated from the finest detail coefficients ``d1``.

    Parameters
    ----------
    wavelet : str, default="db2"
        Any discrete wavelet name known to PyWavelets (``pywt.wavelist(kind="discrete")``).
    level : int, default=None
        Decomposition depth; ``None`` takes the deepest useful level,
        ``pywt.dwt_max_level(n_times, wavelet)``.  Windows too short for
        one level (fewer samples than the wavelet filter) pass unchanged.
        A level deeper than ``dwt_max_level`` raises ``ValueError`` in
        :meth:`fit`.
    threshold : "universal" or float, default="universal"
        Threshold rule, or one absolute threshold for every row.
    mode : {"soft", "hard"}, default="soft"
        Soft thresholding shrinks the kept coefficients by ``t``; hard
        thresholding keeps them as they are.
    remove_baseline : bool, default=False
        Zero the coarsest approximation coefficients, which removes the
        baseline wander below ``fs / 2 ** (level + 1)`` Hz.
    keep : {"all", "approximation"}, default="all"
        ``"approximation"`` zeroes every detail coefficient and rebuilds
        from the approximation only (a smooth low-pass version).

    Attributes
    ----------
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in :meth:`fit`.

    See Also
    --------
    GaussianDerivativeFeatures : Smoothed signal and its derivatives.

    References
    ----------
    D. L. Donoho and I. M. Johnstone, "Ideal spatial adaptation by wavelet
    shrinkage", Biometrika 81(3), 1994.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import DWTDenoiser
    >>> X = np.sin(np.linspace(0, 6, 187))[None] + 0.1 * np.random.default_rng(0).normal(size=(4, 187))
    >>> DWTDenoiser().fit_transform(X).shape
    (4, 187)
    """

    _parameter_constraints = {
        "wavelet": [str],
        "level": [Interval(Integral, 1, None, closed="left"), None],
        "threshold": [
            StrOptions({"universal"}),
            Interval(Real, 0, None, closed="left"),
        ],
        "mode": [StrOptions({"soft", "hard"})],
        "remove_baseline": ["boolean"],
        "keep": [StrOptions({"all", "approximation"})],
    }

    def __init__(
        self,
        wavelet="db2",
        *,
        level=None,
        threshold="universal",
        mode="soft",
        remove_baseline=False,
        keep="all",
    ):
        self.wavelet = wavelet
        self.level = level
        self.threshold = threshold
        self.mode = mode
        self.remove_baseline = remove_baseline
        self.keep = keep

    def _wavelet(self):
        if self.wavelet not in pywt.wavelist(kind="discrete"):
            raise ValueError(
                f"wavelet={self.wavelet!r} is not a discrete wavelet known to PyWavelets; "
                f"expected one of pywt.wavelist(kind='discrete'), e.g. 'db2', 'db4', 'sym5'."
            )
        return pywt.Wavelet(self.wavelet)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the input shape and the parameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Signals.
        y : None
            Ignored.

        Returns
        -------
        self : DWTDenoiser
        """
        wavelet = self._wavelet()
        X = validate_signal(self, X, reset=True)
        max_level = pywt.dwt_max_level(X.shape[-1], wavelet.dec_len)
        if self.level is not None and self.level > max_level:
            raise ValueError(
                f"level={self.level} is too deep for rows of {X.shape[-1]} samples with wavelet "
                f"{self.wavelet!r}: the deepest useful level is {max_level} "
                "(pywt.dwt_max_level); pass level<= that, or level=None to use it."
            )
        return self

    def transform(self, X):
        """Denoise every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Signals.

        Returns
        -------
        X_denoised : ndarray of the same shape and dtype as ``X``
        """
        check_is_fitted(self)
        X = validate_signal(self, X, reset=False)
        wavelet = self._wavelet()
        n_times = X.shape[-1]
        level = self.level
        if level is None:
            level = pywt.dwt_max_level(n_times, wavelet.dec_len)
            if level < 1:
                return X.copy()
        coeffs = pywt.wavedec(X, wavelet, level=level, axis=-1)
        if self.threshold == "universal":
            sigma = np.median(np.abs(coeffs[-1]), axis=-1, keepdims=True) / 0.6745
            t = sigma * np.sqrt(2.0 * np.log(n_times))
        else:
            t = self.threshold
        for i in range(1, len(coeffs)):
            d = coeffs[i]
            if self.keep == "approximation":
                coeffs[i] = np.zeros_like(d)
            elif self.mode == "soft":
                coeffs[i] = np.sign(d) * np.maximum(np.abs(d) - t, 0)
            else:
                coeffs[i] = np.where(np.abs(d) > t, d, 0)
        if self.remove_baseline:
            coeffs[0] = np.zeros_like(coeffs[0])
        out = pywt.waverec(coeffs, wavelet, axis=-1)[..., :n_times]
        return out.astype(X.dtype, copy=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
