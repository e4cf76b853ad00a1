"""The skorch pieces the network estimators add to every net.

- :class:`IndexSplit`: skorch ``train_split`` from indices chosen in ``fit``
  (stratified, or grouped by patient), before any torch code runs.
- :class:`FiniteLossCheck`: stops a training whose loss is no longer finite,
  with an error that names the likely causes.
- :class:`ValidationScorer`: a scikit-learn scorer for skorch's
  ``EpochScoring`` that reads the net's outputs like the estimator does.
"""

import math

import numpy as np
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
    """Raise ``FloatingPointError`` as soon as a training batch gives a non-finite loss.

    Parameters
    ----------
    estimator_name : str
        Named in the message.
    lr : float
        The learning rate, named in the message.
    input_scale : float
        Largest absolute training input, named in the message.
    """

    def __init__(self, estimator_name, lr, input_scale):
        self.estimator_name = estimator_name
        self.lr = lr
        self.input_scale = input_scale

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if not training or loss is None:
            return
        value = loss.item() if hasattr(loss, "item") else float(loss)
        if math.isfinite(value):
            return
        epoch = len(net.history)
        raise FloatingPointError(
            f"{self.estimator_name} training diverged: the training loss became {value} in epoch {epoch}. "
            f"The usual causes are a learning rate that is too large (lr={self.lr!r}) or inputs on a large "
            f"scale (largest |X| = {self.input_scale:.3g}). Lower lr, standardise the inputs (e.g. with "
            "StandardScaler or per-beat normalisation), or set clip_grad_norm."
        )


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
