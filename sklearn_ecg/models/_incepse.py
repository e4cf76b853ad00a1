"""The IncepSE multi-lead record classifier."""

from numbers import Integral

from ..utils._sklearn_compat import Interval
from ._parameters import Parameter
from ._signal import BaseSignalClassifier

__all__ = ["IncepSE"]


class IncepSE(BaseSignalClassifier):
    """InceptionTime with squeeze-and-excitation, for multi-lead ECG records.

    A scikit-learn classifier over the torch module
    :class:`sklearn_ecg.nn.IncepSEModule`: ``depth`` inception modules (bottleneck,
    parallel convolutions with long kernels, a max-pool branch, batch norm),
    each followed by a squeeze-and-excitation block, residual shortcuts every
    three modules, global average pooling and a linear output, trained with
    skorch.  Made for 12-lead records ``(n, 12, T)`` and multilabel targets
    such as PTB-XL's statements (pass the indicator matrix as ``y``), it
    accepts any ``(n, T)`` or ``(n, C, T)`` input and multiclass labels too.

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(fitted_attrs)s

    See Also
    --------
    CNN1D : smaller residual network for single beats.

    References
    ----------
    H. Ismail Fawaz et al., "InceptionTime: Finding AlexNet for time series
    classification", Data Mining and Knowledge Discovery 34, 2020.
    J. Hu, L. Shen and G. Sun, "Squeeze-and-Excitation Networks", CVPR 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg import IncepSE
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(30, 12, 100)).astype("float32")
    >>> Y = (X[:, :3, :50].mean(axis=2) > 0).astype(int)  # 3 labels
    >>> clf = IncepSE(n_filters=4, depth=3, max_epochs=2, random_state=0).fit(X, Y)
    >>> clf.predict(X[:2]).shape
    (2, 3)
    """

    _architecture_parameters = (
        Parameter(
            "n_filters",
            32,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Filters per branch; each module outputs ``4 * n_filters`` channels with three kernel sizes.",
        ),
        Parameter(
            "depth",
            6,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Number of inception modules.",
        ),
        Parameter(
            "kernel_sizes",
            (39, 19, 9),
            ["array-like"],
            "tuple of odd int",
            "Kernel sizes of the parallel convolutions.",
        ),
        Parameter(
            "bottleneck",
            32,
            [Interval(Integral, 0, None, closed="left")],
            "int",
            "Channels of the 1x1 bottleneck convolution.",
        ),
        Parameter(
            "se_reduction",
            16,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Reduction ratio of the squeeze-and-excitation blocks.",
        ),
    )
    _training_defaults = {"max_epochs": 10, "batch_size": 64, "lr": 3e-3}

    def _module_class(self):
        from ..nn import IncepSEModule

        return IncepSEModule

    def _module_kwargs(self, input_shape, n_outputs):
        kernel_sizes = tuple(self.kernel_sizes)
        if not kernel_sizes or not all(
            isinstance(k, Integral) and k >= 1 and k % 2 == 1 for k in kernel_sizes
        ):
            raise ValueError(
                f"kernel_sizes must be a non-empty sequence of odd positive integers, got {self.kernel_sizes!r}."
            )
        return {
            "n_outputs": n_outputs,
            "n_filters": self.n_filters,
            "depth": self.depth,
            "kernel_sizes": tuple(int(k) for k in kernel_sizes),
            "bottleneck": self.bottleneck,
            "se_reduction": self.se_reduction,
            **self._signal_module_kwargs(input_shape),
        }
