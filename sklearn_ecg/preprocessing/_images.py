"""Signals encoded as images: Gramian angular fields, Markov transition fields, recurrence plots."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._signal import minmax_rows
from ..utils._sklearn_compat import Interval, RealNotInt, StrOptions, _fit_context
from ..utils._validation import validate_signal

__all__ = ["SignalToImage"]

_METHODS = ("gasf", "gadf", "mtf", "rp")


def _segments(n_times, image_size):
    """pyts' non-overlapping PAA segments: ``start`` and ``end`` of each pixel."""
    bounds = np.linspace(0, n_times, image_size + 1).astype(np.int64)
    return bounds[:-1], bounds[1:]


def _paa(X, image_size):
    """Piecewise aggregate approximation of ``(m, T)`` rows to ``image_size`` means (float64)."""
    n_times = X.shape[1]
    if n_times == image_size:
        return X.astype(np.float64, copy=False)
    start, end = _segments(n_times, image_size)
    if n_times < 8 * image_size:
        # short segments: one sparse product beats a reduction per segment
        from scipy.sparse import csr_matrix

        segment = np.repeat(np.arange(image_size), end - start)
        weights = 1.0 / (end - start)[segment]
        mean = csr_matrix(
            (weights, (segment, np.arange(n_times))), shape=(image_size, n_times)
        )
        return np.asarray(mean @ X.T, dtype=np.float64).T
    return np.add.reduceat(X, start, axis=1).astype(np.float64, copy=False) / (
        end - start
    )


def _gramian(X_paa, sample_range, dtype):
    """cos and sin of the polar angles of the scaled PAA series."""
    cos = minmax_rows(X_paa, sample_range)
    sin = np.sqrt(np.clip(1 - cos**2, 0, 1))
    return cos.astype(dtype), sin.astype(dtype)


def _percentiles(X, q):
    """``np.percentile(X, q, axis=1).T`` (linear method) from one sort, without partitions."""
    n_times = X.shape[1]
    Xs = np.sort(X, axis=1)
    quantiles = np.asarray(q, dtype=np.float64) / 100
    virtual = n_times * quantiles + (1 - quantiles) - 1
    below = np.clip(np.floor(virtual).astype(np.intp), 0, n_times - 1)
    above = np.clip(below + 1, 0, n_times - 1)
    gamma = virtual - np.floor(virtual)
    a, b = Xs[:, below], Xs[:, above]
    diff = b - a
    # numpy's _lerp: interpolate from the nearer end
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def _bin_edges(X, n_bins, strategy):
    """Per-row bin edges ``(m, n_bins - 1)`` and which of them count, as pyts' KBinsDiscretizer."""
    if strategy == "normal":
        from scipy.stats import norm

        edges = np.broadcast_to(
            norm.ppf(np.linspace(0, 1, n_bins + 1)[1:-1]), (X.shape[0], n_bins - 1)
        )
        return edges, np.ones(edges.shape, dtype=bool)
    if strategy == "uniform":
        lo, hi = X.min(axis=1), X.max(axis=1)
        frac = np.linspace(0, 1, n_bins + 1)[1:-1]
        edges = lo[:, None] + frac[None, :] * (hi - lo)[:, None]
        return edges, np.ones(edges.shape, dtype=bool)
    edges = _percentiles(X, np.linspace(0, 100, n_bins + 1)[1:-1])
    # pyts drops an edge equal to the next one, so equal quantiles merge bins
    keep = np.ones(edges.shape, dtype=bool)
    keep[:, :-1] = ~np.isclose(0, np.diff(edges, axis=1), rtol=0, atol=1e-8)
    return edges, keep


def _mtf(X, image_size, n_bins, strategy, dtype):
    """Aggregated Markov transition fields of ``(m, T)`` rows."""
    m, n_times = X.shape
    edges, keep = _bin_edges(X, n_bins, strategy)
    # searchsorted(side="left") on the kept edges: how many kept edges lie below x
    binned = np.zeros(X.shape, dtype=np.intp)
    for j in range(n_bins - 1):
        binned += (X > edges[:, j, None]) & keep[:, j, None]
    rows = np.arange(m)[:, None]
    trans = (
        np.bincount(
            ((rows * n_bins + binned[:, :-1]) * n_bins + binned[:, 1:]).ravel(),
            minlength=m * n_bins * n_bins,
        )
        .reshape(m, n_bins, n_bins)
        .astype(np.float64)
    )
    total = trans.sum(axis=2, keepdims=True)
    trans /= np.where(total == 0, 1, total)
    # pixel (j, k) averages trans[b_r, b_c] over r in segment j, c in segment k,
    # i.e. (P trans P^T)[j, k] with P[j, a] the share of segment j in bin a
    start, end = _segments(n_times, image_size)
    segment = np.repeat(np.arange(image_size), end - start)
    counts = np.bincount(
        ((rows * image_size + segment[None, :]) * n_bins + binned).ravel(),
        minlength=m * image_size * n_bins,
    ).reshape(m, image_size, n_bins)
    share = (counts / (end - start)[None, :, None]).astype(dtype)
    return share @ trans.astype(dtype) @ share.transpose(0, 2, 1)


def _rp(X_paa, threshold, percentage, out):
    """Recurrence plots ``|x_i - x_j|`` of the PAA series, thresholded as pyts does, into ``out``."""
    x = X_paa if threshold is not None else X_paa.astype(out.dtype)
    one = np.ones_like(x)
    # x_i - x_j as a (m, S, 2) @ (m, 2, S) product, float64 when thresholded
    # so that no pixel flips side of the threshold
    if threshold is None:
        np.matmul(np.stack([x, one], 2), np.stack([one, -x], 1), out=out)
        np.abs(out, out=out)
        return
    dist = np.abs(np.stack([x, one], 2) @ np.stack([one, -x], 1))
    m = dist.shape[0]
    if threshold == "point":
        level = np.percentile(dist.reshape(m, -1), percentage, axis=1)
    elif threshold == "distance":
        level = percentage / 100 * dist.reshape(m, -1).max(axis=1)
    else:
        level = np.full(m, threshold)
    np.less(dist, level[:, None, None], out=out, casting="unsafe")


class SignalToImage(TransformerMixin, BaseEstimator):
    """Encode every signal as a stack of square images, one per method.

    A fast, batched equivalent of pyts' image transformers, numerically
    equal to them on the same options:

    - ``"gasf"`` / ``"gadf"``: :class:`pyts.image.GramianAngularField`
      (``method="summation"`` / ``"difference"``): the series is reduced to
      ``image_size`` points by piecewise aggregate approximation (PAA),
      scaled to ``sample_range`` and read as polar angles ``phi``; pixels
      are ``cos(phi_i + phi_j)`` / ``sin(phi_i - phi_j)``.
    - ``"mtf"``: :class:`pyts.image.MarkovTransitionField`: the full-length
      series is binned into ``mtf_n_bins`` quantile (or uniform, or normal)
      bins, and each pixel averages the bin-to-bin transition probabilities
      over a pair of PAA segments.
    - ``"rp"``: :class:`pyts.image.RecurrencePlot` (``dimension=1``) of the
      PAA series: ``|x_i - x_j|``, or ``1`` where that distance is below
      the threshold given by ``rp_threshold`` and ``rp_percentage``.

    Parameters
    ----------
    methods : tuple of str, default=("gasf", "gadf", "mtf", "rp")
        Any non-empty subset of ``"gasf"``, ``"gadf"``, ``"mtf"``, ``"rp"``;
        the output channels follow this order.
    image_size : int or float, default=64
        Side of every image in pixels, at most the window length: windows
        shorter than ``image_size`` samples give images of their length
        (one pixel per sample), with a ``UserWarning`` saying so.  A float in (0, 1] is a fraction of the
        window length, ``ceil(image_size * n_times)`` pixels, as in pyts.
        The side used is ``image_size_``, set in :meth:`fit`.
    sample_range : tuple of float, default=(-1, 1)
        Range the PAA series is scaled to before the Gramian fields,
        ``-1 <= min < max <= 1``.
    mtf_n_bins : int, default=5
        Number of bins of the Markov transition field.
    mtf_strategy : {"quantile", "uniform", "normal"}, default="quantile"
        How the bin edges of each series are chosen.
    rp_threshold : None, "point", "distance" or float, default=None
        ``None`` keeps the distances; ``"point"`` thresholds at the
        ``rp_percentage`` percentile of each image's distances,
        ``"distance"`` at ``rp_percentage`` percent of its largest
        distance, a number at that distance.
    rp_percentage : float, default=10
        Percentage used by ``rp_threshold="point"`` and ``"distance"``.

    Attributes
    ----------
    n_features_in_ : int
        ``X.shape[1]`` seen in :meth:`fit`.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in :meth:`fit`.
    image_size_ : int
        Side of the images in pixels.

    See Also
    --------
    sklearn_ecg.models.AlexNetImage : A network for the images.

    References
    ----------
    Z. Wang and T. Oates, "Encoding Time Series as Images for Visual
    Inspection and Classification Using Tiled Convolutional Neural
    Networks", AAAI Workshop, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import SignalToImage
    >>> X = np.random.default_rng(0).normal(size=(2, 187)).astype(np.float32)
    >>> SignalToImage(image_size=32).fit_transform(X).shape
    (2, 4, 32, 32)
    >>> SignalToImage(methods=("gasf",), image_size=16).fit_transform(X.reshape(1, 2, 187)).shape
    (1, 2, 16, 16)
    """

    _parameter_constraints = {
        "methods": [tuple, list, str],
        "image_size": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
        "sample_range": [tuple],
        "mtf_n_bins": [Interval(Integral, 2, None, closed="left")],
        "mtf_strategy": [StrOptions({"quantile", "uniform", "normal"})],
        "rp_threshold": [
            None,
            StrOptions({"point", "distance"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "rp_percentage": [Interval(Real, 0, 100, closed="both")],
    }

    def __init__(
        self,
        methods=_METHODS,
        *,
        image_size=64,
        sample_range=(-1, 1),
        mtf_n_bins=5,
        mtf_strategy="quantile",
        rp_threshold=None,
        rp_percentage=10,
    ):
        self.methods = methods
        self.image_size = image_size
        self.sample_range = sample_range
        self.mtf_n_bins = mtf_n_bins
        self.mtf_strategy = mtf_strategy
        self.rp_threshold = rp_threshold
        self.rp_percentage = rp_percentage

    def _methods(self):
        methods = (
            (self.methods,) if isinstance(self.methods, str) else tuple(self.methods)
        )
        unknown = [m for m in methods if m not in _METHODS]
        if not methods or unknown:
            raise ValueError(
                f"methods must be a non-empty subset of {_METHODS}; got {self.methods!r}."
            )
        return methods

    def _check(self, X):
        self._methods()
        lo_hi = self.sample_range
        if len(lo_hi) != 2 or not -1 <= lo_hi[0] < lo_hi[1] <= 1:
            raise ValueError(
                f"sample_range must be a tuple (min, max) with -1 <= min < max <= 1; "
                f"got {self.sample_range!r}."
            )

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
        self : SignalToImage
        """
        X = validate_signal(self, X, reset=True)
        self._check(X)
        n_times = X.shape[-1]
        if isinstance(self.image_size, Integral):
            self.image_size_ = min(int(self.image_size), n_times)
            if self.image_size > n_times:
                warnings.warn(
                    f"image_size={self.image_size} is larger than the rows ({n_times} samples): "
                    f"the images are {n_times} x {n_times} pixels, one per sample "
                    f"(image_size_={n_times}). Pass image_size <= {n_times}, or a fraction "
                    "of the row such as 1.0, to choose the side yourself.",
                    UserWarning,
                    stacklevel=2,
                )
        else:
            self.image_size_ = max(int(np.ceil(self.image_size * n_times)), 1)
        return self

    def transform(self, X):
        """Encode every channel of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
            Signals.

        Returns
        -------
        images : ndarray of shape (n_samples, n_channels * len(methods), size, size)
            ``size`` is ``image_size_``.  Channel-major: every method of
            channel 0, then of channel 1, ...
            A 2-D input counts as one channel; the dtype is that of ``X``.
        """
        check_is_fitted(self)
        X = validate_signal(self, X, reset=False)
        self._check(X)
        methods = self._methods()
        n = X.shape[0]
        flat = X.reshape(-1, X.shape[-1])
        size, dtype = self.image_size_, X.dtype
        out = np.empty((flat.shape[0], len(methods), size, size), dtype=dtype)
        X_paa = _paa(flat, size) if {"gasf", "gadf", "rp"} & set(methods) else None
        if {"gasf", "gadf"} & set(methods):
            cos, sin = _gramian(X_paa, self.sample_range, dtype)
        for i, method in enumerate(methods):
            # outer-product differences as (m, S, 2) @ (m, 2, S) products, which
            # BLAS writes in one pass
            if method == "gasf":
                np.matmul(
                    np.stack([cos, -sin], 2), np.stack([cos, sin], 1), out=out[:, i]
                )
            elif method == "gadf":
                np.matmul(
                    np.stack([sin, -cos], 2), np.stack([cos, sin], 1), out=out[:, i]
                )
            elif method == "mtf":
                flat64 = flat.astype(np.float64, copy=False)
                out[:, i] = _mtf(
                    flat64, size, self.mtf_n_bins, self.mtf_strategy, dtype
                )
            else:
                _rp(X_paa, self.rp_threshold, self.rp_percentage, out[:, i])
        return out.reshape(n, -1, size, size)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
