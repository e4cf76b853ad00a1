"""Building blocks shared by the networks of :mod:`sklearn_ecg.nn`."""

import torch
from torch import nn
from torch.nn import functional as F

from ._gaussian import DeepGaussianFilter
from ._seeding import init_parameters

__all__ = [
    "FreezableMixin",
    "InceptionModule",
    "ResidualBlock1d",
    "SignalNet",
    "SqueezeExcitation1d",
]


class FreezableMixin:
    """Transfer learning: the blocks to freeze and the head to replace.

    A subclass declares both parts explicitly: ``blocks()`` lists its blocks,
    input side first, and ``head()`` returns its output layer (never among
    the blocks).  Warm starts copy every weight outside ``head()``; frozen
    blocks stop receiving gradients and stay in evaluation mode, so
    batch-norm statistics do not drift either.
    """

    n_frozen_blocks = 0

    def blocks(self):
        """The freezable blocks, input side first."""
        raise NotImplementedError

    def head(self):
        """The output layer: the part that is new when the network learns other labels."""
        raise NotImplementedError

    def head_state_keys(self):
        """Names of the ``state_dict`` entries that belong to ``head()``."""
        head = self.head()
        tensors = {id(t) for t in (*head.parameters(), *head.buffers())}
        return {
            key
            for key, value in self.state_dict(keep_vars=True).items()
            if id(value) in tensors
        }

    def reset_head(self, n_outputs, generator=None):
        """Replace the output layer by a new linear layer with ``n_outputs`` outputs.

        Parameters
        ----------
        n_outputs : int
            Number of output logits of the new head.
        generator : torch.Generator, default=None
            Source of its initial weights (see :func:`init_parameters`).

        Returns
        -------
        head : torch.nn.Linear
            The new output layer.
        """
        old = self.head()
        name = next(name for name, child in self.named_children() if child is old)
        new = nn.Linear(old.in_features, n_outputs).to(old.weight.device)
        setattr(self, name, init_parameters(new, generator))
        return new

    def freeze(self, n_blocks):
        """Freeze the first ``n_blocks`` blocks (0 unfreezes everything)."""
        blocks = self.blocks()
        if not 0 <= n_blocks <= len(blocks):
            raise ValueError(
                f"n_blocks must be between 0 and {len(blocks)} for {type(self).__name__}, got {n_blocks!r}."
            )
        for i, block in enumerate(blocks):
            for param in block.parameters():
                param.requires_grad_(i >= n_blocks)
        self.n_frozen_blocks = n_blocks
        return self.train(self.training)

    def train(self, mode=True):
        super().train(mode)
        if self.n_frozen_blocks:
            for block in self.blocks()[: self.n_frozen_blocks]:
                block.eval()
        return self


class SignalNet(FreezableMixin, nn.Module):
    """Skeleton shared by the 1-D networks.

    ``forward`` splits off the tabular columns (``n_extra_features > 0``),
    adds the channel axis to 2-D input, runs the optional
    :class:`DeepGaussianFilter`, the convolutional ``features`` (which must
    end in a ``(batch, n_features)`` tensor), appends the standardised tabular
    columns and finishes with the ``dense`` layers and the ``output`` layer
    (the ``head()``).  Subclasses set ``features``, ``dense``, ``output`` and
    ``blocks()``.

    Parameters
    ----------
    in_channels : int
        Number of leads ``C``.
    n_extra_features : int, default=0
        Number of tabular columns at the END of a 2-D input
        ``(batch, T + n_extra_features)``.  They skip the convolutions and
        join the dense head, standardised with ``extra_mean`` and
        ``extra_scale``.
    extra_mean, extra_scale : array-like of shape (n_extra_features,), default=None
        Standardisation of the tabular columns (zeros and ones when ``None``).
    gaussian_order : int, default=None
        When given, a :class:`DeepGaussianFilter` of this order is the first
        layer, so the convolutions see ``C * (gaussian_order + 1)`` channels.
    sigma : float, default=2.0
        Initial width of that filter.
    """

    def __init__(
        self,
        in_channels,
        *,
        n_extra_features=0,
        extra_mean=None,
        extra_scale=None,
        gaussian_order=None,
        sigma=2.0,
    ):
        super().__init__()
        self.in_channels = in_channels
        self.n_extra_features = int(n_extra_features)
        if gaussian_order is None:
            self.gaussian = None
            self.conv_channels = in_channels
        else:
            self.gaussian = DeepGaussianFilter(
                in_channels, order=gaussian_order, sigma=sigma
            )
            self.conv_channels = self.gaussian.out_channels
        k = self.n_extra_features
        mean = (
            torch.zeros(k)
            if extra_mean is None
            else torch.as_tensor(extra_mean, dtype=torch.float32)
        )
        scale = (
            torch.ones(k)
            if extra_scale is None
            else torch.as_tensor(extra_scale, dtype=torch.float32)
        )
        self.register_buffer("extra_mean", mean.reshape(k).clone())
        self.register_buffer("extra_scale", scale.reshape(k).clone())

    def forward(self, x):
        extra = None
        if self.n_extra_features:
            k = self.n_extra_features
            extra = (x[:, -k:] - self.extra_mean) / self.extra_scale
            x = x[:, :-k]
        if x.dim() == 2:
            x = x.unsqueeze(1)
        if self.gaussian is not None:
            x = self.gaussian(x)
        z = self.features(x)
        if extra is not None:
            z = torch.cat([z, extra], dim=1)
        return self.output(self.dense(z))

    def head(self):
        """The output layer."""
        return self.output

    def _front_blocks(self):
        return [] if self.gaussian is None else [self.gaussian]


class ResidualBlock1d(nn.Module):
    """Two same-length convolutions with an identity shortcut, then max pooling.

    The block of Kachuee et al. (2018): ``conv -> ReLU -> conv``, add the
    input, ``ReLU``, then ``MaxPool1d(5, stride=2)``.  The pooling is padded
    (``ceil_mode``), so any length >= 1 gives a length >= 1.
    """

    def __init__(self, channels, kernel_size=5):
        super().__init__()
        pad = kernel_size // 2
        self.conv1 = nn.Conv1d(channels, channels, kernel_size, padding=pad)
        self.conv2 = nn.Conv1d(channels, channels, kernel_size, padding=pad)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool1d(5, stride=2, padding=2, ceil_mode=True)

    def forward(self, x):
        out = self.conv2(self.relu(self.conv1(x)))
        return self.pool(self.relu(out + x))


class SqueezeExcitation1d(nn.Module):
    """Channel attention of Hu et al. (2018) for ``(batch, C, T)`` tensors."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(channels // reduction, 1)
        self.fc = nn.Sequential(
            nn.Linear(channels, hidden),
            nn.ReLU(),
            nn.Linear(hidden, channels),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return x * self.fc(x.mean(dim=-1)).unsqueeze(-1)


class InceptionModule(nn.Module):
    """One InceptionTime module (Ismail Fawaz et al., 2020).

    A 1x1 bottleneck, parallel "same" convolutions with long kernels, a
    max-pool + 1x1 branch, concatenation, batch norm and ReLU.  The output has
    ``n_filters * (len(kernel_sizes) + 1)`` channels and the input length.
    """

    def __init__(
        self, in_channels, n_filters=32, kernel_sizes=(39, 19, 9), bottleneck=32
    ):
        super().__init__()
        if bottleneck and in_channels > 1:
            self.bottleneck = nn.Conv1d(in_channels, bottleneck, 1, bias=False)
            branch_in = bottleneck
        else:
            self.bottleneck = nn.Identity()
            branch_in = in_channels
        self.convs = nn.ModuleList(
            nn.Conv1d(branch_in, n_filters, k, padding=k // 2, bias=False)
            for k in kernel_sizes
        )
        # Even kernels would shift the output by one sample; force odd sizes.
        for conv, k in zip(self.convs, kernel_sizes):
            if k % 2 == 0:
                raise ValueError(
                    f"kernel_sizes must be odd, got {tuple(kernel_sizes)!r}."
                )
        self.pool_branch = nn.Sequential(
            nn.MaxPool1d(3, stride=1, padding=1),
            nn.Conv1d(in_channels, n_filters, 1, bias=False),
        )
        self.out_channels = n_filters * (len(kernel_sizes) + 1)
        self.bn = nn.BatchNorm1d(self.out_channels)
        self.relu = nn.ReLU()

    def forward(self, x):
        z = self.bottleneck(x)
        out = torch.cat(
            [_same_conv1d(conv, z) for conv in self.convs] + [self.pool_branch(x)],
            dim=1,
        )
        return self.relu(self.bn(out))


def _same_conv1d(conv, x):
    """``conv(x)`` for a zero-padded odd-kernel "same" convolution, cheaper on short inputs.

    Taps more than ``T - 1`` samples from the centre only ever meet padding,
    so for ``T`` shorter than the kernel radius they are dropped: same
    result, far less work (e.g. on check_estimator's 2-sample "signals").
    """
    radius = conv.kernel_size[0] // 2
    n_times = x.shape[-1]
    if n_times > radius:
        return conv(x)
    keep = n_times - 1
    weight = conv.weight[..., radius - keep : radius + keep + 1]
    return F.conv1d(x, weight, conv.bias, padding=keep)
