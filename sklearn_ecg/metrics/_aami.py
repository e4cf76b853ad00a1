"""Per-class report for the AAMI EC57 heartbeat classes N, S, V, F, Q."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.utils import check_consistent_length, column_or_1d
from sklearn.utils.multiclass import unique_labels

from ..datasets._wfdb_beats import AAMI_CLASSES
from ..utils._sklearn_compat import Interval, validate_params


def _check_labels_and_names(labels, target_names):
    """Return ``(labels, names)`` as lists, checked for size and duplicates."""
    labels = (
        list(np.asarray(labels, dtype=object).ravel()) if labels is not None else []
    )
    if not labels:
        raise ValueError("labels must list at least one class; got an empty sequence.")
    if len(set(labels)) != len(labels):
        raise ValueError(f"labels must not repeat a class; got labels={labels}.")
    if target_names is None:
        if len(labels) == len(AAMI_CLASSES) and not any(
            isinstance(lab, str) for lab in labels
        ):
            names = list(AAMI_CLASSES)
        else:
            names = [str(lab) for lab in labels]
    else:
        names = [str(name) for name in target_names]
        if len(names) != len(labels):
            raise ValueError(
                f"target_names must name each of the {len(labels)} labels; got "
                f"{len(names)} names: {names}."
            )
    if len(set(names)) != len(names):
        raise ValueError(f"target_names must be distinct; got {names}.")
    return labels, names


def _check_class_targets(y_true, y_pred, labels):
    """Validate two 1-D label vectors against ``labels``.

    Raises ``ValueError`` naming the values found in ``y_true``/``y_pred``
    that ``labels`` does not list.
    """
    y_true = column_or_1d(y_true, warn=True)
    y_pred = column_or_1d(y_pred, warn=True)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            "y_true and y_pred must have the same length; got "
            f"{y_true.shape[0]} and {y_pred.shape[0]} samples."
        )
    check_consistent_length(y_true, y_pred)
    if y_true.shape[0] == 0:
        raise ValueError("y_true and y_pred are empty; at least one sample is needed.")
    present = unique_labels(y_true, y_pred)
    unknown = [lab for lab in present.tolist() if lab not in set(labels)]
    if unknown:
        raise ValueError(
            f"y_true/y_pred hold labels {unknown} that are not in labels={labels}. "
            "Map them to one of the listed classes, or pass labels= listing every class."
        )
    return y_true, y_pred


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "labels": ["array-like"],
        "target_names": ["array-like", None],
        "digits": [Interval(Integral, 0, None, closed="left")],
        "output_dict": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def aami_report(
    y_true,
    y_pred,
    *,
    labels=AAMI_CLASSES,
    target_names=None,
    digits=3,
    output_dict=False,
):
    """Build a text report or dict of the AAMI per-class heartbeat metrics.

    For every class (one-vs-rest) the report gives sensitivity
    (``Se``, recall), positive predictivity (``+P``, precision), specificity,
    F1 and support, then the overall accuracy and the macro F1 over every
    class but Q, the AAMI EC57 convention (Q, unclassifiable beats, is too rare
    and too heterogeneous to weigh like the others).  Divisions by zero give
    0.0 and raise no warning; a macro F1 over no class (``labels`` holding
    only Q) is 0.0 with an ``UndefinedMetricWarning``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True beat classes.
    y_pred : array-like of shape (n_samples,)
        Predicted beat classes.
    labels : sequence, default=("N", "S", "V", "F", "Q")
        The class values as they appear in ``y_true``/``y_pred``, in report
        order.  Integer encodings work too, e.g. ``labels=[0, 1, 2, 3, 4]``
        for N, S, V, F, Q.  A value of ``y_true`` or ``y_pred`` missing from
        ``labels`` raises ``ValueError``.
    target_names : sequence of str, default=None
        Names shown in the report and used as keys of ``per_class``.  By
        default the AAMI letters N, S, V, F, Q when ``labels`` holds five
        non-string values (so ``labels[i]`` is the ``i``-th AAMI class), else
        ``str(label)``.  The class named ``"Q"`` is left out of the macro F1.
    digits : int, default=3
        Number of digits shown in the text report.
    output_dict : bool, default=False
        Return a dictionary instead of a string.

    Returns
    -------
    report : str or dict
        A table when ``output_dict=False``; otherwise::

            {"accuracy": float, "macro_f1": float,
             "per_class": {"N": {"se": float, "ppv": float, "specificity": float,
                                 "f1": float, "support": int}, ...}}

        holding plain Python numbers, ready for :func:`json.dump`.

    See Also
    --------
    sklearn.metrics.classification_report : The generic report this follows.
    aami_confusion_matrix_display : The confusion matrix in AAMI order.

    Examples
    --------
    >>> from sklearn_ecg.metrics import aami_report
    >>> y_true = ["N", "N", "N", "S", "V", "V", "F", "Q"]
    >>> y_pred = ["N", "N", "S", "S", "V", "N", "F", "Q"]
    >>> report = aami_report(y_true, y_pred, output_dict=True)
    >>> report["accuracy"]
    0.75
    >>> report["per_class"]["V"]["se"], report["per_class"]["V"]["support"]
    (0.5, 2)
    >>> print(aami_report(y_true, y_pred, digits=2))
                             Se    +P    Sp    F1   support
    <BLANKLINE>
                        N  0.67  0.67  0.80  0.67         3
                        S  1.00  0.50  0.86  0.67         1
                        V  0.50  1.00  1.00  0.67         2
                        F  1.00  1.00  1.00  1.00         1
                        Q  1.00  1.00  1.00  1.00         1
    <BLANKLINE>
                 accuracy                    0.75         8
    macro F1 (N, S, V, F)                    0.75         8
    <BLANKLINE>
    """
    labels, names = _check_labels_and_names(labels, target_names)
    y_true, y_pred = _check_class_targets(y_true, y_pred, labels)
    if (
        not isinstance(digits, (int, np.integer))
        or isinstance(digits, bool)
        or digits < 0
    ):
        raise ValueError(f"digits must be a non-negative int; got {digits!r}.")

    cm = confusion_matrix(y_true, y_pred, labels=labels)
    ppv, se, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0.0
    )
    n_samples = cm.sum()
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    tn = n_samples - tp - fp - fn
    negatives = tn + fp
    specificity = np.divide(
        tn, negatives, out=np.zeros(len(labels)), where=negatives > 0
    )
    accuracy = float(tp.sum() / n_samples)
    in_macro = [i for i, name in enumerate(names) if name != "Q"]
    if in_macro:
        macro_f1 = float(np.mean(f1[in_macro]))
    else:
        # as scikit-learn's zero_division: an undefined score is 0.0, with a warning
        macro_f1 = 0.0
        warnings.warn(
            "The macro F1 leaves out Q, and labels holds no other class; it is undefined "
            "and reported as 0.0.",
            UndefinedMetricWarning,
            stacklevel=2,
        )

    per_class = {
        name: {
            "se": float(se[i]),
            "ppv": float(ppv[i]),
            "specificity": float(specificity[i]),
            "f1": float(f1[i]),
            "support": int(support[i]),
        }
        for i, name in enumerate(names)
    }
    if output_dict:
        return {"accuracy": accuracy, "macro_f1": macro_f1, "per_class": per_class}

    macro_name = f"macro F1 ({', '.join(names[i] for i in in_macro)})"
    width = max(len(macro_name), max(len(name) for name in names))
    col = max(digits + 3, 5)
    header = f"{'':>{width}}" + "".join(
        f" {h:>{col}}" for h in ("Se", "+P", "Sp", "F1")
    )
    header += f" {'support':>9}"
    rows = [header, ""]
    for name, stats in per_class.items():
        values = (stats["se"], stats["ppv"], stats["specificity"], stats["f1"])
        row = f"{name:>{width}}" + "".join(f" {v:>{col}.{digits}f}" for v in values)
        rows.append(row + f" {stats['support']:>9}")
    rows.append("")
    blank = " " * (3 * (col + 1))
    rows.append(
        f"{'accuracy':>{width}}{blank} {accuracy:>{col}.{digits}f} {n_samples:>9}"
    )
    rows.append(
        f"{macro_name:>{width}}{blank} {macro_f1:>{col}.{digits}f} {n_samples:>9}"
    )
    return "\n".join(rows) + "\n"
