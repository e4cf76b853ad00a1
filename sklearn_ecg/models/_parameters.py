"""Hyper-parameters of the network estimators, declared once.

Each :class:`Parameter` carries its name, default, constraints and
documentation.  :func:`make_init` builds an estimator's ``__init__`` (the
signature scikit-learn introspects) and :func:`parameters_doc` its numpydoc
"Parameters" entries from the same declarations, so the signature, the
validation and the docs cannot drift apart.
"""

import inspect
import os
import textwrap
from collections import namedtuple
from numbers import Integral, Real

from sklearn.metrics import get_scorer_names

from ..utils._sklearn_compat import Interval, StrOptions

__all__ = [
    "TRAINING_PARAMETERS",
    "Parameter",
    "format_default",
    "make_init",
    "parameters_doc",
]

OPTIMIZERS = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD"}

Parameter = namedtuple("Parameter", "name default constraints kind doc")
Parameter.__doc__ = """One hyper-parameter: name, default, constraints, numpydoc type and description."""


def _doc(text):
    return inspect.cleandoc(text)


TRAINING_PARAMETERS = (
    Parameter(
        "max_epochs",
        20,
        [Interval(Integral, 1, None, closed="left")],
        "int",
        _doc("""
        Number of passes over the training data (fewer with early stopping)."""),
    ),
    Parameter(
        "batch_size",
        64,
        [Interval(Integral, 1, None, closed="left")],
        "int",
        _doc("""
        Mini-batch size for training and prediction."""),
    ),
    Parameter(
        "lr",
        1e-3,
        [Interval(Real, 0, None, closed="neither")],
        "float",
        _doc("""
        Learning rate."""),
    ),
    Parameter(
        "optimizer",
        "adam",
        [StrOptions(set(OPTIMIZERS)), type],
        '{"adam", "adamw", "sgd"} or torch optimizer class',
        _doc("""
        ``"sgd"`` uses momentum 0.9 (change it with
        ``net_params={"optimizer__momentum": ...}``)."""),
    ),
    Parameter(
        "weight_decay",
        0.0,
        [Interval(Real, 0, None, closed="left")],
        "float",
        _doc("""
        L2 penalty passed to the optimizer."""),
    ),
    Parameter(
        "class_weight",
        None,
        [None, StrOptions({"balanced", "sqrt_balanced"}), dict],
        'None, "balanced", "sqrt_balanced" or dict',
        _doc("""
        Weights of the classes in the cross-entropy loss (multiclass only), as in
        :func:`sklearn.utils.class_weight.compute_class_weight`.  A dict maps
        classes to finite non-negative weights, not all zero; keys of classes
        absent from the training data are ignored, so one dict serves every
        fold of a cross-validation.  ``"sqrt_balanced"`` is the square root of
        the ``"balanced"`` weights, ``sqrt(n_samples / (n_classes * count))``:
        rare classes count more, without the extreme weights of very rare
        ones.  Unlike a dict, the string options do not depend on how the
        labels are spelled, so they still apply inside meta-estimators that
        re-encode the labels, such as
        :class:`~sklearn.ensemble.VotingClassifier`."""),
    ),
    Parameter(
        "pos_weight",
        None,
        [
            None,
            StrOptions({"balanced"}),
            Interval(Real, 0, None, closed="neither"),
            "array-like",
        ],
        'None, "balanced", float or array-like of shape (n_labels,)',
        _doc("""
        Weight of the positive examples of each label in the binary
        cross-entropy (multilabel ``y`` only); ``"balanced"`` uses
        ``n_negative / n_positive`` per label."""),
    ),
    Parameter(
        "validation_fraction",
        None,
        [None, Interval(Real, 0, 1, closed="neither")],
        "float in (0, 1) or None",
        _doc("""
        Fraction of the training data held out for early stopping; the best
        weights are restored at the end (skorch's ``EarlyStopping`` with
        ``load_best=True``).  The split is stratified when every class has at
        least two samples.  When ``fit`` gets ``groups`` (e.g. patient or
        record ids), whole groups are held out instead: this fraction of the
        groups, so the epoch is chosen on patients the network has not seen.
        ``None`` trains for ``max_epochs`` without early stopping."""),
    ),
    Parameter(
        "patience",
        5,
        [Interval(Integral, 1, None, closed="left")],
        "int",
        _doc("""
        Epochs without improvement of the monitored validation score before
        stopping."""),
    ),
    Parameter(
        "early_stopping_scoring",
        None,
        [None, StrOptions(set(get_scorer_names()))],
        "None or str",
        _doc("""
        What early stopping monitors on the validation data: ``None`` is the
        validation loss; a scikit-learn scorer name (``"f1_macro"``,
        ``"balanced_accuracy"``, ...) is computed after every epoch by
        skorch's ``EpochScoring`` as ``valid_score`` and maximised."""),
    ),
    Parameter(
        "clip_grad_norm",
        None,
        [None, Interval(Real, 0, None, closed="neither")],
        "float or None",
        _doc("""
        Clip the gradient norm to this value (skorch's ``GradientNormClipping``)."""),
    ),
    Parameter(
        "callbacks",
        None,
        [None, list],
        "list of skorch callbacks or (name, callback) pairs",
        _doc("""
        Extra skorch callbacks, e.g. ``LRScheduler`` or ``Checkpoint``.  Each
        fit trains with its own copy (``sklearn.base.clone``), so the objects
        given here are never changed and estimators cloned by ``GridSearchCV``
        do not share state.  Reserved names: ``"early_stopping"``,
        ``"valid_score"``, ``"gradient_clipping"``, ``"finite_loss"``,
        ``"checkpoint"``."""),
    ),
    Parameter(
        "net_params",
        None,
        [None, dict],
        "dict or None",
        _doc("""
        Other options of the ``skorch.NeuralNet``, with skorch's
        ``prefix__name`` routing: ``{"optimizer__betas": (0.9, 0.99),
        "iterator_train__num_workers": 2, "callbacks__print_log__floatfmt":
        ".2f"}``.  They override the estimator's own choices; options that
        have an estimator parameter (``lr``, ``max_epochs``, ``module__*``,
        ...) must be set through that parameter."""),
    ),
    Parameter(
        "warm_start",
        False,
        ["boolean"],
        "bool",
        _doc("""
        When ``True`` and the estimator is fitted, ``fit`` continues training
        the fitted network (weights and optimizer state) for ``max_epochs``
        more epochs on the data it is given, instead of starting again.  The
        data must have the training input shape and only known classes."""),
    ),
    Parameter(
        "checkpoint_dir",
        None,
        [None, str, os.PathLike],
        "str, path or None",
        _doc("""
        Folder where skorch's ``Checkpoint`` saves the weights, the optimizer
        state and the history after every epoch.  A fit that finds a
        checkpoint there resumes from it and trains the remaining epochs of
        ``max_epochs``, so an interrupted run goes on where it stopped (with
        the same data and parameters).  Give each model its own folder; not
        for grid searches."""),
    ),
    Parameter(
        "warm_start_from",
        None,
        "no_validation",
        "None, fitted estimator of the same class, torch.nn.Module or state dict",
        _doc("""
        Transfer learning (Kachuee et al., 2018): start from these weights,
        except the module's ``head()`` (the output layer), which is new and
        sized for the new labels.  The architecture parameters must match.
        ``sklearn.base.clone`` (used by ``GridSearchCV`` and
        ``cross_validate``) replaces an estimator given here by an unfitted
        copy, so inside those tools pass ``fitted_model.module_`` (a torch
        module, which ``clone`` deep-copies)."""),
    ),
    Parameter(
        "freeze_blocks",
        0,
        [Interval(Integral, 0, None, closed="left")],
        "int",
        _doc("""
        With ``warm_start_from``, keep the first ``freeze_blocks`` blocks of
        the network (see ``module_.blocks()``) fixed: no gradient updates and
        frozen batch-norm statistics."""),
    ),
    Parameter(
        "device",
        "auto",
        [str],
        "str",
        _doc("""
        ``"auto"`` (CUDA when available, else the CPU), ``"cpu"``, ``"cuda"``
        or ``"cuda:N"``.  A model fitted on a GPU loads and predicts on a
        CPU-only machine."""),
    ),
    Parameter(
        "random_state",
        None,
        ["random_state"],
        "int, RandomState instance or None",
        _doc("""
        Seeds weight initialisation, shuffling, dropout and the validation
        split through a ``torch.Generator`` owned by each fit: torch's global
        random state is neither used nor changed.  With an int, two fits give
        identical predictions, also when they run at the same time in
        threads of one process (joblib's threading backend, dask's threaded
        workers)."""),
    ),
    Parameter(
        "verbose",
        0,
        ["verbose"],
        "int",
        _doc("""
        ``0`` trains quietly; ``1`` prints skorch's table of losses and
        scores per epoch; ``2`` also shows a progress bar over the batches."""),
    ),
)

FITTED_ATTRS_DOC = """\
    classes_ : ndarray of shape (n_classes,)
        Class labels, or ``arange(n_labels)`` after a multilabel fit.
    n_features_in_ : int
        ``X.shape[1]`` seen in ``fit``.
    input_shape_ : tuple of int
        ``X.shape[1:]`` seen in ``fit``; ``predict`` requires it.
    net_ : skorch.NeuralNet
        The trained skorch net (``NeuralNetClassifier``, or ``NeuralNet`` with
        ``BCEWithLogitsLoss`` for multilabel ``y``); ``net_.history`` holds the
        losses and scores per epoch.
    module_ : torch.nn.Module
        The trained network (``net_.module_``)."""


def format_default(value):
    """The ``default=`` text of a parameter in numpydoc."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def parameters_doc(parameters):
    """The numpydoc "Parameters" entries of ``parameters``, indented for a class docstring."""
    lines = []
    for p in parameters:
        lines.append(f"    {p.name} : {p.kind}, default={format_default(p.default)}")
        text = textwrap.fill(
            " ".join(p.doc.split()),
            width=71,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.extend(f"        {line}" for line in text.splitlines())
    return "\n".join(lines)


def make_init(qualname, parameters, n_positional):
    """An ``__init__`` that stores ``parameters`` unchanged, with their explicit signature.

    The first ``n_positional`` parameters may be given by position, the others
    by keyword only.
    """
    kinds = [inspect.Parameter.POSITIONAL_OR_KEYWORD] * n_positional
    kinds += [inspect.Parameter.KEYWORD_ONLY] * (len(parameters) - n_positional)
    signature = inspect.Signature(
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *(
                inspect.Parameter(p.name, kind, default=p.default)
                for p, kind in zip(parameters, kinds)
            ),
        ]
    )

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name, value in list(bound.arguments.items())[1:]:
            setattr(self, name, value)

    __init__.__signature__ = signature
    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__
