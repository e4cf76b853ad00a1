"""Trainable Gaussian derivative filter bank."""

import math

import torch
from torch import nn
from torch.nn import functional as F

from .._kernels import (
    _check_gaussian_params,
    gaussian_derivative_kernels,
    kernel_radius,
)

__all__ = ["DeepGaussianFilter"]


class DeepGaussianFilter(nn.Module):
    """Gaussian derivative filters with a learnable width.

    The layer of Nalmpantis, Passalis & Tefas (EUSIPCO 2023): every input
    channel is correlated with the derivatives of orders ``0..order`` of a
    Gaussian whose width ``sigma`` is a trainable parameter.  ``sigma`` is
    stored as its logarithm, so it stays positive whatever the optimiser does.
    The kernels come from :func:`sklearn_ecg._kernels.gaussian_derivative_kernels`,
    the same function :class:`sklearn_ecg.GaussianDerivativeFeatures` uses, and
    the signal edges are padded by repeating the edge sample, so at a fixed
    width the output equals ``scipy.ndimage.gaussian_filter1d(x, sigma,
    order=n, mode="nearest", truncate=truncate)``.

    Parameters
    ----------
    in_channels : int
        Number of input channels ``C``.
    order : int, default=2
        Highest derivative order (any integer ``>= 0``).
    sigma : float, default=2.0
        Initial width in samples.
    per_channel : bool, default=False
        Learn one width per input channel instead of one shared width.
    truncate : float, default=4.0
        The kernel extends ``truncate`` widths on each side of its centre.
    max_sigma : float, default=None
        Upper bound of the learned width.  The kernel size cannot change
        while training, so its radius is fixed at construction from
        ``max_sigma`` (or from the initial ``sigma`` when ``None``, in which
        case a width that grows past its initial value is truncated to that
        kernel).

    Attributes
    ----------
    log_sigma : torch.nn.Parameter of shape (n_widths, 1)
        The trained quantity; ``n_widths`` is ``C`` with ``per_channel=True``
        and 1 otherwise.
    radius : int
        Kernel half-width: the kernels have ``2 * radius + 1`` taps.

    Notes
    -----
    Input ``(batch, C, T)``; output ``(batch, C * (order + 1), T)``, channel
    major: output channel ``c * (order + 1) + n`` is the order-``n``
    derivative of input channel ``c``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import DeepGaussianFilter
    >>> layer = DeepGaussianFilter(in_channels=2, order=3, sigma=1.5)
    >>> layer(torch.zeros(4, 2, 50)).shape
    torch.Size([4, 8, 50])
    >>> round(float(layer.sigma[0]), 4)
    1.5
    """

    def __init__(
        self,
        in_channels,
        order=2,
        sigma=2.0,
        per_channel=False,
        truncate=4.0,
        max_sigma=None,
    ):
        super().__init__()
        _check_gaussian_params(sigma, order, truncate)
        if not (isinstance(in_channels, int) and in_channels >= 1):
            raise ValueError(
                f"in_channels must be an integer >= 1, got {in_channels!r}."
            )
        if max_sigma is not None and not (
            isinstance(max_sigma, (int, float))
            and math.isfinite(max_sigma)
            and max_sigma >= sigma
        ):
            raise ValueError(
                f"max_sigma must be None or a finite number >= sigma={sigma!r}, got {max_sigma!r}."
            )
        self.in_channels = in_channels
        self.order = order
        self.per_channel = bool(per_channel)
        self.truncate = float(truncate)
        self.max_sigma = None if max_sigma is None else float(max_sigma)
        self.radius = kernel_radius(sigma if max_sigma is None else max_sigma, truncate)
        n_widths = in_channels if self.per_channel else 1
        self.log_sigma = nn.Parameter(torch.full((n_widths, 1), math.log(sigma)))
        self.register_buffer(
            "offsets",
            torch.arange(-self.radius, self.radius + 1, dtype=torch.float32),
            persistent=False,
        )

    @property
    def out_channels(self):
        """Number of output channels, ``in_channels * (order + 1)``."""
        return self.in_channels * (self.order + 1)

    def _sigma(self):
        sigma = self.log_sigma.exp()
        if self.max_sigma is not None:
            sigma = sigma.clamp(max=self.max_sigma)
        return sigma

    @property
    def sigma(self):
        """Current width(s) in samples, a detached tensor of shape ``(n_widths,)``."""
        return self._sigma().detach()[:, 0]

    def kernels(self):
        """Current kernels, shape ``(C, order + 1, 2 * radius + 1)``, differentiable in ``log_sigma``."""
        sigma = self._sigma()
        kernels = gaussian_derivative_kernels(
            sigma, self.order, self.offsets.to(sigma.dtype), torch
        )
        return kernels.expand(self.in_channels, -1, -1)

    def forward(self, x):
        weight = (
            self.kernels()
            .reshape(self.out_channels, 1, 2 * self.radius + 1)
            .to(x.dtype)
        )
        x = F.pad(x, (self.radius, self.radius), mode="replicate")
        return F.conv1d(x, weight, groups=self.in_channels)

    def extra_repr(self):
        return (
            f"in_channels={self.in_channels}, order={self.order}, per_channel={self.per_channel}, "
            f"radius={self.radius}, max_sigma={self.max_sigma}"
        )
