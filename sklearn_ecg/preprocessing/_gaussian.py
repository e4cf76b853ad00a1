"""Multi-scale derivative features from Gaussian derivative filters."""

from numbers import Integral, Real

import numpy as np
from scipy.ndimage import correlate1d
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._kernels import MAX_ORDER, gaussian_derivative_kernels, kernel_radius
from ..utils._sklearn_compat import Interval, _fit_context
from ..utils._validation import validate_signal

__all__ = ["GaussianDerivativeFeatures"]


class GaussianDerivativeFeatures(TransformerMixin, BaseEstimator):
    """Stack a signal's Gaussian-smoothed version and its derivatives as channels.

    Every channel is correlated with the Gaussian derivative kernels of
    orders ``0..order`` (edges repeat the first and last samples), which
    equals :func:`scipy.ndimage.gaussian_filter1d` with ``order=n`` and
    ``mode="nearest"``.  The kernels come from
    :func:`sklearn_ecg._kernels.gaussian_derivative_kernels`, shared with the
    trainable ``sklearn_ecg.nn.DeepGaussianFilter``.

    Parameters
    ----------
    sigma : float, default=2.0
        Width of the Gaussian in **samples** (not seconds): at 125 Hz,
        ``sigma=2`` is 16 ms.  At most the row length: a wider Gaussian
        would see mostly the repeated edge samples, so it is refused.
    order : int, default=2
        Highest derivative order, from 0 to 10; the output has ``order + 1``
        channels per input channel.  Higher orders are refused: their
        kernels overflow float32 and carry no information about a sampled
        signal.
    truncate : float, default=4.0
        The kernels are cut at ``truncate * sigma`` samples on each side, so
        they have ``2 * r + 1`` taps with ``r = round(truncate * sigma)``
        (at least 1).  Rows need at least 2 samples; rows shorter than a
        kernel are extended by repeating their edge samples, as in scipy.

    Attributes
    ----------
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in :meth:`fit`.

    See Also
    --------
    DWTDenoiser : Wavelet denoising.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import GaussianDerivativeFeatures
    >>> X = np.random.default_rng(0).normal(size=(5, 187)).astype(np.float32)
    >>> GaussianDerivativeFeatures(sigma=2.0, order=2).fit_transform(X).shape
    (5, 3, 187)
    >>> GaussianDerivativeFeatures(order=1).fit_transform(X.reshape(5, 1, 187)).shape
    (5, 2, 187)
    """

    _parameter_constraints = {
        "sigma": [Interval(Real, 0, None, closed="neither")],
        "order": [Interval(Integral, 0, MAX_ORDER, closed="both")],
        "truncate": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, sigma=2.0, order=2, *, truncate=4.0):
        self.sigma = sigma
        self.order = order
        self.truncate = truncate

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
        self : GaussianDerivativeFeatures
        """
        X = validate_signal(self, X, reset=True, min_times=2, ensure_min_features=2)
        self._check_sigma(X.shape[-1])
        return self

    def _check_sigma(self, n_times):
        if self.sigma > n_times:
            raise ValueError(
                f"sigma={self.sigma!r} samples is wider than the rows ({n_times} samples): "
                "the filters would see mostly the repeated edge samples. Use a sigma of at "
                f"most {n_times} samples (sigma is in samples, not seconds)."
            )

    def transform(self, X):
        """Filter every channel with the derivative kernels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Signals.

        Returns
        -------
        features : ndarray of shape (n_samples, n_channels * (order + 1), n_times)
            Channel-major: orders ``0..order`` of channel 0, then of channel 1, ...
            A 2-D input counts as one channel.
        """
        check_is_fitted(self)
        X = validate_signal(self, X, reset=False)
        self._check_sigma(X.shape[-1])
        X3 = X[:, None, :] if X.ndim == 2 else X
        radius = kernel_radius(self.sigma, self.truncate)
        kernels = gaussian_derivative_kernels(
            float(self.sigma),
            int(self.order),
            np.arange(-radius, radius + 1, dtype=np.float64),
            np,
        )
        out = np.empty(
            (X3.shape[0], X3.shape[1], self.order + 1, X3.shape[2]), dtype=X.dtype
        )
        for n, kernel in enumerate(kernels):
            correlate1d(X3, kernel, axis=-1, output=out[:, :, n], mode="nearest")
        if not np.isfinite(out).all():
            raise ValueError(
                f"The filtered signals overflow {X.dtype}: the order-{self.order} kernel with "
                f"sigma={self.sigma} amplifies by up to {np.abs(kernels).sum(-1).max():.3g} and X "
                f"reaches {np.abs(X).max():.3g}; scale X down, or use a lower order or a larger sigma."
            )
        return out.reshape(X3.shape[0], -1, X3.shape[2])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
