"""The AlexNetImage classifier for ECG images."""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval
from ._base import BaseNetworkClassifier
from ._parameters import Parameter

__all__ = ["AlexNetImage"]


class AlexNetImage(BaseNetworkClassifier):
    """AlexNet classifier for small multi-channel ECG images.

    A scikit-learn classifier over the torch module
    :class:`sklearn_ecg.nn.AlexNetImageModule` (five convolutions, three
    dense layers, adaptive pooling; images smaller than its ``min_size`` on a
    side are resized up), trained with skorch.  Feed it the output of
    :class:`sklearn_ecg.SignalToImage`, ``(n, C, S, S)``.

    Other ranks are read as follows, so the estimator also works on plain
    tabular data: a 3-D array ``(n, H, W)`` is ``n`` one-channel images, and
    a 2-D array ``(n, F)`` is ``n`` one-channel images of one row of ``F``
    pixels (``(n, 1, 1, F)``), in line with "a 2-D array is one channel".

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(fitted_attrs)s

    See Also
    --------
    sklearn_ecg.SignalToImage : turns beats into images.
    CNN1D : works on the signals directly.

    References
    ----------
    A. Krizhevsky, I. Sutskever and G. Hinton, "ImageNet Classification with
    Deep Convolutional Neural Networks", NeurIPS 2012.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg import AlexNetImage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20, 2, 16, 16)).astype("float32")
    >>> y = (X[:, 0].mean(axis=(1, 2)) > 0).astype(int)
    >>> clf = AlexNetImage(width=0.125, max_epochs=2, random_state=0).fit(X, y)
    >>> clf.predict(X[:4]).shape
    (4,)
    """

    _architecture_parameters = (
        Parameter(
            "width",
            0.25,
            [Interval(Real, 0, None, closed="neither")],
            "float",
            "Multiplier of the channel counts ``(64, 192, 384, 256, 256)`` of the five convolutions and "
            "of the ``1024`` units of the dense layers.",
        ),
        Parameter(
            "dropout",
            0.5,
            [Interval(Real, 0, 1, closed="left")],
            "float",
            "Dropout before each hidden dense layer.",
        ),
    )
    _training_defaults = {"max_epochs": 20, "batch_size": 64, "lr": 1e-3}
    _accepted_ndims = (2, 3, 4)

    def _to_module_input(self, X):
        if X.ndim == 2:
            return X.reshape(X.shape[0], 1, 1, X.shape[1])
        if X.ndim == 3:
            return X[:, np.newaxis]
        return X

    def _module_class(self):
        from ..nn import AlexNetImageModule

        return AlexNetImageModule

    def _module_kwargs(self, input_shape, n_outputs):
        return {
            "in_channels": input_shape[0],
            "n_outputs": n_outputs,
            "width": float(self.width),
            "dropout": float(self.dropout),
        }
