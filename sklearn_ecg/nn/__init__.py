"""Pure PyTorch modules behind the estimators of :mod:`sklearn_ecg.models`.

Nothing here imports scikit-learn: the modules can be used in any torch code.
The module classes end in ``Module`` so that they are never mistaken for the
estimators of the same architecture (:class:`sklearn_ecg.CNN1D` trains a
:class:`CNN1DModule`).

- :class:`DeepGaussianFilter`: trainable Gaussian derivative filter bank.
- :class:`CNN1DModule`: residual heartbeat CNN (Kachuee et al., 2018).
- :class:`IncepSEModule`: InceptionTime with squeeze-and-excitation blocks.
- :class:`AlexNetImageModule`: AlexNet for small multi-channel images.
- :class:`SignalNet`: the skeleton of the 1-D networks (optional Gaussian
  front layer, tabular columns routed to the dense layers, block freezing,
  an explicit ``head()``).
- :func:`init_parameters`, :class:`GeneratorDropout`,
  :func:`set_dropout_generator`: randomness from an explicit
  :class:`torch.Generator`, so trainings in threads stay reproducible.
"""

from ._alexnet import AlexNetImageModule
from ._blocks import InceptionModule, ResidualBlock1d, SignalNet, SqueezeExcitation1d
from ._cnn1d import CNN1DModule
from ._gaussian import DeepGaussianFilter
from ._incepse import IncepSEModule
from ._seeding import GeneratorDropout, init_parameters, set_dropout_generator

__all__ = [
    "AlexNetImageModule",
    "CNN1DModule",
    "DeepGaussianFilter",
    "GeneratorDropout",
    "IncepSEModule",
    "InceptionModule",
    "ResidualBlock1d",
    "SignalNet",
    "SqueezeExcitation1d",
    "init_parameters",
    "set_dropout_generator",
]
