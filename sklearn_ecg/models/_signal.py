"""Shared parts of the 1-D (signal) network estimators."""

from numbers import Integral, Real

import numpy as np

from .._kernels import MAX_ORDER as MAX_GAUSSIAN_ORDER
from ..utils._sklearn_compat import Interval, StrOptions
from ._base import BaseNetworkClassifier
from ._parameters import Parameter

# Widths that keep the Gaussian derivative kernels of moderate size in float32
# (the highest order is the kernel module's).
SIGMA_RANGE = (0.5, 500.0)

SIGNAL_PARAMETERS = (
    Parameter(
        "n_extra_features",
        0,
        [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        'int or "auto"',
        """\
Number of tabular columns appended at the END of 2-D input
``(n_samples, n_times + n_extra_features)``, e.g. the features of
:class:`~sklearn_ecg.preprocessing.RhythmFeatures` and
:class:`~sklearn_ecg.preprocessing.MorphologyFeatures` joined to the beat
by a ``FeatureUnion`` (so they survive 2-D-only steps like SMOTE).  The
network splits them off, convolves only the signal part and joins the
standardised tabular columns to the dense layers: this is how rhythm
context reaches the network.  Needs 2-D (single-lead) input.  ``"auto"``
counts them from the column names of a ``FeatureUnion`` whose output is a
DataFrame (``.set_output(transform="pandas")``): every column after the
first step's is tabular (save such a pipeline with joblib: a model file
cannot hold pandas objects).  With such names, a count that splits one
step's columns between signal and tabular raises ``ValueError`` in
``fit``.""",
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


def _feature_blocks(names):
    """``[(step, n_columns), ...]`` of a FeatureUnion's ``step__feature`` names, else None."""
    if names is None or not all("__" in str(n) for n in names):
        return None
    blocks = []
    for n in names:
        step = str(n).split("__", 1)[0]
        if blocks and blocks[-1][0] == step:
            blocks[-1][1] += 1
        else:
            blocks.append([step, 1])
    return [(step, count) for step, count in blocks]


class BaseSignalClassifier(BaseNetworkClassifier):
    """Base of the 1-D networks: tabular columns and the Gaussian front layer."""

    _input_parameters = SIGNAL_PARAMETERS

    def _extra_count(self, X):
        """The number of tabular columns, checked against ``X`` and its column names."""
        name = type(self).__name__
        k = self.n_extra_features
        names = getattr(self, "feature_names_in_", None)
        blocks = _feature_blocks(names) if X.ndim == 2 else None
        if k == "auto":
            if blocks is None:
                raise ValueError(
                    f"n_extra_features='auto' counts the tabular columns from the column names a "
                    f"FeatureUnion gives with .set_output(transform='pandas') (step__feature); X "
                    f"{'is not 2-D' if X.ndim != 2 else 'has no such names'}. Set the union's "
                    "output to pandas, or pass the count, e.g. n_extra_features="
                    "RhythmFeatures.n_features + MorphologyFeatures.n_features."
                )
            k = X.shape[1] - blocks[0][1]
        if not k:
            return 0
        if X.ndim != 2:
            raise ValueError(
                f"n_extra_features={k} needs 2-D input (n_samples, n_times + {k}) with the tabular columns "
                f"last; got an array of shape {X.shape}. Join the tabular columns to one-lead beats, or "
                "set n_extra_features=0 for multi-lead signals."
            )
        if X.shape[1] <= k:
            raise ValueError(
                f"n_extra_features={k} but X has only {X.shape[1]} columns; {name} needs at least one signal "
                f"sample before the {k} tabular columns. n_extra_features counts the columns the "
                "FeatureUnion appends after the signal (e.g. RhythmFeatures.n_features + "
                "MorphologyFeatures.n_features = 44), not the signal itself."
            )
        if blocks is not None:
            ends = np.cumsum([count for _, count in blocks])
            split = X.shape[1] - k
            if split not in ends:
                listing = ", ".join(f"{step!r} ({count})" for step, count in blocks)
                implied = X.shape[1] - blocks[0][1]
                raise ValueError(
                    f"n_extra_features={k} splits the columns of one step between the signal and the "
                    f"tabular columns: X holds the steps {listing}, so the last {k} columns start "
                    f"inside {blocks[int(np.searchsorted(ends, split, side='right'))][0]!r}. With "
                    f"the first step as the signal, n_extra_features={implied} (or 'auto')."
                )
        return int(k)

    def _check_input_layout(self, X):
        self._extra_count(X)

    def _fit_input_statistics(self, X):
        self._n_extra = k = self._extra_count(X)
        self._extra_mean = self._extra_scale = None
        if k:
            extra = X[:, -k:].astype(np.float64)
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
        self._n_extra = 0 if self._extra_mean is None else len(self._extra_mean)

    def _signal_module_kwargs(self, input_shape):
        return {
            "in_channels": 1 if len(input_shape) == 1 else input_shape[0],
            "n_extra_features": self._n_extra,
            "extra_mean": self._extra_mean,
            "extra_scale": self._extra_scale,
            "gaussian_order": self.gaussian_order,
            "sigma": float(self.sigma),
        }
