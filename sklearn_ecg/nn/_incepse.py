"""InceptionTime with squeeze-and-excitation (IncepSE)."""

from torch import nn

from ._blocks import InceptionModule, SignalNet, SqueezeExcitation1d

__all__ = ["IncepSEModule"]


class _Shortcut(nn.Module):
    """1x1 convolution + batch norm matching a residual's channel count."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.bn = nn.BatchNorm1d(out_channels)

    def forward(self, x):
        return self.bn(self.conv(x))


class _IncepSETrunk(nn.Module):
    def __init__(
        self, in_channels, n_filters, depth, kernel_sizes, bottleneck, se_reduction
    ):
        super().__init__()
        channels = in_channels
        self.inceptions = nn.ModuleList()
        self.excitations = nn.ModuleList()
        self.shortcuts = nn.ModuleList()
        res_channels = in_channels
        for d in range(depth):
            module = InceptionModule(channels, n_filters, kernel_sizes, bottleneck)
            self.inceptions.append(module)
            self.excitations.append(
                SqueezeExcitation1d(module.out_channels, se_reduction)
            )
            channels = module.out_channels
            if d % 3 == 2:
                self.shortcuts.append(_Shortcut(res_channels, channels))
                res_channels = channels
        self.out_channels = channels
        self.relu = nn.ReLU()

    def forward(self, x):
        residual = x
        for d, (inception, excitation) in enumerate(
            zip(self.inceptions, self.excitations)
        ):
            x = excitation(inception(x))
            if d % 3 == 2:
                x = self.relu(x + self.shortcuts[d // 3](residual))
                residual = x
        return x.mean(dim=-1)


class IncepSEModule(SignalNet):
    """InceptionTime with a squeeze-and-excitation block after each module, the torch module.

    The network inside the estimator :class:`sklearn_ecg.IncepSE`.

    ``depth`` inception modules (bottleneck, parallel convolutions with
    kernels ``kernel_sizes``, a max-pool branch, batch norm), each followed by
    squeeze-and-excitation channel attention, with residual shortcuts every
    three modules; global average pooling and a linear output layer.  Built
    for multi-lead records (e.g. 12-lead PTB-XL), any length works.

    Parameters
    ----------
    in_channels : int
        Number of leads ``C``.
    n_outputs : int
        Number of output logits.
    n_filters : int, default=32
        Filters per branch; modules output ``n_filters * (len(kernel_sizes) + 1)``
        channels.
    depth : int, default=6
    kernel_sizes : tuple of int, default=(39, 19, 9)
        Odd kernel sizes of the parallel convolutions.
    bottleneck : int, default=32
    se_reduction : int, default=16
    n_extra_features, extra_mean, extra_scale, gaussian_order, sigma
        See :class:`sklearn_ecg.nn.SignalNet`.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import IncepSEModule
    >>> net = IncepSEModule(in_channels=12, n_outputs=5, n_filters=8, depth=3)
    >>> net(torch.zeros(2, 12, 250)).shape
    torch.Size([2, 5])
    """

    def __init__(
        self,
        in_channels,
        n_outputs,
        *,
        n_filters=32,
        depth=6,
        kernel_sizes=(39, 19, 9),
        bottleneck=32,
        se_reduction=16,
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
        self.features = _IncepSETrunk(
            self.conv_channels,
            n_filters,
            depth,
            tuple(kernel_sizes),
            bottleneck,
            se_reduction,
        )
        self.dense = nn.Identity()
        self.output = nn.Linear(
            self.features.out_channels + self.n_extra_features, n_outputs
        )

    def blocks(self):
        """Gaussian filter (if any), then each inception module with its SE block (and shortcut)."""
        trunk = self.features
        blocks = []
        for d in range(len(trunk.inceptions)):
            parts = [trunk.inceptions[d], trunk.excitations[d]]
            if d % 3 == 2:
                parts.append(trunk.shortcuts[d // 3])
            blocks.append(nn.ModuleList(parts))
        return [*self._front_blocks(), *blocks]
