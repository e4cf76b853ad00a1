"""Plots of ECG classification results, built on scikit-learn's Display objects.

matplotlib is imported inside each function, so importing
:mod:`sklearn_ecg.metrics` never needs it.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
)
from sklearn.utils import check_array, check_random_state, column_or_1d

from ..utils import check_signal_shape
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._aami import AAMI_CLASSES, _check_class_targets, _check_labels_and_names

_WRONG_COLOR = "tab:red"


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "labels": ["array-like"],
        "target_names": ["array-like", None],
        "normalize": [StrOptions({"true", "pred", "all"}), None],
        "ax": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def aami_confusion_matrix_display(
    y_true,
    y_pred,
    *,
    labels=AAMI_CLASSES,
    target_names=None,
    normalize=None,
    ax=None,
    **kwargs,
):
    """Plot the confusion matrix in AAMI order N, S, V, F, Q.

    A thin layer over
    :meth:`sklearn.metrics.ConfusionMatrixDisplay.from_predictions` that fixes
    the row and column order to ``labels`` and names them like
    :func:`aami_report`, so every class shows even when absent from a split.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True beat classes.
    y_pred : array-like of shape (n_samples,)
        Predicted beat classes.
    labels : sequence, default=("N", "S", "V", "F", "Q")
        The class values as they appear in ``y_true``/``y_pred``, in display
        order; integer encodings work too.  Values outside ``labels`` raise
        ``ValueError``.
    target_names : sequence of str, default=None
        Tick labels; defaults as in :func:`aami_report`.
    normalize : {"true", "pred", "all"} or None, default=None
        Normalise over the true rows (sensitivity on the diagonal), the
        predicted columns (positive predictivity on the diagonal), or all.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.
    **kwargs
        Passed on to ``ConfusionMatrixDisplay.from_predictions`` (``cmap``,
        ``values_format``, ``colorbar``, ...).

    Returns
    -------
    display : sklearn.metrics.ConfusionMatrixDisplay
        Holds ``confusion_matrix``, ``ax_`` and ``figure_``; call
        ``display.plot(ax=...)`` to draw it again elsewhere.

    See Also
    --------
    aami_report : The same counts as per-class numbers.

    Examples
    --------
    >>> from sklearn_ecg.metrics import aami_confusion_matrix_display
    >>> disp = aami_confusion_matrix_display(["N", "V", "S", "N"], ["N", "V", "N", "N"])
    >>> disp.confusion_matrix[:3, :3]
    array([[2, 0, 0],
           [1, 0, 0],
           [0, 0, 1]])
    >>> [t.get_text() for t in disp.ax_.get_xticklabels()]
    ['N', 'S', 'V', 'F', 'Q']
    """
    labels, names = _check_labels_and_names(labels, target_names)
    y_true, y_pred = _check_class_targets(y_true, y_pred, labels)
    return ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=labels,
        display_labels=names,
        normalize=normalize,
        ax=ax,
        **kwargs,
    )


def _one_vs_rest_targets(y_true, y_score, classes):
    """Return ``(Y, scores, names)``: one 0/1 column per class of ``y_score``."""
    y_score = check_array(y_score, dtype=np.float64, input_name="y_score")
    n_samples, n_classes = y_score.shape
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        y_true = check_array(y_true, dtype=None, input_name="y_true")
        if y_true.shape != y_score.shape:
            raise ValueError(
                "A 2-D y_true is a multilabel indicator and must have the shape of "
                f"y_score; got {y_true.shape} and {y_score.shape}."
            )
        if not np.isin(y_true, [0, 1]).all():
            raise ValueError(
                "A 2-D y_true must be a multilabel indicator matrix of 0/1."
            )
        indicator = y_true.astype(np.int8)
        if classes is None:
            classes = np.arange(n_classes)
    else:
        y_true = column_or_1d(y_true)
        if y_true.shape[0] != n_samples:
            raise ValueError(
                "y_true and y_score must have the same number of samples; got "
                f"{y_true.shape[0]} and {n_samples}."
            )
        if classes is None:
            classes = np.unique(y_true)
        classes_arr = np.asarray(classes)
        unknown = np.setdiff1d(np.unique(y_true), classes_arr).tolist()
        if unknown:
            raise ValueError(
                f"y_true holds labels {unknown} that are not in classes={classes_arr.tolist()}. "
                "Pass classes= listing the columns of y_score (e.g. clf.classes_)."
            )
        indicator = (y_true[:, None] == classes_arr[None, :]).astype(np.int8)
    names = [str(c) for c in np.asarray(classes).tolist()]
    if len(names) != n_classes:
        raise ValueError(
            f"classes must name each of the {n_classes} columns of y_score; got "
            f"{len(names)}: {names}."
        )
    return indicator, y_score, names


def _plot_per_class(
    display_cls,
    y_true,
    y_score,
    classes,
    ax,
    *,
    title,
    xlabel,
    ylabel,
    last_kwargs=None,
):
    import matplotlib.pyplot as plt

    indicator, y_score, names = _one_vs_rest_targets(y_true, y_score, classes)
    if ax is None:
        _, ax = plt.subplots()
    n_pos = indicator.sum(axis=0)
    single = (n_pos == 0) | (n_pos == indicator.shape[0])
    if single.any():
        warnings.warn(
            f"Classes {[n for n, s in zip(names, single) if s]} hold a single class in "
            "y_true (one-vs-rest); their curve is undefined and not drawn.",
            UserWarning,
            stacklevel=3,
        )
    drawn = np.flatnonzero(~single)
    displays = []
    for k in drawn:
        # Extras such as the chance line go with the last curve, so the legend
        # lists the classes first, in order.
        kwargs = last_kwargs if (last_kwargs and k == drawn[-1]) else {}
        displays.append(
            display_cls.from_predictions(
                indicator[:, k], y_score[:, k], name=names[k], ax=ax, **kwargs
            )
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return displays


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "classes": ["array-like", None],
        "ax": "no_validation",
        "plot_chance_level": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def plot_per_class_roc(
    y_true, y_score, classes=None, *, ax=None, plot_chance_level=True
):
    """Draw one-vs-rest ROC curves, one per class, on one Axes.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Class labels (multiclass) or an indicator matrix (multilabel).
    y_score : array-like of shape (n_samples, n_classes)
        Scores, one column per class, e.g. ``clf.predict_proba(X)``.
    classes : array-like of shape (n_classes,), default=None
        The class of each column of ``y_score`` (``clf.classes_``), used to
        binarize a 1-D ``y_true`` and as curve names.  Defaults to the sorted
        labels of ``y_true`` (multiclass) or the column indices (multilabel).
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.
    plot_chance_level : bool, default=True
        Draw the diagonal once.

    Returns
    -------
    displays : list of sklearn.metrics.RocCurveDisplay
        One per class drawn, in ``classes`` order; a class whose one-vs-rest
        target has a single class in ``y_true`` is skipped with a warning.
        Each display keeps its ``fpr``/``tpr`` and can be re-plotted with
        ``display.plot(ax=...)``.

    See Also
    --------
    multilabel_auroc : The areas under these curves.
    plot_per_class_pr : The precision-recall counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import plot_per_class_roc
    >>> y_true = np.array(["N", "S", "V", "N", "S", "V"])
    >>> proba = np.eye(3)[[0, 1, 2, 0, 2, 2]] * 0.8 + 0.1
    >>> displays = plot_per_class_roc(y_true, proba, classes=["N", "S", "V"])
    >>> [round(d.roc_auc, 2) for d in displays]
    [1.0, 0.75, 0.88]
    """
    return _plot_per_class(
        RocCurveDisplay,
        y_true,
        y_score,
        classes,
        ax,
        title="One-vs-rest ROC",
        xlabel="False positive rate (1 - specificity)",
        ylabel="True positive rate (sensitivity)",
        last_kwargs={"plot_chance_level": bool(plot_chance_level)},
    )


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "classes": ["array-like", None],
        "ax": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def plot_per_class_pr(y_true, y_score, classes=None, *, ax=None):
    """Draw one-vs-rest precision-recall curves, one per class, on one Axes.

    Better suited than ROC curves to rare classes (S, F beats; rare PTB-XL
    statements), where a high specificity hides many false positives.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Class labels (multiclass) or an indicator matrix (multilabel).
    y_score : array-like of shape (n_samples, n_classes)
        Scores, one column per class, e.g. ``clf.predict_proba(X)``.
    classes : array-like of shape (n_classes,), default=None
        The class of each column of ``y_score`` (``clf.classes_``); defaults
        as in :func:`plot_per_class_roc`.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    displays : list of sklearn.metrics.PrecisionRecallDisplay
        One per class drawn, in ``classes`` order (classes with a single
        one-vs-rest class in ``y_true`` are skipped with a warning).

    See Also
    --------
    plot_per_class_roc : The ROC counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import plot_per_class_pr
    >>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> y_score = np.array([[0.9, 0.2], [0.3, 0.4], [0.8, 0.3], [0.1, 0.6]])
    >>> displays = plot_per_class_pr(y_true, y_score, classes=["AFIB", "STACH"])
    >>> [d.name for d in displays]
    ['AFIB', 'STACH']
    """
    return _plot_per_class(
        PrecisionRecallDisplay,
        y_true,
        y_score,
        classes,
        ax,
        title="One-vs-rest precision-recall",
        xlabel="Recall (sensitivity)",
        ylabel="Precision (positive predictivity)",
    )


@validate_params(
    {
        "X": ["array-like"],
        "y_true": ["array-like"],
        "y_pred": ["array-like", None],
        "classes": ["array-like", None],
        "n_per_class": [Interval(Integral, 1, None, closed="left")],
        "fs": [Interval(Real, 0, None, closed="neither"), None],
        "channel": [Integral],
        "fig": "no_validation",
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def plot_beat_gallery(
    X,
    y_true,
    y_pred=None,
    *,
    classes=None,
    n_per_class=5,
    fs=None,
    channel=0,
    fig=None,
    random_state=None,
):
    """Show example beats of each class, one column per class.

    Each column is a subfigure titled with the class and its count; each small
    panel shows one randomly drawn beat of that class, titled with its
    predicted label when ``y_pred`` is given.  Wrongly predicted beats are
    drawn, and titled, in red.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
        Beats or context windows.
    y_true : array-like of shape (n_samples,)
        True class of each beat.
    y_pred : array-like of shape (n_samples,), default=None
        Predicted class of each beat.
    classes : sequence, default=None
        Classes to show, one column each, in this order.  Defaults to the AAMI
        order N, S, V, F, Q when ``y_true`` holds AAMI letters only, else the
        sorted labels of ``y_true``.
    n_per_class : int, default=5
        Beats per class (fewer when a class has fewer).
    fs : float, default=None
        Sampling frequency in Hz; the time axis is in seconds when given, in
        samples otherwise.
    channel : int, default=0
        Channel shown for a 3-D ``X``.
    fig : matplotlib Figure, default=None
        Figure to draw into; a new one when None.
    random_state : int, RandomState instance or None, default=None
        Controls which beats are drawn.

    Returns
    -------
    fig : matplotlib Figure
        ``fig.subfigs`` holds one subfigure per class, in ``classes`` order;
        a class absent from ``y_true`` keeps its titled, empty column.

    See Also
    --------
    aami_confusion_matrix_display : Counts of the mistakes shown here.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import plot_beat_gallery
    >>> X = np.random.default_rng(0).normal(size=(6, 50))
    >>> fig = plot_beat_gallery(X, ["N", "V", "N", "V", "N", "S"], ["N", "N", "N", "V", "N", "S"],
    ...                         n_per_class=2, fs=360, random_state=0)
    >>> [sf.get_suptitle() for sf in fig.subfigs]
    ['N (n=3)', 'S (n=1)', 'V (n=2)']
    """
    import matplotlib.pyplot as plt

    X = np.asarray(X)
    check_signal_shape(X, name="X")
    if X.ndim == 3:
        if not -X.shape[1] <= channel < X.shape[1]:
            raise ValueError(
                f"channel must index one of the {X.shape[1]} channels of X; got {channel}."
            )
        X = X[:, channel, :]
    y_true = column_or_1d(y_true)
    if y_true.shape[0] != X.shape[0]:
        raise ValueError(
            "X and y_true must have the same number of samples; got "
            f"{X.shape[0]} and {y_true.shape[0]}."
        )
    if y_pred is not None:
        y_pred = column_or_1d(y_pred)
        if y_pred.shape[0] != X.shape[0]:
            raise ValueError(
                "X and y_pred must have the same number of samples; got "
                f"{X.shape[0]} and {y_pred.shape[0]}."
            )
    valid_int = isinstance(n_per_class, (int, np.integer)) and not isinstance(
        n_per_class, bool
    )
    if not valid_int or n_per_class < 1:
        raise ValueError(f"n_per_class must be a positive int; got {n_per_class!r}.")
    if fs is not None and not fs > 0:
        raise ValueError(
            f"fs must be a positive sampling frequency in Hz or None; got {fs!r}."
        )
    if classes is None:
        present = np.unique(y_true)
        if set(present.tolist()) <= set(AAMI_CLASSES):
            classes = [c for c in AAMI_CLASSES if c in set(present.tolist())]
        else:
            classes = present.tolist()
    classes = list(classes)
    if not classes:
        raise ValueError("classes must list at least one class to show.")

    rng = check_random_state(random_state)
    n_times = X.shape[1]
    t = np.arange(n_times) / fs if fs is not None else np.arange(n_times)
    if fig is None:
        fig = plt.figure(
            figsize=(2.2 * len(classes), 1.1 * n_per_class + 0.8), layout="constrained"
        )
    subfigs = fig.subfigures(1, len(classes), squeeze=False)[0]
    for cls, subfig in zip(classes, subfigs):
        members = np.flatnonzero(y_true == cls)
        subfig.suptitle(f"{cls} (n={members.size})")
        chosen = rng.choice(members, size=min(n_per_class, members.size), replace=False)
        if chosen.size == 0:
            continue
        grid = subfig.add_gridspec(n_per_class, 1)
        first = subfig.add_subplot(grid[0])
        axes = [first] + [
            subfig.add_subplot(grid[r], sharex=first) for r in range(1, chosen.size)
        ]
        for ax, i in zip(axes, chosen):
            wrong = y_pred is not None and y_pred[i] != cls
            ax.plot(t, X[i], color=_WRONG_COLOR if wrong else "C0", linewidth=0.8)
            if y_pred is not None:
                title_color = _WRONG_COLOR if wrong else "black"
                ax.set_title(f"pred {y_pred[i]}", fontsize="small", color=title_color)
            ax.tick_params(labelsize="x-small", labelbottom=ax is axes[-1])
        axes[-1].set_xlabel(
            "time (s)" if fs is not None else "sample", fontsize="small"
        )
    return fig
