"""AlexNet adapted to small multi-channel images."""

from torch import nn
from torch.nn import functional as F

from ._blocks import FreezableMixin
from ._seeding import GeneratorDropout

__all__ = ["AlexNetImageModule"]


class AlexNetImageModule(FreezableMixin, nn.Module):
    """AlexNet (Krizhevsky et al., 2012) for small ECG images, the torch module.

    The network inside the estimator :class:`sklearn_ecg.AlexNetImage`.

    Five convolutions (``64, 192, 384, 256, 256`` channels times ``width``;
    5x5 kernels with stride 1 in the first two, since ECG images such as
    recurrence plots or Gramian angular fields are small), three padded 3x3
    max poolings of stride 2,
    an adaptive average pooling to ``pooled_size x pooled_size`` and three
    dense layers (two of ``n_dense`` units with dropout, then the output).
    Images smaller than :attr:`min_size` pixels on a side are bilinearly
    resized up to it, so any image size works and every convolution still
    sees a few pixels.  Dropout masks come from a generator when one is set
    (:func:`set_dropout_generator`).

    Parameters
    ----------
    in_channels : int
        Number of image channels.
    n_outputs : int
        Number of output logits.
    width : float, default=1.0
        Multiplier of the convolution channel counts.
    n_dense : int, default=None
        Units of the two hidden dense layers; ``None`` means ``int(1024 * width)``.
    pooled_size : int, default=2
    dropout : float, default=0.5

    Attributes
    ----------
    min_size : int
        Smallest image side, in pixels, fed to the convolutions.

    Notes
    -----
    Input ``(batch, C, H, W)``; output ``(batch, n_outputs)``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import AlexNetImageModule
    >>> net = AlexNetImageModule(in_channels=3, n_outputs=4, width=0.25)
    >>> net(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 4])
    >>> net(torch.zeros(2, 3, 1, 5)).shape
    torch.Size([2, 4])
    >>> AlexNetImageModule.min_size
    8
    """

    min_size = 8

    def __init__(
        self,
        in_channels,
        n_outputs,
        *,
        width=1.0,
        n_dense=None,
        pooled_size=2,
        dropout=0.5,
    ):
        super().__init__()
        c = [max(int(round(n * width)), 1) for n in (64, 192, 384, 256, 256)]
        n_dense = max(int(1024 * width), 1) if n_dense is None else n_dense
        self.conv1 = nn.Sequential(
            nn.Conv2d(in_channels, c[0], 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
        )
        self.conv2 = nn.Sequential(
            nn.Conv2d(c[0], c[1], 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
        )
        self.conv3 = nn.Sequential(nn.Conv2d(c[1], c[2], 3, padding=1), nn.ReLU())
        self.conv4 = nn.Sequential(nn.Conv2d(c[2], c[3], 3, padding=1), nn.ReLU())
        self.conv5 = nn.Sequential(
            nn.Conv2d(c[3], c[4], 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, padding=1),
        )
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(pooled_size), nn.Flatten())
        self.dense1 = nn.Sequential(
            GeneratorDropout(dropout),
            nn.Linear(c[4] * pooled_size**2, n_dense),
            nn.ReLU(),
        )
        self.dense2 = nn.Sequential(
            GeneratorDropout(dropout), nn.Linear(n_dense, n_dense), nn.ReLU()
        )
        self.output = nn.Linear(n_dense, n_outputs)

    def blocks(self):
        """The five convolution stages, then the two hidden dense layers."""
        return [
            self.conv1,
            self.conv2,
            self.conv3,
            self.conv4,
            self.conv5,
            self.dense1,
            self.dense2,
        ]

    def head(self):
        """The output layer."""
        return self.output

    def forward(self, x):
        h, w = x.shape[-2:]
        if h < self.min_size or w < self.min_size:
            size = (max(h, self.min_size), max(w, self.min_size))
            x = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        for block in (self.conv1, self.conv2, self.conv3, self.conv4, self.conv5):
            x = block(x)
        return self.output(self.dense2(self.dense1(self.pool(x))))
