"""The base class every network estimator shares.

Subclasses only say which :mod:`sklearn_ecg.nn` module to build and with
which arguments; validation, label encoding, seeding, the skorch net,
callbacks, prediction and persistence live here.
"""

import math
import threading
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ..utils import validate_signal
from ..utils._sklearn_compat import Interval, StrOptions, _fit_context

_OPTIMIZERS = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD"}

# torch's random generator is global to the process: fits and predictions running in threads of
# one process (joblib's threading backend, dask's threaded workers) take turns with it, or one
# thread's seeding and restoring would change the random numbers another thread draws.
_TORCH_RNG_LOCK = threading.RLock()


class BaseNetworkClassifier(ClassifierMixin, BaseEstimator):
    """Shared machinery of the network classifiers (not public).

    Subclasses define ``__init__`` (their architecture parameters plus the
    shared ones below), ``_module_class``, ``_module_kwargs`` and, where the
    input is not a signal, ``_accepted_ndims`` and ``_to_module_input``.
    """

    _parameter_constraints = {
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(_OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "class_weight": [None, StrOptions({"balanced"}), dict],
        "validation_fraction": [None, Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "pos_weight": [None, StrOptions({"balanced"}), Interval(Real, 0, None, closed="neither"), "array-like"],
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start_from": "no_validation",
        "freeze_blocks": [Interval(Integral, 0, None, closed="left")],
    }

    _accepted_ndims = (2, 3)

    # -- hooks for subclasses -------------------------------------------------
    def _module_class(self):
        raise NotImplementedError

    def _module_kwargs(self, input_shape, n_outputs):
        """Keyword arguments of the module for inputs of shape ``(n, *input_shape)``."""
        raise NotImplementedError

    def _fit_input_statistics(self, X):
        """Learn what the module needs from the training inputs (none by default)."""

    def _check_input_layout(self, X):
        """Shape checks specific to the network, on the validated array."""

    def _to_module_input(self, X):
        return X

    # -- validation -------------------------------------------------------------
    def _validate_input(self, X, y=None, *, reset):
        name = type(self).__name__
        kwargs = {"ndims": tuple(sorted(set(self._accepted_ndims) | {4})), "reset": reset}
        if y is not None:
            kwargs.update(y=y, multi_output=True)
        out = validate_signal(self, X, **kwargs)
        X_checked = out[0] if y is not None else out
        if X_checked.ndim not in self._accepted_ndims:
            raise ValueError(
                f"{name} takes signals of shape (n_samples, n_times) or (n_samples, n_channels, "
                f"n_times); got a 4-D array of shape {X_checked.shape}, which looks like images. Use "
                "AlexNetImage for images, or give the signals to this network before SignalToImage."
            )
        self._check_input_layout(X_checked)
        return out

    def _encode_targets(self, y):
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y")
        name = type(self).__name__
        if target_type == "multilabel-indicator":
            self._multilabel = True
            self._label_dtype = y.dtype
            self.classes_ = np.arange(y.shape[1])
            return np.ascontiguousarray(y, dtype=np.float32)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"{name} supports binary, multiclass and multilabel-indicator targets; got {target_type!r}."
            )
        y = column_or_1d(y, warn=True)
        self._multilabel = False
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{name} needs samples of at least 2 classes in the data, but the data contains only "
                f"one class: {self.classes_[0]!r}."
            )
        return y_encoded.astype(np.int64)

    def _resolve_device(self):
        import torch

        device = self.device
        if device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ValueError(f"device={device!r} was requested but CUDA is not available; use device='auto' or 'cpu'.")
        return device

    def _split_sizes(self, n_samples):
        n_valid = math.ceil(self.validation_fraction * n_samples)
        return n_samples - n_valid, n_valid

    def _check_training_size(self, y_encoded):
        n_samples = len(y_encoded)
        name = type(self).__name__
        if self.validation_fraction is None:
            if n_samples < 2:
                raise ValueError(f"{name} needs at least 2 training samples, got {n_samples}.")
            return n_samples, False
        n_train, n_valid = self._split_sizes(n_samples)
        n_classes = 1 if self._multilabel else len(self.classes_)
        if n_train < max(2, n_classes) or n_valid < 1:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves {n_train} training and {n_valid} "
                f"validation samples out of {n_samples}; at least {max(2, n_classes)} training samples are "
                "needed. Use more data, a smaller validation_fraction, or validation_fraction=None."
            )
        stratified = False
        if not self._multilabel:
            counts = np.bincount(y_encoded)
            stratified = counts.min() >= 2 and n_valid >= n_classes and n_train >= n_classes
        return n_train, stratified

    # -- skorch ------------------------------------------------------------------
    def _criterion(self, y_original, y_encoded):
        import torch

        if self._multilabel:
            if self.class_weight is not None:
                raise ValueError(
                    "class_weight is for multiclass targets; with a multilabel indicator y use pos_weight "
                    f"(got class_weight={self.class_weight!r})."
                )
            kwargs = {}
            if self.pos_weight is not None:
                n_labels = y_encoded.shape[1]
                if isinstance(self.pos_weight, str):
                    positives = y_encoded.sum(axis=0)
                    weight = np.where(positives > 0, (len(y_encoded) - positives) / np.maximum(positives, 1), 1.0)
                else:
                    weight = np.broadcast_to(np.asarray(self.pos_weight, dtype=np.float64), (n_labels,)).copy() \
                        if np.ndim(self.pos_weight) == 0 else np.asarray(self.pos_weight, dtype=np.float64)
                    if weight.shape != (n_labels,) or not np.all(np.isfinite(weight)) or np.any(weight <= 0):
                        raise ValueError(
                            f"pos_weight must be 'balanced', a positive number or {n_labels} positive numbers "
                            f"(one per label); got {self.pos_weight!r}."
                        )
                kwargs["pos_weight"] = torch.as_tensor(weight, dtype=torch.float32)
            return torch.nn.BCEWithLogitsLoss, kwargs
        if self.pos_weight is not None:
            raise ValueError(
                f"pos_weight is for multilabel indicator targets; got pos_weight={self.pos_weight!r} with "
                "multiclass y. Use class_weight instead."
            )
        kwargs = {}
        if self.class_weight is not None:
            weight = compute_class_weight(self.class_weight, classes=self.classes_, y=y_original)
            kwargs["weight"] = torch.as_tensor(weight, dtype=torch.float32)
        return torch.nn.CrossEntropyLoss, kwargs

    def _optimizer(self):
        import torch

        if isinstance(self.optimizer, str):
            return getattr(torch.optim, _OPTIMIZERS[self.optimizer])
        if not issubclass(self.optimizer, torch.optim.Optimizer):
            raise ValueError(
                f"optimizer must be 'adam', 'adamw', 'sgd' or a torch.optim.Optimizer subclass; got {self.optimizer!r}."
            )
        return self.optimizer

    def _source_state(self):
        """The state dict to start from, or None."""
        import torch

        source = self.warm_start_from
        if source is None:
            if self.freeze_blocks:
                raise ValueError(
                    f"freeze_blocks={self.freeze_blocks} freezes pretrained blocks, so it needs warm_start_from "
                    "(a fitted estimator, its module_, or a state dict)."
                )
            return None
        if isinstance(source, BaseNetworkClassifier):
            if not hasattr(source, "net_"):
                raise ValueError(
                    f"warm_start_from is an unfitted {type(source).__name__}. sklearn.base.clone (used by "
                    "GridSearchCV and cross_validate) replaces estimators given as parameters by unfitted "
                    "copies: pass fitted_model.module_ (a torch module, which clone copies) instead."
                )
            return source.module_.state_dict()
        if isinstance(source, torch.nn.Module):
            return source.state_dict()
        if isinstance(source, Mapping):
            return source
        raise TypeError(
            "warm_start_from must be None, a fitted network estimator, a torch.nn.Module or a state dict; "
            f"got {type(source).__name__}."
        )

    def _warm_start(self, module, state):
        target = module.state_dict()
        mismatched = [
            key for key in target
            if not key.startswith("output.") and (key not in state or tuple(state[key].shape) != tuple(target[key].shape))
        ]
        if mismatched:
            raise ValueError(
                f"warm_start_from does not match this {type(self).__name__}'s architecture (same architecture "
                f"parameters and input channels are needed); mismatched weights: {mismatched[:5]}."
            )
        target.update({key: state[key] for key in target if not key.startswith("output.")})
        module.load_state_dict(target)
        n_blocks = len(module.blocks())
        if self.freeze_blocks > n_blocks:
            raise ValueError(
                f"freeze_blocks={self.freeze_blocks} but this {type(self).__name__} has only {n_blocks} blocks."
            )
        module.freeze(self.freeze_blocks)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network.

        Parameters
        ----------
        X : array-like
            Training inputs (see the class docstring for the accepted shapes).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels of any type, or a binary indicator matrix for
            multilabel problems.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        X, y = self._validate_input(X, y, reset=True)
        y_encoded = self._encode_targets(y)
        n_train, stratified = self._check_training_size(y_encoded)
        device = self._resolve_device()
        criterion, criterion_kwargs = self._criterion(y, y_encoded)
        optimizer = self._optimizer()
        state = self._source_state()
        X_module = self._to_module_input(np.ascontiguousarray(X, dtype=np.float32))
        self._fit_input_statistics(X_module)
        weight = criterion_kwargs.get("weight", criterion_kwargs.get("pos_weight"))
        self._loss_weight = None if weight is None else weight.numpy().astype(np.float64)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)

        import torch
        from skorch.callbacks import EarlyStopping, GradientNormClipping
        from skorch.dataset import ValidSplit

        callbacks = []
        train_split = None
        if self.validation_fraction is not None:
            train_split = ValidSplit(self.validation_fraction, stratified=stratified, random_state=seed)
            callbacks.append(("early_stopping", EarlyStopping(patience=self.patience, load_best=True)))
        if self.clip_grad_norm is not None:
            callbacks.append(("gradient_clipping", GradientNormClipping(self.clip_grad_norm)))
        net = self._build_net(
            X_module.shape[1:], device, criterion, criterion_kwargs, optimizer,
            train_split=train_split, callbacks=callbacks,
            # A last batch of one sample breaks batch norm in training mode.
            drop_last=n_train > self.batch_size and n_train % self.batch_size == 1,
        )
        devices = list(range(torch.cuda.device_count())) if device.startswith("cuda") else []
        with _TORCH_RNG_LOCK, torch.random.fork_rng(devices=devices):
            torch.manual_seed(seed)
            net.initialize()
            if state is not None:
                self._warm_start(net.module_, state)
            net.partial_fit(X_module, y_encoded)
        self.net_ = net
        return self

    def _build_net(self, module_input_shape, device, criterion, criterion_kwargs, optimizer, *,
                   train_split=None, callbacks=(), drop_last=False):
        """The (uninitialised) skorch net for module inputs of shape ``(n, *module_input_shape)``."""
        import torch
        from skorch import NeuralNet, NeuralNetClassifier

        from ._data import BatchLoader

        optimizer_kwargs = {"optimizer__weight_decay": self.weight_decay}
        if optimizer is torch.optim.SGD:
            optimizer_kwargs["optimizer__momentum"] = 0.9
        module_kwargs = self._module_kwargs(tuple(module_input_shape), len(self.classes_))
        net_class = NeuralNet if self._multilabel else NeuralNetClassifier
        return net_class(
            module=self._module_class(),
            **{f"module__{k}": v for k, v in module_kwargs.items()},
            criterion=criterion,
            **{f"criterion__{k}": v for k, v in criterion_kwargs.items()},
            optimizer=optimizer,
            lr=self.lr,
            **optimizer_kwargs,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=BatchLoader,
            iterator_valid=BatchLoader,
            iterator_train__shuffle=True,
            iterator_train__drop_last=drop_last,
            train_split=train_split,
            callbacks=list(callbacks),
            device=device,
            verbose=int(self.verbose),
        )

    # -- restoring without pickle ------------------------------------------------------
    def _fitted_state(self):
        """What a fitted estimator needs to predict, as plain data.

        Returns
        -------
        attributes : dict
            Fitted attributes: JSON-able scalars, lists and strings, numpy
            arrays and ``None``.
        weights : dict of str to torch.Tensor
            The module's state dict, on the CPU.
        """
        check_is_fitted(self)
        attributes = {
            "classes_": np.asarray(self.classes_),
            "n_features_in_": int(self.n_features_in_),
            "input_shape_": [int(n) for n in self.input_shape_],
            "multilabel": bool(self._multilabel),
            "label_dtype": str(np.dtype(self._label_dtype)) if self._multilabel else None,
            "loss_weight": getattr(self, "_loss_weight", None),
            **self._input_statistics(),
        }
        weights = {key: value.detach().cpu().clone() for key, value in self.module_.state_dict().items()}
        return attributes, weights

    def _input_statistics(self):
        """Fitted input statistics beyond the weights, as a dict of arrays (none by default)."""
        return {}

    def _restore(self, attributes, weights):
        """Rebuild ``net_`` from the hyper-parameters and ``_fitted_state()``, without training.

        The net goes to the CPU when CUDA is unavailable (or ``device="cpu"``).

        Parameters
        ----------
        attributes : dict
            The first item returned by :meth:`_fitted_state`.
        weights : dict of str to torch.Tensor
            The second item returned by :meth:`_fitted_state`.

        Returns
        -------
        self : object
            The estimator, fitted.
        """
        import torch

        self.classes_ = np.asarray(attributes["classes_"])
        self.n_features_in_ = int(attributes["n_features_in_"])
        self.input_shape_ = tuple(int(n) for n in attributes["input_shape_"])
        self._multilabel = bool(attributes["multilabel"])
        if self._multilabel:
            self._label_dtype = np.dtype(attributes["label_dtype"])
        loss_weight = attributes.get("loss_weight")
        self._loss_weight = None if loss_weight is None else np.asarray(loss_weight, dtype=np.float64)
        self._set_input_statistics(attributes)
        device = self.device if isinstance(self.device, str) else "auto"
        if device == "auto" or (device.startswith("cuda") and not torch.cuda.is_available()):
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if self._multilabel:
            criterion = torch.nn.BCEWithLogitsLoss
            key = "pos_weight"
        else:
            criterion = torch.nn.CrossEntropyLoss
            key = "weight"
        criterion_kwargs = {} if self._loss_weight is None else {
            key: torch.as_tensor(self._loss_weight, dtype=torch.float32)
        }
        module_input_shape = self._to_module_input(np.zeros((1, *self.input_shape_), dtype=np.float32)).shape[1:]
        net = self._build_net(module_input_shape, device, criterion, criterion_kwargs, self._optimizer())
        net.initialize()
        net.module_.load_state_dict({key: torch.as_tensor(value) for key, value in weights.items()})
        self.net_ = net
        return self

    def _set_input_statistics(self, attributes):
        """Set the statistics of :meth:`_input_statistics` back from ``attributes``."""

    @property
    def module_(self):
        """The trained :class:`torch.nn.Module` (``net_.module_``)."""
        return self.net_.module_

    # -- prediction ---------------------------------------------------------------
    def predict_proba(self, X):
        """Class probabilities (softmax), or label probabilities (sigmoid) for multilabel fits.

        Parameters
        ----------
        X : array-like
            Inputs shaped like the training inputs.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or (n_samples, n_labels)
            Columns follow ``classes_``.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        X_module = self._to_module_input(np.ascontiguousarray(X, dtype=np.float32))
        import torch

        # torch's DataLoader draws a seed from the global generator even without shuffling.
        with _TORCH_RNG_LOCK, torch.random.fork_rng(devices=[]):
            proba = self.net_.predict_proba(X_module).astype(np.float64)
        if self._multilabel:
            # skorch stacks (1 - p, p) on axis 1 for a sigmoid output.
            return proba[:, 1]
        proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict(self, X):
        """Predicted class labels (or indicator rows for multilabel fits).

        Parameters
        ----------
        X : array-like
            Inputs shaped like the training inputs.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        proba = self.predict_proba(X)
        if self._multilabel:
            return (proba >= 0.5).astype(self._label_dtype)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.classifier_tags.multi_label = True
        return tags
