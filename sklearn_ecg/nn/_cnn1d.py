"""Residual 1-D CNN of Kachuee, Fazeli & Sarrafzadeh (2018)."""

from torch import nn

from ._blocks import ResidualBlock1d, SignalNet

__all__ = ["CNN1DModule"]


class CNN1DModule(SignalNet):
    """Residual CNN for heartbeats (Kachuee et al., ICHI 2018), the torch module.

    The network inside the estimator :class:`sklearn_ecg.CNN1D`.

    A convolution (``n_filters`` filters of size ``kernel_size``), ``n_blocks``
    residual blocks (two convolutions, identity shortcut, max pooling), an
    adaptive average pooling to ``pooled_length`` samples, two dense layers of
    ``n_dense`` units and the output layer.  Padded pooling makes it
    length-agnostic: any ``T >= 1`` works.

    Parameters
    ----------
    in_channels : int
        Number of leads ``C``.
    n_outputs : int
        Number of output logits.
    n_filters : int, default=32
    kernel_size : int, default=5
    n_blocks : int, default=5
    n_dense : int, default=32
    pooled_length : int, default=4
    n_extra_features, extra_mean, extra_scale, gaussian_order, sigma
        See :class:`sklearn_ecg.nn.SignalNet`.

    Notes
    -----
    Input ``(batch, C, T)``, ``(batch, T)``, or ``(batch, T + k)`` with
    ``k = n_extra_features`` tabular columns last; output ``(batch, n_outputs)``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import CNN1DModule
    >>> net = CNN1DModule(in_channels=1, n_outputs=5)
    >>> net(torch.zeros(3, 187)).shape
    torch.Size([3, 5])
    """

    def __init__(
        self,
        in_channels,
        n_outputs,
        *,
        n_filters=32,
        kernel_size=5,
        n_blocks=5,
        n_dense=32,
        pooled_length=4,
        n_extra_features=0,
        extra_mean=None,
        extra_scale=None,
        gaussian_order=None,
        sigma=2.0,
    ):
        super().__init__(
            in_channels,
            n_extra_features=n_extra_features,
            extra_mean=extra_mean,
            extra_scale=extra_scale,
            gaussian_order=gaussian_order,
            sigma=sigma,
        )
        self.stem = nn.Conv1d(
            self.conv_channels, n_filters, kernel_size, padding=kernel_size // 2
        )
        self.res_blocks = nn.ModuleList(
            ResidualBlock1d(n_filters, kernel_size) for _ in range(n_blocks)
        )
        self.features = nn.Sequential(
            self.stem,
            *self.res_blocks,
            nn.AdaptiveAvgPool1d(pooled_length),
            nn.Flatten(),
        )
        self.dense1 = nn.Sequential(
            nn.Linear(n_filters * pooled_length + self.n_extra_features, n_dense),
            nn.ReLU(),
        )
        self.dense2 = nn.Sequential(nn.Linear(n_dense, n_dense), nn.ReLU())
        self.dense = nn.Sequential(self.dense1, self.dense2)
        self.output = nn.Linear(n_dense, n_outputs)

    def blocks(self):
        """Gaussian filter (if any), stem convolution, residual blocks, dense layers."""
        return [
            *self._front_blocks(),
            self.stem,
            *self.res_blocks,
            self.dense1,
            self.dense2,
        ]
