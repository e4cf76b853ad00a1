"""Pure PyTorch modules behind the estimators of :mod:`sklearn_ecg.models`.

Nothing here imports scikit-learn: the modules can be used in any torch code.

- :class:`DeepGaussianFilter`: trainable Gaussian derivative filter bank.
- :class:`CNN1D`: residual heartbeat CNN (Kachuee et al., 2018).
- :class:`IncepSE`: InceptionTime with squeeze-and-excitation blocks.
- :class:`AlexNetImage`: AlexNet for small multi-channel images.
- :class:`SignalNet`: the skeleton of the 1-D networks (optional Gaussian
  front layer, tabular columns routed to the dense head, block freezing).
"""

from ._alexnet import AlexNetImage
from ._blocks import InceptionModule, ResidualBlock1d, SignalNet, SqueezeExcitation1d
from ._cnn1d import CNN1D
from ._gaussian import DeepGaussianFilter
from ._incepse import IncepSE

__all__ = [
    "AlexNetImage",
    "CNN1D",
    "DeepGaussianFilter",
    "IncepSE",
    "InceptionModule",
    "ResidualBlock1d",
    "SignalNet",
    "SqueezeExcitation1d",
]
