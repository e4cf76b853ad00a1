"""The base class every network estimator shares.

Subclasses declare their architecture parameters and say which
:mod:`sklearn_ecg.nn` module to build with which arguments; the training
parameters, validation, label encoding, seeding, the skorch net, callbacks,
prediction and the restore hooks live here.
"""

import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ..utils import validate_signal
from ..utils._sklearn_compat import _fit_context
from ._parameters import (
    FITTED_ATTRS_DOC,
    OPTIMIZERS,
    TRAINING_PARAMETERS,
    make_init,
    parameters_doc,
)

_DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")
_FLOAT32_MAX = float(np.finfo(np.float32).max)
# Callback names the estimator sets itself.
_RESERVED_CALLBACKS = (
    "early_stopping",
    "valid_score",
    "gradient_clipping",
    "finite_loss",
    "checkpoint",
)
# skorch options that have an estimator parameter: net_params may not set them.
_RESERVED_NET_PARAMS = {
    "module": "the estimator's architecture parameters",
    "criterion": "class_weight / pos_weight",
    "optimizer": "optimizer",
    "lr": "lr",
    "max_epochs": "max_epochs",
    "batch_size": "batch_size",
    "device": "device",
    "callbacks": "callbacks",
    "train_split": "validation_fraction and fit(..., groups=...)",
    "verbose": "verbose",
    "warm_start": "warm_start",
    "iterator_train": "batch_size",
    "iterator_valid": "batch_size",
}


class BaseNetworkClassifier(ClassifierMixin, BaseEstimator):
    """Shared machinery of the network classifiers (not public).

    A public subclass declares ``_architecture_parameters`` (a tuple of
    :class:`~sklearn_ecg.models._parameters.Parameter`), optionally
    ``_training_defaults`` (other defaults for some training parameters), and
    implements ``_module_class`` and ``_module_kwargs``; where the input is
    not a signal, also ``_accepted_ndims`` and ``_to_module_input``.  Its
    ``__init__``, ``_parameter_constraints`` and the "Parameters" section of
    its docstring (the ``%(parameters)s`` placeholder) are generated from
    those declarations and :data:`TRAINING_PARAMETERS`.
    """

    # With scikit-learn's metadata routing on, meta-estimators (pipelines,
    # VotingClassifier, GridSearchCV) pass ``groups`` on to fit, so early
    # stopping holds out whole patients without a set_fit_request call.
    __metadata_request__fit = {"groups": True}

    # Keyword-only parameters an intermediate base adds for all its subclasses.
    _input_parameters = ()
    _training_defaults = {}
    _accepted_ndims = (2, 3)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_architecture_parameters" not in cls.__dict__:
            return
        training = tuple(
            p._replace(default=cls._training_defaults.get(p.name, p.default))
            for p in TRAINING_PARAMETERS
        )
        parameters = (*cls._architecture_parameters, *cls._input_parameters, *training)
        cls._parameters = parameters
        cls._parameter_constraints = {p.name: p.constraints for p in parameters}
        cls.__init__ = make_init(
            cls.__qualname__, parameters, n_positional=len(cls._architecture_parameters)
        )
        if cls.__doc__:
            # the placeholders stand indented like the docstring; the generated
            # sections carry their own indentation
            cls.__doc__ = cls.__doc__.replace(
                "    %(parameters)s", parameters_doc(parameters)
            ).replace("    %(fitted_attrs)s", FITTED_ATTRS_DOC)

    # -- hooks for subclasses -------------------------------------------------
    def _module_class(self):
        raise NotImplementedError

    def _module_kwargs(self, input_shape, n_outputs):
        """Keyword arguments of the module for inputs of shape ``(n, *input_shape)``."""
        raise NotImplementedError

    def _fit_input_statistics(self, X):
        """Learn what the module needs from the training inputs (none by default)."""

    def _input_statistics(self):
        """Fitted input statistics beyond the weights, as a dict of arrays (none by default)."""
        return {}

    def _set_input_statistics(self, attributes):
        """Set the statistics of :meth:`_input_statistics` back from ``attributes``."""

    def _check_input_layout(self, X):
        """Shape checks specific to the network, on the validated array."""

    def _to_module_input(self, X):
        return X

    # -- validation -------------------------------------------------------------
    def _check_input_shape(self, X):
        """A clear message when ``X`` is not shaped like the training inputs.

        1-D inputs and 2-D inputs of another width are left to
        ``validate_data``, whose messages are the scikit-learn convention.
        """
        try:
            shape = tuple(np.shape(X))
        except (
            TypeError,
            ValueError,
        ):  # ragged lists, array-likes that refuse numpy functions
            return
        if len(shape) < 2:
            return
        expected = len(self.input_shape_) + 1
        fitted = f"(n_samples, {', '.join(map(str, self.input_shape_))})"
        if len(shape) != expected:
            raise ValueError(
                f"X has shape {shape} ({len(shape)}-D) but {type(self).__name__} was fitted on {expected}-D arrays "
                f"of shape {fitted}. Give it inputs shaped like the training data (a 2-D array is one lead: add or "
                "drop the channel axis)."
            )
        if len(shape) > 2 and shape[1:] != tuple(self.input_shape_):
            raise ValueError(
                f"X has shape {shape} but {type(self).__name__} was fitted on arrays of shape {fitted}: the number "
                "of leads and the length (or the image size) must be those of the training data."
            )

    def _validate_input(self, X, y=None, *, reset):
        name = type(self).__name__
        if not reset:
            self._check_input_shape(X)
        kwargs = {
            "ndims": tuple(sorted(set(self._accepted_ndims) | {4})),
            "reset": reset,
        }
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
        scale = float(np.max(np.abs(X_checked))) if X_checked.size else 0.0
        if scale > _FLOAT32_MAX:
            raise ValueError(
                f"X has values up to {scale:.3g}, beyond the float32 range (±{_FLOAT32_MAX:.3g}) the network "
                f"computes in. Rescale the input (e.g. with StandardScaler, or express the signals in mV)."
            )
        self._check_input_layout(X_checked)
        return out

    def _encode_targets(self, y, *, continuing=False):
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y")
        name = type(self).__name__
        multilabel = target_type == "multilabel-indicator"
        if not multilabel and target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"{name} supports binary, multiclass and multilabel-indicator targets; got {target_type!r}."
            )
        if continuing:
            return self._encode_like_fitted(y, multilabel)
        if multilabel:
            self._multilabel = True
            self._label_dtype = y.dtype
            self.classes_ = np.arange(y.shape[1])
            return np.ascontiguousarray(y, dtype=np.float32)
        y = column_or_1d(y, warn=True)
        self._multilabel = False
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{name} needs samples of at least 2 classes in the data, but the data contains only "
                f"one class: {self.classes_[0]!r}."
            )
        return y_encoded.astype(np.int64)

    def _encode_like_fitted(self, y, multilabel):
        """Encode ``y`` with the fitted classes (``warm_start`` continuing a fit)."""
        name = type(self).__name__
        if multilabel != self._multilabel or (
            multilabel and y.shape[1] != len(self.classes_)
        ):
            fitted = (
                f"{len(self.classes_)} labels (multilabel)"
                if self._multilabel
                else f"classes {list(self.classes_)}"
            )
            raise ValueError(
                f"warm_start=True continues the fitted {name}, which was trained on {fitted}; the new y does not "
                "match. Use the same classes, or set warm_start=False to train a new network."
            )
        if multilabel:
            return np.ascontiguousarray(y, dtype=np.float32)
        y = column_or_1d(y, warn=True)
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"warm_start=True continues the fitted {name}, whose classes are {list(self.classes_)}; y has the "
                f"unknown classes {list(unknown)}. Set warm_start=False to train a new network for them."
            )
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _check_device(self):
        """The torch device string ``device`` stands for, checked before any torch code runs."""
        import torch

        device = self.device
        if not _DEVICE.fullmatch(device):
            raise ValueError(
                f"device={device!r} is not a device this estimator knows; use 'auto', 'cpu', 'cuda' or "
                "'cuda:N' (lower case)."
            )
        if device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda"):
            if not torch.cuda.is_available():
                raise ValueError(
                    f"device={device!r} was requested but CUDA is not available; use device='auto' or 'cpu'."
                )
            index = int(device.partition(":")[2] or 0)
            if index >= torch.cuda.device_count():
                raise ValueError(
                    f"device={device!r} but this machine has {torch.cuda.device_count()} CUDA device(s); use "
                    "'cuda', 'auto' or 'cpu'."
                )
        return device

    def _check_groups(self, groups, n_samples):
        if groups is None or self.validation_fraction is None:
            return None
        groups = column_or_1d(np.asarray(groups))
        if len(groups) != n_samples:
            raise ValueError(
                f"groups has {len(groups)} entries but X has {n_samples} samples; give one group per sample."
            )
        if groups.dtype.kind == "f" and not np.all(np.isfinite(groups)):
            raise ValueError(
                "groups contains NaN or infinity; give every sample a group (patient or record id)."
            )
        n_groups = len(np.unique(groups))
        if n_groups < 2:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} with groups holds out whole groups, but groups has "
                f"only {n_groups} distinct value; give at least 2 groups or fit without groups."
            )
        return groups

    def _validation_split(self, y_encoded, groups, seed):
        """``(train_indices, valid_indices)``, or ``None`` without ``validation_fraction``."""
        n_samples = len(y_encoded)
        name = type(self).__name__
        if self.validation_fraction is None:
            if n_samples < 2:
                raise ValueError(
                    f"{name} needs at least 2 training samples, got {n_samples}."
                )
            return None
        from ._training import validation_indices

        n_classes = 1 if self._multilabel else len(self.classes_)
        n_valid = math.ceil(self.validation_fraction * n_samples)
        n_train = n_samples - n_valid
        stratify = False
        if groups is None:
            if n_train < max(2, n_classes) or n_valid < 1:
                raise ValueError(
                    f"validation_fraction={self.validation_fraction} leaves {n_train} training and {n_valid} "
                    f"validation samples out of {n_samples}; at least {max(2, n_classes)} training samples are "
                    "needed. Use more data, a smaller validation_fraction, or validation_fraction=None."
                )
            if not self._multilabel:
                stratify = (
                    np.bincount(y_encoded).min() >= 2
                    and n_valid >= n_classes
                    and n_train >= n_classes
                )
        train, valid = validation_indices(
            self.validation_fraction, y_encoded, groups, stratify, seed
        )
        if groups is not None and (len(train) < 2 or len(valid) < 1):
            raise ValueError(
                f"validation_fraction={self.validation_fraction} of {len(np.unique(groups))} groups leaves "
                f"{len(train)} training and {len(valid)} validation samples; give more groups or a different "
                "validation_fraction."
            )
        return train, valid

    def _check_class_weight(self):
        if not isinstance(self.class_weight, dict):
            return
        classes = set(self.classes_.tolist())
        if not any(key in classes for key in self.class_weight):
            raise ValueError(
                f"class_weight has the keys {list(self.class_weight)}, none of which is a class of y (classes: "
                f"{self.classes_.tolist()}); the keys must be labels as they appear in y."
            )
        values = np.array(list(self.class_weight.values()), dtype=np.float64)
        present = np.array(
            [w for key, w in self.class_weight.items() if key in classes],
            dtype=np.float64,
        )
        if (
            not np.all(np.isfinite(values))
            or np.any(values < 0)
            or not present.sum() > 0
        ):
            raise ValueError(
                f"class_weight must map classes to finite, non-negative weights that are not all zero for the "
                f"classes of y; got {self.class_weight!r}."
            )

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
                    weight = np.where(
                        positives > 0,
                        (len(y_encoded) - positives) / np.maximum(positives, 1),
                        1.0,
                    )
                else:
                    weight = np.asarray(self.pos_weight, dtype=np.float64)
                    if weight.ndim == 0:
                        weight = np.full(n_labels, float(weight))
                    if (
                        weight.shape != (n_labels,)
                        or not np.all(np.isfinite(weight))
                        or np.any(weight <= 0)
                    ):
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
        self._check_class_weight()
        kwargs = {}
        if self.class_weight is not None:
            sqrt = self.class_weight == "sqrt_balanced"
            weight = compute_class_weight(
                "balanced" if sqrt else self.class_weight,
                classes=self.classes_,
                y=y_original,
            )
            if sqrt:
                weight = np.sqrt(weight)
            kwargs["weight"] = torch.as_tensor(weight, dtype=torch.float32)
        return torch.nn.CrossEntropyLoss, kwargs

    def _optimizer(self):
        import torch

        if isinstance(self.optimizer, str):
            return getattr(torch.optim, OPTIMIZERS[self.optimizer])
        if not issubclass(self.optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"optimizer must be 'adam', 'adamw', 'sgd' or a torch.optim.Optimizer subclass; got {self.optimizer!r}."
            )
        return self.optimizer

    def _user_callbacks(self):
        """Fresh copies of ``callbacks`` as ``(name, callback)`` pairs (or bare callbacks)."""
        from skorch.callbacks import Callback

        copies = []
        for item in self.callbacks or ():
            name, callback = (
                item if isinstance(item, tuple) and len(item) == 2 else (None, item)
            )
            if not isinstance(callback, Callback) or not (
                name is None or isinstance(name, str)
            ):
                raise TypeError(
                    "callbacks must be a list of skorch callbacks (skorch.callbacks.Callback instances) or "
                    f"(name, callback) pairs; got {item!r}."
                )
            if name in _RESERVED_CALLBACKS:
                raise ValueError(
                    f"callbacks: the name {name!r} is used by the estimator itself ({', '.join(_RESERVED_CALLBACKS)}); "
                    "choose another name."
                )
            callback = clone(callback, safe=False)
            copies.append(callback if name is None else (name, callback))
        return copies

    def _net_params(self):
        params = dict(self.net_params or {})
        for key in params:
            if not isinstance(key, str):
                raise TypeError(
                    f"net_params keys must be skorch option names (str); got {key!r}."
                )
            root = key.split("__")[0]
            if key in _RESERVED_NET_PARAMS or (root == "module" and "__" in key):
                use = _RESERVED_NET_PARAMS.get(key, _RESERVED_NET_PARAMS["module"])
                raise ValueError(
                    f"net_params[{key!r}] is set by the estimator; use {use} instead."
                )
        return params

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

    def _warm_start_module(self, module, state):
        """Copy every weight outside ``module.head()`` from ``state`` and freeze the first blocks."""
        head = module.head_state_keys()
        target = module.state_dict()
        body = [key for key in target if key not in head]
        mismatched = [
            key
            for key in body
            if key not in state or tuple(state[key].shape) != tuple(target[key].shape)
        ]
        if mismatched:
            raise ValueError(
                f"warm_start_from does not match this {type(self).__name__}'s architecture (same architecture "
                f"parameters and input channels are needed); mismatched weights: {mismatched[:5]}."
            )
        target.update({key: state[key] for key in body})
        module.load_state_dict(target)
        n_blocks = len(module.blocks())
        if self.freeze_blocks > n_blocks:
            raise ValueError(
                f"freeze_blocks={self.freeze_blocks} but this {type(self).__name__} has only {n_blocks} blocks."
            )
        module.freeze(self.freeze_blocks)

    # -- skorch ------------------------------------------------------------------
    def _new_module(self, module_kwargs, generator=None):
        """The module, its weights drawn from ``generator`` (left as built when ``None``)."""
        import torch

        from ..nn import init_parameters

        # Building the layers draws from torch's global generator; those numbers are replaced at once from
        # the fit's own generator, and fork_rng hands the caller's global state back unchanged.
        with torch.random.fork_rng(devices=[]):
            module = self._module_class()(**module_kwargs)
        return module if generator is None else init_parameters(module, generator)

    def _build_net(
        self,
        module,
        device,
        criterion,
        criterion_kwargs,
        optimizer,
        *,
        callbacks=(),
        **net_kwargs,
    ):
        """The (uninitialised) skorch net around ``module``."""
        import torch
        from skorch import NeuralNet, NeuralNetClassifier

        from ._data import BatchLoader

        kwargs = {"optimizer__weight_decay": self.weight_decay}
        if optimizer is torch.optim.SGD:
            kwargs["optimizer__momentum"] = 0.9
        kwargs.update({f"criterion__{k}": v for k, v in criterion_kwargs.items()})
        kwargs.update(net_kwargs)
        kwargs.update(self._net_params())
        net_class = NeuralNet if self._multilabel else NeuralNetClassifier
        return net_class(
            module=module,
            criterion=criterion,
            optimizer=optimizer,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=BatchLoader,
            iterator_valid=BatchLoader,
            iterator_train__shuffle=True,
            callbacks=list(callbacks),
            device=device,
            verbose=int(self.verbose),
            **kwargs,
        )

    def _check_early_stopping(self):
        if self.early_stopping_scoring is not None and self.validation_fraction is None:
            raise ValueError(
                f"early_stopping_scoring={self.early_stopping_scoring!r} scores held-out data, which needs "
                "validation_fraction (e.g. 0.2); set it or leave early_stopping_scoring=None."
            )

    def _training_callbacks(self, input_scale):
        from sklearn.metrics import get_scorer
        from skorch.callbacks import (
            EarlyStopping,
            EpochScoring,
            GradientNormClipping,
            ProgressBar,
        )

        from ._training import FiniteLossCheck, ValidationScorer

        callbacks = [
            ("finite_loss", FiniteLossCheck(type(self).__name__, self.lr, input_scale))
        ]
        if self.validation_fraction is not None:
            monitor, lower_is_better = "valid_loss", True
            if self.early_stopping_scoring is not None:
                scoring = ValidationScorer(
                    get_scorer(self.early_stopping_scoring),
                    self._multilabel,
                    len(self.classes_),
                )
                callbacks.append(
                    (
                        "valid_score",
                        EpochScoring(
                            scoring, lower_is_better=False, name="valid_score"
                        ),
                    )
                )
                monitor, lower_is_better = "valid_score", False
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor=monitor,
                        lower_is_better=lower_is_better,
                        patience=self.patience,
                        load_best=True,
                    ),
                )
            )
        if self.clip_grad_norm is not None:
            callbacks.append(
                ("gradient_clipping", GradientNormClipping(self.clip_grad_norm))
            )
        if self.checkpoint_dir is not None:
            callbacks.append(("checkpoint", self._checkpoint()))
        if int(self.verbose) >= 2:
            callbacks.append(ProgressBar())
        return callbacks + self._user_callbacks()

    def _checkpoint(self):
        from skorch.callbacks import Checkpoint

        return Checkpoint(
            monitor=None,
            dirname=str(self.checkpoint_dir),
            f_params="params.pt",
            f_optimizer="optimizer.pt",
            f_criterion=None,
            f_history="history.json",
        )

    def _resume_from_checkpoint(self, net):
        """Load the checkpoint in ``checkpoint_dir``, if any; return the number of epochs left to train."""
        if (
            self.checkpoint_dir is None
            or not (Path(self.checkpoint_dir) / "history.json").exists()
        ):
            return self.max_epochs
        try:
            net.load_params(checkpoint=self._checkpoint())
        except (RuntimeError, ValueError, KeyError) as exc:
            raise ValueError(
                f"checkpoint_dir={str(self.checkpoint_dir)!r} holds a checkpoint of another network or training "
                f"({type(exc).__name__}: {str(exc).splitlines()[0]}). Use an empty folder for a new model."
            ) from exc
        return max(self.max_epochs - len(net.history), 0)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, groups=None):
        """Train the network.

        Parameters
        ----------
        X : array-like
            Training inputs (see the class docstring for the accepted shapes).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels of any type, or a binary indicator matrix for
            multilabel problems.
        groups : array-like of shape (n_samples,), default=None
            Group of each sample (patient or record id).  With
            ``validation_fraction``, early stopping holds out whole groups;
            otherwise unused.  Inside a ``Pipeline``, ``VotingClassifier`` or
            ``GridSearchCV`` with metadata routing enabled, it is requested by
            default (``set_fit_request(groups=False)`` turns that off).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None."
            )
        continuing = bool(self.warm_start) and hasattr(self, "net_")
        X, y = self._validate_input(X, y, reset=not continuing)
        y_encoded = self._encode_targets(y, continuing=continuing)
        self._check_early_stopping()
        groups = self._check_groups(groups, len(y_encoded))
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        if continuing:
            seed = int(
                np.random.SeedSequence([seed, len(self.net_.history)]).generate_state(
                    1
                )[0]
                >> 1
            )
        split = self._validation_split(y_encoded, groups, seed)
        device = self._check_device()
        criterion, criterion_kwargs = self._criterion(y, y_encoded)
        optimizer = self._optimizer()
        state = None if continuing else self._source_state()
        X_module = self._to_module_input(np.ascontiguousarray(X, dtype=np.float32))
        input_scale = float(np.abs(X_module).max()) if X_module.size else 0.0
        callbacks = self._training_callbacks(input_scale)
        self._net_params()
        if not continuing:
            self._fit_input_statistics(X_module)
            module_kwargs = self._module_kwargs(X_module.shape[1:], len(self.classes_))
        n_train = len(y_encoded) if split is None else len(split[0])

        import torch

        from ..nn import set_dropout_generator
        from ._training import IndexSplit

        generator = torch.Generator().manual_seed(seed)
        per_fit = {
            "train_split": None if split is None else IndexSplit(*split),
            "iterator_train__generator": generator,
            # A last batch of one sample breaks batch norm in training mode.
            "iterator_train__drop_last": n_train > self.batch_size
            and n_train % self.batch_size == 1,
        }
        if continuing:
            net = self.net_
            epochs = self.max_epochs
        else:
            weight = criterion_kwargs.get("weight", criterion_kwargs.get("pos_weight"))
            self._loss_weight = (
                None if weight is None else weight.numpy().astype(np.float64)
            )
            module = self._new_module(module_kwargs, generator)
            if state is not None:
                self._warm_start_module(module, state)
            net = self._build_net(
                module,
                device,
                criterion,
                criterion_kwargs,
                optimizer,
                callbacks=callbacks,
            )
            net.initialize()
            epochs = self._resume_from_checkpoint(net)
        # skorch reads these attributes when training starts (set_params would re-initialise the net).
        for key, value in per_fit.items():
            setattr(net, key, value)
        set_dropout_generator(
            net.module_, torch.Generator(device=net.device).manual_seed(seed)
        )
        try:
            if epochs:
                net.partial_fit(X_module, y_encoded, epochs=epochs)
        finally:
            # The fitted net keeps no per-fit state: no indices, groups or generators.
            set_dropout_generator(net.module_, None)
            net.train_split = net.iterator_train__generator = None
        self.net_ = net
        return self

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
            "label_dtype": str(np.dtype(self._label_dtype))
            if self._multilabel
            else None,
            "loss_weight": getattr(self, "_loss_weight", None),
            **self._input_statistics(),
        }
        weights = {
            key: value.detach().cpu().clone()
            for key, value in self.module_.state_dict().items()
        }
        return attributes, weights

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
        self._loss_weight = (
            None if loss_weight is None else np.asarray(loss_weight, dtype=np.float64)
        )
        self._set_input_statistics(attributes)
        device = (
            self.device
            if isinstance(self.device, str) and _DEVICE.fullmatch(self.device)
            else "auto"
        )
        if device == "auto" or (
            device.startswith("cuda") and not torch.cuda.is_available()
        ):
            device = "cuda" if torch.cuda.is_available() else "cpu"
        criterion, key = (
            (torch.nn.BCEWithLogitsLoss, "pos_weight")
            if self._multilabel
            else (torch.nn.CrossEntropyLoss, "weight")
        )
        criterion_kwargs = (
            {}
            if self._loss_weight is None
            else {key: torch.as_tensor(self._loss_weight, dtype=torch.float32)}
        )
        module_input_shape = self._to_module_input(
            np.zeros((1, *self.input_shape_), dtype=np.float32)
        ).shape[1:]
        module = self._new_module(
            self._module_kwargs(module_input_shape, len(self.classes_))
        )
        module.load_state_dict(
            {key: torch.as_tensor(value) for key, value in weights.items()}
        )
        net = self._build_net(
            module, device, criterion, criterion_kwargs, self._optimizer()
        )
        net.initialize()
        self.net_ = net
        return self

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
