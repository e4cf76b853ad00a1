"""Randomness from an explicit generator: weight initialisation and dropout.

torch's default initialisation and ``nn.Dropout`` draw from the process-wide
generator, so two trainings in threads of one process disturb each other's
random numbers.  These helpers take a :class:`torch.Generator` instead: each
training owns one, and trainings run side by side reproducibly.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["GeneratorDropout", "init_parameters", "set_dropout_generator"]

_CONVOLUTIONS_AND_LINEAR = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


def init_parameters(module, generator=None):
    """Draw every linear and convolution weight of ``module`` again, from ``generator``.

    Uses torch's default rule for these layers (``kaiming_uniform_`` with
    ``a=sqrt(5)`` and a uniform bias in ``±1/sqrt(fan_in)``), so a network
    initialised here is distributed exactly as a freshly built one.  Other
    layers (batch norm, :class:`DeepGaussianFilter`) start from fixed values
    and are left as they are.

    Parameters
    ----------
    module : torch.nn.Module
        The network; changed in place.
    generator : torch.Generator, default=None
        Source of the random numbers, on the device of the parameters;
        ``None`` uses torch's global generator.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import CNN1DModule, init_parameters
    >>> a = init_parameters(CNN1DModule(1, 3), torch.Generator().manual_seed(0))
    >>> b = init_parameters(CNN1DModule(1, 3), torch.Generator().manual_seed(0))
    >>> torch.equal(a.stem.weight, b.stem.weight)
    True
    """
    with torch.no_grad():
        for layer in module.modules():
            if not isinstance(layer, _CONVOLUTIONS_AND_LINEAR):
                continue
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            if layer.bias is not None:
                fan_in = layer.weight[0].numel()
                bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return module


class GeneratorDropout(nn.Dropout):
    """:class:`torch.nn.Dropout` whose masks come from ``self.generator`` when it is set.

    Without a generator it is plain dropout.  Set one (on the device of the
    inputs) with :func:`set_dropout_generator`.

    Examples
    --------
    >>> import torch
    >>> from sklearn_ecg.nn import GeneratorDropout
    >>> layer = GeneratorDropout(0.5)
    >>> layer.generator = torch.Generator().manual_seed(0)
    >>> first = layer(torch.ones(8))
    >>> layer.generator = torch.Generator().manual_seed(0)
    >>> torch.equal(first, layer(torch.ones(8)))
    True
    """

    generator = None

    def forward(self, x):
        if not self.training or self.p == 0 or self.generator is None:
            return F.dropout(x, self.p, self.training, self.inplace)
        keep = 1.0 - self.p
        if keep == 0:
            return x * 0.0
        mask = torch.empty_like(x).bernoulli_(keep, generator=self.generator)
        return x * mask / keep


def set_dropout_generator(module, generator):
    """Give every :class:`GeneratorDropout` of ``module`` this generator (``None`` to unset).

    Parameters
    ----------
    module : torch.nn.Module
        The network.
    generator : torch.Generator or None
        Generator on the device where the network runs.

    Returns
    -------
    module : torch.nn.Module
        The same module.
    """
    for layer in module.modules():
        if isinstance(layer, GeneratorDropout):
            layer.generator = generator
    return module
