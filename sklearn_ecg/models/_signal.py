"""Shared parts of the 1-D (signal) network estimators."""

from numbers import Integral, Real

import numpy as np

from .._kernels import MAX_ORDER as MAX_GAUSSIAN_ORDER
from ..utils._sklearn_compat import Interval
from ._base import BaseNetworkClassifier
from ._parameters import Parameter

# Widths that keep the Gaussian derivative kernels of moderate size in float32
# (the highest order is the kernel module's).
SIGMA_RANGE = (0.5, 500.0)

SIGNAL_PARAMETERS = (
    Parameter(
        "n_extra_features",
        0,
        [Interval(Integral, 0, None, closed="left")],
        "int",
        """\
Number of tabular columns appended at the END of 2-D input
``(n_samples, n_times + n_extra_features)``, e.g. the RR-interval
features of :class:`sklearn_ecg.RRFeatures` joined to the beats by a
``FeatureUnion`` (so they survive 2-D-only steps like SMOTE).  The
network splits them off, convolves only the signal part and joins the
standardised tabular columns to the dense layers: this is how rhythm
context reaches the network.  Needs 2-D (single-lead) input.""",
    ),
    Parameter(
        "gaussian_order",
        None,
        [None, Interval(Integral, 0, MAX_GAUSSIAN_ORDER, closed="both")],
        "int or None",
        f"""\
When given (0 to {MAX_GAUSSIAN_ORDER}), a trainable :class:`sklearn_ecg.nn.DeepGaussianFilter`
of this order is the first layer, learned end to end.""",
    ),
    Parameter(
        "sigma",
        2.0,
        [Interval(Real, *SIGMA_RANGE, closed="both")],
        "float",
        f"""\
Initial width (samples) of that filter, from {SIGMA_RANGE[0]} to {SIGMA_RANGE[1]}.""",
    ),
)


class BaseSignalClassifier(BaseNetworkClassifier):
    """Base of the 1-D networks: tabular columns and the Gaussian front layer."""

    _input_parameters = SIGNAL_PARAMETERS

    def _check_input_layout(self, X):
        k = self.n_extra_features
        if not k:
            return
        name = type(self).__name__
        if X.ndim != 2:
            raise ValueError(
                f"n_extra_features={k} needs 2-D input (n_samples, n_times + {k}) with the tabular columns "
                f"last; got an array of shape {X.shape}."
            )
        if X.shape[1] <= k:
            raise ValueError(
                f"n_extra_features={k} but X has only {X.shape[1]} columns; {name} needs at least one signal "
                f"sample before the {k} tabular columns."
            )

    def _fit_input_statistics(self, X):
        self._extra_mean = self._extra_scale = None
        if self.n_extra_features:
            extra = X[:, -self.n_extra_features :].astype(np.float64)
            scale = extra.std(axis=0)
            self._extra_mean = extra.mean(axis=0).astype(np.float32)
            self._extra_scale = np.where(scale > 0, scale, 1.0).astype(np.float32)

    def _input_statistics(self):
        return {"extra_mean": self._extra_mean, "extra_scale": self._extra_scale}

    def _set_input_statistics(self, attributes):
        self._extra_mean, self._extra_scale = (
            None
            if attributes.get(key) is None
            else np.asarray(attributes[key], dtype=np.float32)
            for key in ("extra_mean", "extra_scale")
        )

    def _signal_module_kwargs(self, input_shape):
        return {
            "in_channels": 1 if len(input_shape) == 1 else input_shape[0],
            "n_extra_features": self.n_extra_features,
            "extra_mean": self._extra_mean,
            "extra_scale": self._extra_scale,
            "gaussian_order": self.gaussian_order,
            "sigma": float(self.sigma),
        }
