"""Shared parts of the 1-D (signal) network estimators."""

from numbers import Integral, Real

import numpy as np

from ._base import BaseNetworkClassifier
from ..utils._sklearn_compat import Interval

TRAINING_PARAMS_DOC = """\
    max_epochs : int, default={max_epochs}
        Number of passes over the training data (fewer with early stopping).
    batch_size : int, default={batch_size}
        Mini-batch size for training and prediction.
    lr : float, default={lr}
        Learning rate.
    optimizer : {{"adam", "adamw", "sgd"}} or torch optimizer class, default="adam"
        ``"sgd"`` uses momentum 0.9.
    weight_decay : float, default=0.0
        L2 penalty passed to the optimizer.
    class_weight : None, "balanced" or dict, default=None
        Weights of the classes in the cross-entropy loss (multiclass only), as in
        :func:`sklearn.utils.class_weight.compute_class_weight`.
    validation_fraction : float in (0, 1) or None, default=None
        Fraction of the training data held out (stratified when every class
        has at least two samples) for early stopping on the validation loss;
        the best weights are restored at the end.  ``None`` trains for
        ``max_epochs`` without early stopping.
    patience : int, default=5
        Epochs without improvement of the validation loss before stopping.
    clip_grad_norm : float, default=None
        Clip the gradient norm to this value (skorch's ``GradientNormClipping``).
    pos_weight : None, "balanced", float or array-like of shape (n_labels,), default=None
        Weight of the positive examples of each label in the binary
        cross-entropy (multilabel ``y`` only); ``"balanced"`` uses
        ``n_negative / n_positive`` per label.
    device : str, default="auto"
        Torch device; ``"auto"`` is CUDA when available, else the CPU.  A model
        fitted on a GPU loads and predicts on a CPU-only machine.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and the validation split.  With
        an int, two fits give identical predictions.  The global torch random
        state is left untouched.  Fits in threads of one process (joblib's
        threading backend, threaded dask workers) take turns with torch's
        generator, so they stay reproducible but do not overlap; use
        processes to train networks in parallel.
    verbose : int, default=0
        ``1`` prints skorch's table of losses per epoch.
    warm_start_from : None, fitted estimator of the same class, torch.nn.Module or state dict, default=None
        Transfer learning (Kachuee et al., 2018): start from these weights,
        except the output layer, which is new and sized for the new labels.
        The architecture parameters must match.  ``sklearn.base.clone`` (used
        by ``GridSearchCV`` and ``cross_validate``) replaces an estimator given
        here by an unfitted copy, so inside those tools pass
        ``fitted_model.module_`` (a torch module, which ``clone`` deep-copies).
    freeze_blocks : int, default=0
        With ``warm_start_from``, keep the first ``freeze_blocks`` blocks of
        the network (see ``module_.blocks()``) fixed: no gradient updates and
        frozen batch-norm statistics."""

SIGNAL_PARAMS_DOC = """\
    n_extra_features : int, default=0
        Number of tabular columns appended at the END of 2-D input
        ``(n_samples, n_times + n_extra_features)``, e.g. the RR-interval
        features of :class:`sklearn_ecg.RRFeatures` joined to the beats by a
        ``FeatureUnion`` (so they survive 2-D-only steps like SMOTE).  The
        network splits them off, convolves only the signal part and joins the
        standardised tabular columns to the dense head: this is how rhythm
        context reaches the network.  Needs 2-D (single-lead) input.
    gaussian_order : int, default=None
        When given, a trainable :class:`sklearn_ecg.nn.DeepGaussianFilter` of
        this order is the first layer, learned end to end.
    sigma : float, default=2.0
        Initial width (samples) of that filter."""

FITTED_ATTRS_DOC = """\
    classes_ : ndarray of shape (n_classes,)
        Class labels, or ``arange(n_labels)`` after a multilabel fit.
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit``.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in ``fit``.
    net_ : skorch.NeuralNet
        The trained skorch net (``NeuralNetClassifier``, or ``NeuralNet`` with
        ``BCEWithLogitsLoss`` for multilabel ``y``); ``net_.history`` holds the
        losses per epoch.
    module_ : torch.nn.Module
        The trained network (``net_.module_``)."""


def fill_doc(cls, **defaults):
    """Insert the shared parameter sections into ``cls.__doc__``."""
    cls.__doc__ = (
        cls.__doc__.replace("%(training_params)s", TRAINING_PARAMS_DOC.format(**defaults))
        .replace("%(signal_params)s", SIGNAL_PARAMS_DOC)
        .replace("%(fitted_attrs)s", FITTED_ATTRS_DOC)
    )
    return cls


class BaseSignalClassifier(BaseNetworkClassifier):
    """Base of the 1-D networks: tabular columns and the Gaussian front layer."""

    _parameter_constraints = {
        **BaseNetworkClassifier._parameter_constraints,
        "n_extra_features": [Interval(Integral, 0, None, closed="left")],
        "gaussian_order": [None, Interval(Integral, 0, None, closed="left")],
        "sigma": [Interval(Real, 0, None, closed="neither")],
    }

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
            extra = X[:, -self.n_extra_features:].astype(np.float64)
            scale = extra.std(axis=0)
            self._extra_mean = extra.mean(axis=0).astype(np.float32)
            self._extra_scale = np.where(scale > 0, scale, 1.0).astype(np.float32)

    def _input_statistics(self):
        return {"extra_mean": self._extra_mean, "extra_scale": self._extra_scale}

    def _set_input_statistics(self, attributes):
        self._extra_mean, self._extra_scale = (
            None if attributes.get(key) is None else np.asarray(attributes[key], dtype=np.float32)
            for key in ("extra_mean", "extra_scale")
        )

    def _signal_module_kwargs(self, input_shape):
        return dict(
            in_channels=1 if len(input_shape) == 1 else input_shape[0],
            n_extra_features=self.n_extra_features,
            extra_mean=self._extra_mean,
            extra_scale=self._extra_scale,
            gaussian_order=self.gaussian_order,
            sigma=float(self.sigma),
        )
