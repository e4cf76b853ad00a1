"""Gaussian derivative kernels shared by the fixed and the trainable filters.

Both :class:`sklearn_ecg.GaussianDerivativeFeatures` (numpy) and
:class:`sklearn_ecg.nn.DeepGaussianFilter` (torch, with a learnable width) build
their kernels here, so the two never disagree.  The function only uses
operations that numpy arrays and torch tensors share, which keeps it
differentiable with respect to ``sigma`` when ``sigma`` is a tensor.
"""

import math

__all__ = ["MAX_ORDER", "gaussian_derivative_kernels", "kernel_radius"]

MAX_ORDER = 10
"""Highest derivative order accepted by the Gaussian filters.

The order-``n`` kernel grows like ``sigma ** -n`` times the Hermite
polynomial's ``sqrt(n!)``: beyond order 10 it leaves float32's range for
small widths (order 200 overflows float64 too), and such derivatives of a
sampled signal carry no information anyway."""


def kernel_radius(sigma, truncate=4.0):
    """Half-width in samples of a Gaussian kernel cut at ``truncate * sigma``.

    Parameters
    ----------
    sigma : float
        Standard deviation of the Gaussian, in samples.
    truncate : float, default=4.0
        Number of standard deviations kept on each side of the centre.

    Returns
    -------
    radius : int
        The kernel has ``2 * radius + 1`` taps.

    Examples
    --------
    >>> from sklearn_ecg._kernels import kernel_radius
    >>> kernel_radius(2.0)
    8
    """
    return max(int(truncate * float(sigma) + 0.5), 1)


def gaussian_derivative_kernels(sigma, order, offsets, xp):
    """Sampled Gaussian derivative kernels of orders ``0..order``.

    The order-``n`` kernel is the ``n``-th derivative of the Gaussian, mirrored
    for correlation: ``sigma ** -n * He_n(x / sigma) * g(x)``, where ``g`` is
    the Gaussian sampled at ``offsets`` and normalised to unit sum, and
    ``He_n`` is the probabilists' Hermite polynomial (built by the
    recurrence ``He_{n+1}(u) = u He_n(u) - n He_{n-1}(u)``, so any order
    works).  Correlating a signal with these kernels (``mode="nearest"``
    padding) gives the same result as :func:`scipy.ndimage.gaussian_filter1d`
    with ``order=n``.

    Parameters
    ----------
    sigma : float, ndarray or torch.Tensor
        Width in samples.  An array of shape ``(C, 1)`` gives one width per
        row; a tensor keeps the result differentiable in ``sigma``.
    order : int
        Highest derivative order (``>= 0``).
    offsets : ndarray or torch.Tensor of shape (2 * radius + 1,)
        Sample offsets ``-radius..radius`` of the same array type as the result.
    xp : module
        ``numpy`` or ``torch``: supplies ``exp`` and ``stack``.

    Returns
    -------
    kernels : array of shape (order + 1, 2 * radius + 1) or (C, order + 1, 2 * radius + 1)
        Kernels ordered by derivative order, ready for correlation (the
        centre tap is at index ``radius``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg._kernels import gaussian_derivative_kernels
    >>> k = gaussian_derivative_kernels(1.5, 2, np.arange(-6.0, 7.0), np)
    >>> k.shape
    (3, 13)
    >>> round(float(k[0].sum()), 6)
    1.0
    """
    u = offsets / sigma
    gauss = xp.exp(-0.5 * u * u)
    gauss = gauss / gauss.sum(-1)[..., None]
    hermite = [u * 0.0 + 1.0]
    if order >= 1:
        hermite.append(u)
    for n in range(1, order):
        hermite.append(u * hermite[n] - n * hermite[n - 1])
    kernels = [hermite[n] * gauss * ((1.0 / sigma) ** n) for n in range(order + 1)]
    return xp.stack(kernels, -2)


def _check_gaussian_params(sigma, order, truncate):
    """Shared bound checks; raise ValueError naming the parameter."""
    if not (isinstance(sigma, (int, float)) and math.isfinite(sigma) and sigma > 0):
        raise ValueError(
            f"sigma must be a positive finite number of samples, got {sigma!r}."
        )
    if not (isinstance(order, int) and 0 <= order <= MAX_ORDER):
        raise ValueError(
            f"order must be an integer from 0 to {MAX_ORDER}, got {order!r}; higher derivative "
            "kernels overflow float32."
        )
    if not (isinstance(truncate, (int, float)) and truncate > 0):
        raise ValueError(f"truncate must be a positive number, got {truncate!r}.")
