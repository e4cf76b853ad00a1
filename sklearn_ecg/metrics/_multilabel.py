"""Scores for multilabel record classification (PTB-XL, PhysioNet/CinC 2020/2021).

``y_true`` is an indicator matrix ``(n_records, n_labels)`` of 0/1, ``y_score``
a matrix of the same shape (probabilities or any monotone score).  A record is
called positive for a label when its score is at least the label's threshold,
the convention of :func:`sklearn.metrics.roc_curve`.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve
from sklearn.utils import check_array

from ..utils._sklearn_compat import Interval, StrOptions, validate_params


def _check_multilabel(y_true, y_score, *, true_name="y_true", score_name="y_score"):
    """Return ``y_true`` as a 0/1 int matrix and ``y_score`` as float64, same shape."""
    y_true = check_array(y_true, dtype=None, input_name=true_name)
    y_score = check_array(y_score, dtype=np.float64, input_name=score_name)
    if y_true.shape != y_score.shape:
        raise ValueError(
            f"{true_name} and {score_name} must have the same shape (n_samples, n_labels); "
            f"got {y_true.shape} and {y_score.shape}."
        )
    values = np.unique(y_true)
    if not np.isin(values, [0, 1]).all():
        raise ValueError(
            f"{true_name} must be a multilabel indicator matrix of 0/1; got values "
            f"{values[:10].tolist()}. Use sklearn.preprocessing.MultiLabelBinarizer "
            "to build one from label sets."
        )
    return y_true.astype(np.int8), y_score


def _one_class_labels(y_true):
    """Indices of the columns of ``y_true`` that hold a single class."""
    n_pos = y_true.sum(axis=0)
    return np.flatnonzero((n_pos == 0) | (n_pos == y_true.shape[0]))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "average": [StrOptions({"macro", "weighted", "micro"}), None],
    },
    prefer_skip_nested_validation=True,
)
def multilabel_auroc(y_true, y_score, *, average="macro"):
    """Area under the ROC curve of each label of a multilabel problem.

    Labels whose column of ``y_true`` holds one class only have no ROC curve:
    they are reported as NaN per label and left out of the ``"macro"`` and
    ``"weighted"`` averages, with one ``UserWarning`` naming them.  This is
    what makes the PTB-XL macro AUROC computable on folds where a rare
    statement does not occur.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        Indicator matrix of the true labels.
    y_score : array-like of shape (n_samples, n_labels)
        Scores, e.g. ``predict_proba`` of a multilabel classifier.
    average : {"macro", "weighted", "micro"} or None, default="macro"
        ``"macro"``: unweighted mean over the labels that have both classes;
        ``"weighted"``: mean weighted by the number of positives;
        ``"micro"``: one curve over all (sample, label) pairs;
        ``None``: the per-label scores.

    Returns
    -------
    auroc : float or ndarray of shape (n_labels,)
        The averaged AUROC, or the per-label AUROC (NaN where undefined) when
        ``average=None``.

    See Also
    --------
    sklearn.metrics.roc_auc_score : The score computed for each label.
    plot_per_class_roc : The ROC curves behind these numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import multilabel_auroc
    >>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> y_score = np.array([[0.9, 0.2], [0.3, 0.4], [0.8, 0.3], [0.1, 0.6]])
    >>> multilabel_auroc(y_true, y_score, average=None)
    array([1. , 0.5])
    >>> multilabel_auroc(y_true, y_score)
    0.75
    """
    allowed = ("macro", "weighted", "micro", None)
    if average not in allowed:
        raise ValueError(f"average must be one of {allowed}; got {average!r}.")
    y_true, y_score = _check_multilabel(y_true, y_score)
    if average == "micro":
        return float(roc_auc_score(y_true, y_score, average="micro"))

    n_labels = y_true.shape[1]
    skipped = _one_class_labels(y_true)
    valid = np.setdiff1d(np.arange(n_labels), skipped)
    if valid.size == 0:
        raise ValueError(
            "No column of y_true holds both classes, so no AUROC is defined; "
            f"got y_true of shape {y_true.shape}."
        )
    if skipped.size:
        warnings.warn(
            f"Labels {skipped.tolist()} hold a single class in y_true; their AUROC is "
            "undefined (NaN) and they are left out of the average.",
            UserWarning,
            stacklevel=2,
        )
    per_label = np.full(n_labels, np.nan)
    per_label[valid] = roc_auc_score(y_true[:, valid], y_score[:, valid], average=None)
    if average is None:
        return per_label
    weights = y_true[:, valid].sum(axis=0) if average == "weighted" else None
    return float(np.average(per_label[valid], weights=weights))


def _youden_threshold(y, s):
    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    return thresholds[np.argmax(tpr - fpr)]


def _f1_threshold(y, s):
    precision, recall, thresholds = precision_recall_curve(y, s)
    precision, recall = precision[:-1], recall[:-1]
    denom = precision + recall
    f1 = np.divide(
        2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0
    )
    return thresholds[np.argmax(f1)]


_THRESHOLD_METHODS = {"youden": _youden_threshold, "f1": _f1_threshold}


@validate_params(
    {
        "y_true_val": ["array-like"],
        "y_score_val": ["array-like"],
        "method": [StrOptions(set(_THRESHOLD_METHODS))],
    },
    prefer_skip_nested_validation=True,
)
def select_thresholds(y_true_val, y_score_val, *, method="youden"):
    """Choose one decision threshold per label on a validation set.

    Parameters
    ----------
    y_true_val : array-like of shape (n_samples, n_labels)
        Indicator matrix of the validation labels (e.g. PTB-XL fold 9).
    y_score_val : array-like of shape (n_samples, n_labels)
        Validation scores.
    method : {"youden", "f1"}, default="youden"
        ``"youden"`` maximises Youden's J = sensitivity + specificity - 1 on
        the ROC curve; ``"f1"`` maximises the label's F1 on the
        precision-recall curve.  Ties go to the highest threshold.

    Returns
    -------
    thresholds : ndarray of shape (n_labels,)
        A score is called positive when it is ``>= thresholds[j]``.  Each
        threshold is one of the validation scores.  A label with no positive
        validation sample gets a threshold just above its highest score
        (nothing called positive), one with no negative sample its lowest
        score (everything called positive); both cases raise one
        ``UserWarning``.

    See Also
    --------
    sensitivity_specificity : Evaluate the thresholds on the test set.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import select_thresholds
    >>> y_val = np.array([[0, 1], [0, 0], [1, 1], [1, 0]])
    >>> s_val = np.array([[0.1, 0.7], [0.4, 0.2], [0.6, 0.9], [0.8, 0.6]])
    >>> select_thresholds(y_val, s_val)
    array([0.6, 0.7])
    """
    if method not in _THRESHOLD_METHODS:
        raise ValueError(
            f"method must be one of {sorted(_THRESHOLD_METHODS)}; got {method!r}."
        )
    y_true, y_score = _check_multilabel(
        y_true_val, y_score_val, true_name="y_true_val", score_name="y_score_val"
    )
    choose = _THRESHOLD_METHODS[method]
    n_pos = y_true.sum(axis=0)
    thresholds = np.empty(y_true.shape[1])
    for j in range(y_true.shape[1]):
        if n_pos[j] == 0:
            thresholds[j] = np.nextafter(y_score[:, j].max(), np.inf)
        elif n_pos[j] == y_true.shape[0]:
            thresholds[j] = y_score[:, j].min()
        else:
            thresholds[j] = choose(y_true[:, j], y_score[:, j])
    # roc_curve starts at +inf ("call nothing positive"); keep thresholds finite.
    top = np.nextafter(y_score.max(axis=0), np.inf)
    thresholds = np.where(np.isinf(thresholds), top, thresholds)
    skipped = _one_class_labels(y_true)
    if skipped.size:
        warnings.warn(
            f"Labels {skipped.tolist()} hold a single class in y_true_val; their "
            "threshold calls every sample like that class.",
            UserWarning,
            stacklevel=2,
        )
    return thresholds


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "thresholds": [Real, "array-like"],
    },
    prefer_skip_nested_validation=True,
)
def sensitivity_specificity(y_true, y_score, thresholds):
    """Per-label sensitivity and specificity at given thresholds.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        Indicator matrix of the true labels.
    y_score : array-like of shape (n_samples, n_labels)
        Scores.
    thresholds : float or array-like of shape (n_labels,)
        A score is called positive when it is ``>= threshold``, e.g. the
        output of :func:`select_thresholds`.

    Returns
    -------
    sensitivity : ndarray of shape (n_labels,)
        TP / (TP + FN); NaN for a label with no positive sample.
    specificity : ndarray of shape (n_labels,)
        TN / (TN + FP); NaN for a label with no negative sample.

    See Also
    --------
    select_thresholds : Choose the thresholds on a validation set.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import sensitivity_specificity
    >>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> y_score = np.array([[0.9, 0.2], [0.3, 0.4], [0.8, 0.3], [0.6, 0.6]])
    >>> se, sp = sensitivity_specificity(y_true, y_score, [0.5, 0.35])
    >>> se, sp
    (array([1. , 0.5]), array([0.5, 0.5]))
    """
    y_true, y_score = _check_multilabel(y_true, y_score)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    if not np.isfinite(thresholds).all():
        raise ValueError(
            f"thresholds must be finite numbers; got {thresholds.tolist()!r}."
        )
    if thresholds.ndim > 1 or (
        thresholds.ndim == 1 and thresholds.shape[0] != y_true.shape[1]
    ):
        raise ValueError(
            f"thresholds must be a float or hold one value per label ({y_true.shape[1]}); "
            f"got shape {thresholds.shape}."
        )
    predicted = y_score >= thresholds
    actual = y_true.astype(bool)
    tp = (predicted & actual).sum(axis=0)
    fn = (~predicted & actual).sum(axis=0)
    tn = (~predicted & ~actual).sum(axis=0)
    fp = (predicted & ~actual).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sensitivity = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        specificity = np.where(tn + fp > 0, tn / (tn + fp), np.nan)
    return sensitivity, specificity


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "thresholds": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "return_threshold": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def fmax_score(y_true, y_score, *, thresholds=101, return_threshold=False):
    """Protein-centric maximum F-measure (Fmax) of a multilabel prediction.

    The CAFA measure used in the PTB-XL benchmark (Strodthoff et al. 2020).
    At each threshold ``t`` a sample's predicted labels are those scoring
    ``>= t``; precision is averaged over the samples with at least one
    predicted label, recall over the samples with at least one true label;
    Fmax is the largest harmonic mean of the two over the thresholds.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        Indicator matrix of the true labels.
    y_score : array-like of shape (n_samples, n_labels)
        Scores.
    thresholds : int or array-like of float, default=101
        The thresholds tried: an int ``k`` gives ``k`` values evenly spaced
        from the lowest to the highest score; an array gives them directly.
    return_threshold : bool, default=False
        Also return the threshold reaching Fmax.

    Returns
    -------
    fmax : float
        The maximum F-measure, in [0, 1].
    threshold : float
        The threshold reaching it (only when ``return_threshold=True``).

    See Also
    --------
    multilabel_auroc : The threshold-free score.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.metrics import fmax_score
    >>> y_true = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 1]])
    >>> fmax_score(y_true, y_true.astype(float))
    1.0
    >>> fmax_score(y_true, np.full((3, 3), 0.5)) < 1.0
    True
    """
    y_true, y_score = _check_multilabel(y_true, y_score)
    if isinstance(thresholds, Integral) and not isinstance(thresholds, bool):
        if thresholds < 1:
            raise ValueError(
                f"thresholds must be a positive int or an array; got {thresholds}."
            )
        grid = np.linspace(y_score.min(), y_score.max(), int(thresholds))
    else:
        grid = np.asarray(thresholds, dtype=np.float64).ravel()
        if grid.size == 0 or not np.isfinite(grid).all():
            raise ValueError(
                "thresholds must be a positive int or a non-empty array of finite "
                f"floats; got {thresholds!r}."
            )
    actual = y_true.astype(bool)
    n_true = actual.sum(axis=1)
    annotated = n_true > 0
    if not annotated.any():
        raise ValueError(
            "y_true has no positive label in any sample; Fmax is undefined."
        )

    best_f, best_t = 0.0, float(grid[0])
    # One pass per threshold keeps memory at O(n_samples * n_labels).
    for t in grid:
        predicted = y_score >= t
        n_pred = predicted.sum(axis=1)
        tp = (predicted & actual).sum(axis=1)
        covered = n_pred > 0
        if not covered.any():
            continue
        precision = np.mean(tp[covered] / n_pred[covered])
        recall = np.mean(tp[annotated] / n_true[annotated])
        if precision + recall > 0:
            f = 2 * precision * recall / (precision + recall)
            if f > best_f:
                best_f, best_t = float(f), float(t)
    if return_threshold:
        return best_f, best_t
    return best_f
