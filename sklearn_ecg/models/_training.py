"""The skorch pieces the network estimators add to every net.

- :class:`IndexSplit`: skorch ``train_split`` from indices chosen in ``fit``
  (stratified, or grouped by patient), before any torch code runs.
- :class:`FiniteLossCheck`: stops a training whose loss or weights are no
  longer finite, with an error that names the likely causes.
- :class:`ValidationScorer`: a scikit-learn scorer for skorch's
  ``EpochScoring`` that reads the net's outputs like the estimator does.
"""

import math

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import (
    GroupShuffleSplit,
    ShuffleSplit,
    StratifiedShuffleSplit,
)
from skorch.callbacks import Callback
from torch.utils.data import Subset

__all__ = ["FiniteLossCheck", "IndexSplit", "ValidationScorer", "validation_indices"]


def validation_indices(fraction, y, groups, stratify, random_state):
    """Training and validation indices: grouped when ``groups`` is given, else (stratified) shuffled."""
    n_samples = len(y)
    if groups is not None:
        splitter = GroupShuffleSplit(
            n_splits=1, test_size=fraction, random_state=random_state
        )
        return next(splitter.split(np.zeros(n_samples), groups=groups))
    if stratify:
        splitter = StratifiedShuffleSplit(
            n_splits=1, test_size=fraction, random_state=random_state
        )
        return next(splitter.split(np.zeros(n_samples), y))
    splitter = ShuffleSplit(n_splits=1, test_size=fraction, random_state=random_state)
    return next(splitter.split(np.zeros(n_samples)))


class IndexSplit:
    """skorch ``train_split`` returning the subsets at fixed training and validation indices."""

    def __init__(self, train_indices, valid_indices):
        self.train_indices = train_indices
        self.valid_indices = valid_indices

    def __call__(self, dataset, y=None, **fit_params):
        return Subset(dataset, self.train_indices), Subset(dataset, self.valid_indices)


class FiniteLossCheck(Callback):
    """Raise ``FloatingPointError`` as soon as a training diverges.

    A training has diverged when a batch loss (training or validation) is no
    longer finite or has grown to more than ``growth`` times the first
    training batch's (at least 1), when an epoch ends with weights that are
    not finite, or when the trained network's outputs on (up to 256 of) the
    training rows are not finite or give such a loss.  The update after the
    last loss can overflow the weights, or make them so large that the
    activations overflow (a model that would predict NaN); batch
    normalisation can keep the outputs finite while the loss explodes.

    Parameters
    ----------
    estimator_name : str
        Named in the message.
    lr : float
        The learning rate, named in the message.
    input_scale : float
        Largest absolute training input, named in the message.
    growth : float, default=1e6
        Largest accepted ratio of a loss to the first training batch's.
    """

    def __init__(self, estimator_name, lr, input_scale, growth=1e6):
        self.estimator_name = estimator_name
        self.lr = lr
        self.input_scale = input_scale
        self.growth = growth

    def _diverged(self, what, net, when="in"):
        return FloatingPointError(
            f"{self.estimator_name} training diverged: {what} {when} epoch {len(net.history)}. "
            f"The usual causes are a learning rate that is too large (lr={self.lr!r}) or inputs on a large "
            f"scale (largest |X| = {self.input_scale:.3g}). Lower lr, standardise the inputs (e.g. with "
            "StandardScaler or per-beat normalisation), or set clip_grad_norm."
        )

    def _check_loss(self, value, kind, net, when="in"):
        if not math.isfinite(value):
            raise self._diverged(f"the {kind} loss became {value}", net, when)
        if self.first_loss_ is None:
            self.first_loss_ = value
        elif value > self.growth * max(self.first_loss_, 1.0):
            raise self._diverged(
                f"the {kind} loss grew from {self.first_loss_:.3g} to {value:.3g}",
                net,
                when,
            )

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.first_loss_ = None

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if loss is None:
            return
        value = loss.item() if hasattr(loss, "item") else float(loss)
        self._check_loss(value, "training" if training else "validation", net)

    def on_epoch_end(self, net, **kwargs):
        for name, tensor in net.module_.state_dict().items():
            if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
                raise self._diverged(
                    f"the network's weights became non-finite ({name})", net
                )

    def on_train_end(self, net, X=None, y=None, **kwargs):
        # The last update is seen by no batch loss: check the trained network itself.
        if X is None or y is None or not len(X):
            return
        rows = np.unique(np.linspace(0, len(X) - 1, num=min(len(X), 256)).astype(int))
        with torch.no_grad():
            out = net.forward(X[rows], training=False, device=net.device)
            if not bool(torch.isfinite(out).all()):
                raise self._diverged(
                    "the trained network gave non-finite outputs", net, when="after"
                )
            loss = net.get_loss(out, y[rows], X=X[rows], training=False)
        self._check_loss(float(loss.item()), "trained network's", net, when="after")


class _NetAsClassifier(ClassifierMixin, BaseEstimator):
    """A skorch net seen as a classifier of encoded labels, for scikit-learn scorers."""

    def __init__(self, net=None, multilabel=False, n_outputs=2):
        self.net = net
        self.multilabel = multilabel
        self.n_outputs = n_outputs
        self.classes_ = np.arange(n_outputs)

    def predict_proba(self, X):
        proba = self.net.predict_proba(X)
        # skorch stacks (1 - p, p) on axis 1 for a sigmoid output.
        return proba[:, 1] if self.multilabel else proba

    def predict(self, X):
        proba = self.predict_proba(X)
        return (
            (proba >= 0.5).astype(int) if self.multilabel else np.argmax(proba, axis=1)
        )


class ValidationScorer:
    """``scoring(net, X, y)`` for skorch's ``EpochScoring`` from a scikit-learn scorer.

    Parameters
    ----------
    scorer : callable
        A scikit-learn scorer, ``scorer(estimator, X, y)``.
    multilabel : bool
        Whether the net has sigmoid outputs (one per label).
    n_outputs : int
        Number of classes or labels.
    """

    def __init__(self, scorer, multilabel, n_outputs):
        self.scorer = scorer
        self.multilabel = multilabel
        self.n_outputs = n_outputs

    def __call__(self, net, X, y):
        return self.scorer(_NetAsClassifier(net, self.multilabel, self.n_outputs), X, y)
