"""The IncepSE multi-lead record classifier."""

from numbers import Integral


from ._signal import BaseSignalClassifier, fill_doc
from ..utils._sklearn_compat import Interval

__all__ = ["IncepSE"]


class IncepSE(BaseSignalClassifier):
    """InceptionTime with squeeze-and-excitation, for multi-lead ECG records.

    A scikit-learn classifier over the torch module
    :class:`sklearn_ecg.nn.IncepSE`: ``depth`` inception modules (bottleneck,
    parallel convolutions with long kernels, a max-pool branch, batch norm),
    each followed by a squeeze-and-excitation block, residual shortcuts every
    three modules, global average pooling and a linear output, trained with
    skorch.  Made for 12-lead records ``(n, 12, T)`` and multilabel targets
    such as PTB-XL's statements (pass the indicator matrix as ``y``), it
    accepts any ``(n, T)`` or ``(n, C, T)`` input and multiclass labels too.

    Parameters
    ----------
    n_filters : int, default=32
        Filters per branch; each module outputs ``4 * n_filters`` channels
        with three kernel sizes.
    depth : int, default=6
        Number of inception modules.
    kernel_sizes : tuple of odd int, default=(39, 19, 9)
        Kernel sizes of the parallel convolutions.
    bottleneck : int, default=32
        Channels of the 1x1 bottleneck convolution.
    se_reduction : int, default=16
        Reduction ratio of the squeeze-and-excitation blocks.
%(signal_params)s
%(training_params)s

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

    _parameter_constraints = {
        **BaseSignalClassifier._parameter_constraints,
        "n_filters": [Interval(Integral, 1, None, closed="left")],
        "depth": [Interval(Integral, 1, None, closed="left")],
        "kernel_sizes": ["array-like"],
        "bottleneck": [Interval(Integral, 0, None, closed="left")],
        "se_reduction": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_filters=32,
        depth=6,
        kernel_sizes=(39, 19, 9),
        bottleneck=32,
        se_reduction=16,
        *,
        n_extra_features=0,
        gaussian_order=None,
        sigma=2.0,
        max_epochs=10,
        batch_size=64,
        lr=3e-3,
        optimizer="adam",
        weight_decay=0.0,
        class_weight=None,
        validation_fraction=None,
        patience=5,
        clip_grad_norm=None,
        pos_weight=None,
        device="auto",
        random_state=None,
        verbose=0,
        warm_start_from=None,
        freeze_blocks=0,
    ):
        self.n_filters = n_filters
        self.depth = depth
        self.kernel_sizes = kernel_sizes
        self.bottleneck = bottleneck
        self.se_reduction = se_reduction
        self.n_extra_features = n_extra_features
        self.gaussian_order = gaussian_order
        self.sigma = sigma
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.clip_grad_norm = clip_grad_norm
        self.pos_weight = pos_weight
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start_from = warm_start_from
        self.freeze_blocks = freeze_blocks

    def _module_class(self):
        from ..nn import IncepSE as Module

        return Module

    def _module_kwargs(self, input_shape, n_outputs):
        kernel_sizes = tuple(self.kernel_sizes)
        if not kernel_sizes or not all(
            isinstance(k, Integral) and k >= 1 and k % 2 == 1 for k in kernel_sizes
        ):
            raise ValueError(f"kernel_sizes must be a non-empty sequence of odd positive integers, got {self.kernel_sizes!r}.")
        return dict(
            n_outputs=n_outputs,
            n_filters=self.n_filters,
            depth=self.depth,
            kernel_sizes=tuple(int(k) for k in kernel_sizes),
            bottleneck=self.bottleneck,
            se_reduction=self.se_reduction,
            **self._signal_module_kwargs(input_shape),
        )


fill_doc(IncepSE, max_epochs=10, batch_size=64, lr=3e-3)
