"""Beat-by-beat comparison of two annotation sets (ANSI/AAMI EC57, PhysioNet ``bxb``).

A test annotation (a detector/classifier's output) is compared with the
reference annotation of the same record: beats are paired when they lie
within a match window (150 ms), every pair counts in the AAMI class confusion
matrix, an unpaired reference beat is a missed beat and an unpaired test beat
an extra detection.  QRS detection, ventricular (VEB) and supraventricular
(SVEB) ectopic beat statistics follow from that matrix with the formulas of
EC57 as PhysioNet's ``bxb`` computes them.
"""

import os
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

from ..datasets import AAMI_CLASSES, AAMI_SYMBOL_MAP, read_wfdb_annotation
from ..utils._sklearn_compat import Interval, validate_params

_SECONDS = {
    "window": [Interval(Real, 0, None, closed="neither")],
    "start": [Interval(Real, 0, None, closed="left")],
    "end": [Interval(Real, 0, None, closed="neither"), None],
}

__all__ = [
    "EC57_LABELS",
    "compare_annotation_files",
    "compare_annotations",
    "ec57_gross",
    "ec57_report",
]

#: Rows (reference) and columns (test) of the EC57 confusion matrix: the AAMI
#: classes, then ``"-"`` for "no matching beat" (a missed reference beat in
#: the last column, an extra test beat in the last row).
EC57_LABELS = (*AAMI_CLASSES, "-")

_N, _S, _V, _F, _Q = (AAMI_CLASSES.index(c) for c in "NSVFQ")
_NONE = len(AAMI_CLASSES)


def _check_annotation(sample, symbol, name):
    """Sample indices (int64) and symbols (str) of one annotation set, checked."""
    sample = np.asarray(sample)
    symbol = np.asarray(symbol)
    if sample.ndim != 1 or symbol.ndim != 1:
        raise ValueError(
            f"{name}_sample and {name}_symbol must be 1-D sequences; got shapes {sample.shape} and "
            f"{symbol.shape}."
        )
    if sample.shape != symbol.shape:
        raise ValueError(
            f"{name}_sample and {name}_symbol must have the same length (one symbol per annotation); "
            f"got {sample.size} samples and {symbol.size} symbols."
        )
    whole = np.issubdtype(sample.dtype, np.integer) or (
        np.issubdtype(sample.dtype, np.floating)
        and np.all(np.isfinite(sample))
        and np.all(sample == np.round(sample))
    )
    if sample.size and not whole:
        raise ValueError(
            f"{name}_sample must hold integer sample indices; got values of dtype {sample.dtype} "
            f"such as {sample[:3].tolist()}."
        )
    sample = sample.astype(np.int64)
    if sample.size and sample.min() < 0:
        raise ValueError(
            f"{name}_sample must be non-negative sample indices; got {sample.min()}."
        )
    symbol = symbol.astype(str)
    # Non-beat annotations (rhythm changes, noise, comments) are not compared.
    is_beat = np.isin(symbol, list(AAMI_SYMBOL_MAP))
    sample, symbol = sample[is_beat], symbol[is_beat]
    order = np.argsort(sample, kind="stable")
    lookup = np.array(list(AAMI_SYMBOL_MAP))
    codes = np.array([AAMI_CLASSES.index(c) for c in AAMI_SYMBOL_MAP.values()])
    sort = np.argsort(lookup)
    code = codes[sort][np.searchsorted(lookup[sort], symbol[order])]
    return sample[order], code


def _nearest(points, sorted_targets):
    """Index of the nearest entry of ``sorted_targets`` for every point (ties: the earlier)."""
    n = sorted_targets.size
    right = np.searchsorted(sorted_targets, points)
    lo = np.clip(right - 1, 0, n - 1)
    hi = np.clip(right, 0, n - 1)
    take_hi = np.abs(sorted_targets[hi] - points) < np.abs(points - sorted_targets[lo])
    return np.where(take_hi, hi, lo)


def _match_beats(ref, test, tolerance):
    """Pair sorted reference and test beat times one to one, nearest pairs first.

    Reference and test beats that are each other's nearest neighbour within
    ``tolerance`` samples are paired and set aside; the remaining beats are
    matched the same way until no pair is left.  Returns the indices of the
    paired reference and test beats.
    """
    ref_left, test_left = np.arange(ref.size), np.arange(test.size)
    ref_pairs, test_pairs = [], []
    while ref_left.size and test_left.size:
        r, t = ref[ref_left], test[test_left]
        to_test = _nearest(r, t)
        to_ref = _nearest(t, r)
        mutual = (to_ref[to_test] == np.arange(r.size)) & (
            np.abs(t[to_test] - r) <= tolerance
        )
        if not mutual.any():
            break
        ref_pairs.append(ref_left[mutual])
        test_pairs.append(test_left[to_test[mutual]])
        keep_test = np.ones(t.size, dtype=bool)
        keep_test[to_test[mutual]] = False
        ref_left, test_left = ref_left[~mutual], test_left[keep_test]
    if not ref_pairs:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(ref_pairs), np.concatenate(test_pairs)


def _ratio(num, den):
    return float(num / den) if den > 0 else None


def _statistics(cm):
    """EC57 QRS, VEB and SVEB statistics from a 6 x 6 confusion matrix (bxb's formulas)."""
    cm = np.asarray(cm, dtype=np.int64)
    qrs_tp = int(cm[:_NONE, :_NONE].sum())
    qrs_fn = int(cm[:_NONE, _NONE].sum())
    qrs_fp = int(cm[_NONE, :_NONE].sum())
    # VEB: fusion and unclassifiable reference beats called V are not false positives.
    veb_tp = int(cm[_V, _V])
    veb_fn = int(cm[_V].sum() - veb_tp)
    veb_fp = int(cm[_N, _V] + cm[_S, _V] + cm[_NONE, _V])
    not_v = [_N, _S, _F, _Q]
    veb_tn = int(cm[np.ix_([_N, _S, _F, _Q, _NONE], not_v)].sum())
    # SVEB: unclassifiable reference beats called S are not false positives.
    sveb_tp = int(cm[_S, _S])
    sveb_fn = int(cm[_S].sum() - sveb_tp)
    sveb_fp = int(cm[_N, _S] + cm[_V, _S] + cm[_F, _S] + cm[_NONE, _S])
    return {
        "n_reference": int(cm[:_NONE].sum()),
        "n_test": int(cm[:, :_NONE].sum()),
        "labels": list(EC57_LABELS),
        "confusion_matrix": cm.tolist(),
        "qrs": {
            "tp": qrs_tp,
            "fn": qrs_fn,
            "fp": qrs_fp,
            "se": _ratio(qrs_tp, qrs_tp + qrs_fn),
            "ppv": _ratio(qrs_tp, qrs_tp + qrs_fp),
        },
        "veb": {
            "tp": veb_tp,
            "fn": veb_fn,
            "fp": veb_fp,
            "se": _ratio(veb_tp, veb_tp + veb_fn),
            "ppv": _ratio(veb_tp, veb_tp + veb_fp),
            "fpr": _ratio(veb_fp, veb_tn + veb_fp),
        },
        "sveb": {
            "tp": sveb_tp,
            "fn": sveb_fn,
            "fp": sveb_fp,
            "se": _ratio(sveb_tp, sveb_tp + sveb_fn),
            "ppv": _ratio(sveb_tp, sveb_tp + sveb_fp),
        },
    }


def _check_seconds(value, name, *, positive):
    if (
        not isinstance(value, Real)
        or isinstance(value, bool)
        or not np.isfinite(value)
        or (value <= 0 if positive else value < 0)
    ):
        kind = "a positive" if positive else "a non-negative"
        raise ValueError(f"{name} must be {kind} number; got {value!r}.")


@validate_params(
    {
        "ref_sample": ["array-like"],
        "ref_symbol": ["array-like"],
        "test_sample": ["array-like"],
        "test_symbol": ["array-like"],
        "fs": [Interval(Real, 0, None, closed="neither")],
        **_SECONDS,
    },
    prefer_skip_nested_validation=True,
)
def compare_annotations(
    ref_sample,
    ref_symbol,
    test_sample,
    test_symbol,
    fs,
    *,
    window=0.15,
    start=0.0,
    end=None,
):
    """Compare a test beat annotation with the reference, beat by beat (EC57, ``bxb``).

    Only beat annotations are compared: symbols are mapped to the AAMI
    classes N, S, V, F, Q with :data:`sklearn_ecg.datasets.AAMI_SYMBOL_MAP`
    (so a test annotation may use MIT-BIH symbols such as ``A`` or the AAMI
    letters themselves) and every other symbol (rhythm changes, noise, ...)
    is ignored.  A reference and a test beat are paired when they are each
    other's nearest beat and at most ``window`` seconds apart; pairs are
    taken nearest first, so each beat is paired at most once.  The counts
    follow PhysioNet's ``bxb``:

    - QRS detection: TP = paired beats, FN = unpaired reference beats,
      FP = unpaired test beats;
    - VEB (V): TP = V called V; FN = V beats called anything else or missed;
      FP = N or S beats called V and extra V detections (F and Q reference
      beats called V are not counted); FPR = FP / (FP + TN);
    - SVEB (S): TP = S called S; FN = S beats called anything else or missed;
      FP = N, V or F beats called S and extra S detections.

    Parameters
    ----------
    ref_sample, ref_symbol : array-like of shape (n_reference,)
        Sample indices and symbols of the reference annotation.
    test_sample, test_symbol : array-like of shape (n_test,)
        Sample indices and symbols of the annotation under test.
    fs : float
        Sampling frequency of the sample indices, in Hz.
    window : float, default=0.15
        Match window in seconds: paired beats are at most this far apart
        (``floor(window * fs)`` samples, 54 at 360 Hz as in ``bxb``).
    start : float, default=0.0
        Seconds at the start of the record left out of the statistics.
        ``bxb`` leaves out the first 300 s (a learning period for adaptive
        detectors); pass ``start=300`` to compare with its figures.
    end : float, default=None
        Seconds after which beats are left out; None compares to the end.

    Returns
    -------
    result : dict
        Plain Python numbers, ready for :func:`json.dump`::

            {"n_reference": int, "n_test": int,
             "labels": ["N", "S", "V", "F", "Q", "-"],
             "confusion_matrix": 6 x 6 list (rows reference, columns test,
                                  "-" = no matching beat),
             "qrs": {"tp", "fn", "fp", "se", "ppv"},
             "veb": {"tp", "fn", "fp", "se", "ppv", "fpr"},
             "sveb": {"tp", "fn", "fp", "se", "ppv"}}

        A ratio with a zero denominator is None.

    See Also
    --------
    compare_annotation_files : The same comparison from WFDB annotation files.
    ec57_gross : Gross statistics over several records.
    ec57_report : The per-record and gross table.

    Examples
    --------
    >>> from sklearn_ecg.metrics import compare_annotations
    >>> ref = compare_annotations([100, 400, 700, 1000], ["N", "N", "V", "N"],
    ...                           [110, 395, 705, 1300], ["N", "A", "V", "N"], fs=360)
    >>> ref["qrs"]
    {'tp': 3, 'fn': 1, 'fp': 1, 'se': 0.75, 'ppv': 0.75}
    >>> ref["veb"]["se"], ref["sveb"]["fp"]
    (1.0, 1)
    """
    ref_sample, ref_code = _check_annotation(ref_sample, ref_symbol, "ref")
    test_sample, test_code = _check_annotation(test_sample, test_symbol, "test")
    _check_seconds(fs, "fs", positive=True)
    _check_seconds(window, "window", positive=True)
    _check_seconds(start, "start", positive=False)
    if end is not None:
        _check_seconds(end, "end", positive=True)
        if end <= start:
            raise ValueError(f"end={end} s must come after start={start} s.")
    tolerance = int(np.floor(window * fs + 1e-9))
    ref_idx, test_idx = _match_beats(ref_sample, test_sample, tolerance)

    lo = start * fs
    hi = np.inf if end is None else end * fs

    def inside(sample):
        return (sample >= lo) & (sample < hi)

    ref_paired = np.zeros(ref_sample.size, dtype=bool)
    ref_paired[ref_idx] = True
    test_paired = np.zeros(test_sample.size, dtype=bool)
    test_paired[test_idx] = True
    # A pair counts when its reference beat lies in the compared stretch.
    counted = inside(ref_sample[ref_idx])
    rows = np.concatenate(
        [
            ref_code[ref_idx[counted]],
            ref_code[~ref_paired & inside(ref_sample)],
            np.full(np.count_nonzero(~test_paired & inside(test_sample)), _NONE),
        ]
    )
    cols = np.concatenate(
        [
            test_code[test_idx[counted]],
            np.full(np.count_nonzero(~ref_paired & inside(ref_sample)), _NONE),
            test_code[~test_paired & inside(test_sample)],
        ]
    )
    size = len(EC57_LABELS)
    cm = np.bincount(rows * size + cols, minlength=size * size).reshape(size, size)
    return _statistics(cm)


@validate_params(
    {"results": [dict, Iterable]},
    prefer_skip_nested_validation=True,
)
def ec57_gross(results):
    """Gross statistics: the records' confusion matrices summed, then the ratios.

    Parameters
    ----------
    results : iterable of dict, or dict of record name -> dict
        Results of :func:`compare_annotations` or
        :func:`compare_annotation_files`.

    Returns
    -------
    gross : dict
        Laid out like each result.

    Examples
    --------
    >>> from sklearn_ecg.metrics import compare_annotations, ec57_gross
    >>> a = compare_annotations([100, 400], ["N", "V"], [100, 400], ["N", "V"], fs=360)
    >>> b = compare_annotations([100, 400], ["N", "V"], [100], ["N"], fs=360)
    >>> ec57_gross([a, b])["veb"]["se"]
    0.5
    """
    if isinstance(results, dict):
        results = list(results.values())
    results = list(results)
    if not results:
        raise ValueError("results is empty; give at least one comparison result.")
    size = len(EC57_LABELS)
    cm = np.zeros((size, size), dtype=np.int64)
    for result in results:
        try:
            matrix = np.asarray(result["confusion_matrix"], dtype=np.int64)
        except (TypeError, KeyError):
            raise TypeError(
                "results must hold the dicts returned by compare_annotations; got an item of type "
                f"{type(result).__name__}."
            ) from None
        if matrix.shape != (size, size):
            raise ValueError(
                f"a result's confusion_matrix has shape {matrix.shape}; expected {(size, size)}."
            )
        cm += matrix
    return _statistics(cm)


def _format_ratio(value, digits):
    return "-" if value is None else f"{100 * value:.{digits}f}"


@validate_params(
    {
        "results": [dict, Iterable],
        "digits": [Interval(Integral, 0, None, closed="left")],
        "output_dict": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def ec57_report(results, *, digits=2, output_dict=False):
    """The EC57 table: one line per record, the gross line and the gross confusion matrix.

    Sensitivities (Se), positive predictivities (+P) and the VEB false
    positive rate (FPR) are printed in percent, as ``bxb`` and ``sumstats``
    do; ``-`` marks a ratio with a zero denominator.

    Parameters
    ----------
    results : dict of record name -> dict
        Results of :func:`compare_annotations` or
        :func:`compare_annotation_files`, in the order to print.
    digits : int, default=2
        Digits after the decimal point in the text table.
    output_dict : bool, default=False
        Return ``{"records": results, "gross": ec57_gross(results)}`` (plain
        Python numbers, ready for :func:`json.dump`) instead of the text.

    Returns
    -------
    report : str or dict

    Examples
    --------
    >>> from sklearn_ecg.metrics import compare_annotations, ec57_report
    >>> result = compare_annotations([100, 400, 700], ["N", "V", "N"],
    ...                              [100, 400, 700], ["N", "V", "A"], fs=360)
    >>> print(ec57_report({"r1": result}))  # doctest: +NORMALIZE_WHITESPACE
    record  beats   QRS Se   QRS +P   VEB Se   VEB +P  VEB FPR  SVEB Se  SVEB +P
    r1          3   100.00   100.00   100.00   100.00     0.00        -     0.00
    gross       3   100.00   100.00   100.00   100.00     0.00        -     0.00
    <BLANKLINE>
    Gross confusion matrix (rows: reference, columns: test; - = no matching beat)
              n      s      v      f      q      -
    N         1      1      0      0      0      0
    S         0      0      0      0      0      0
    V         0      0      1      0      0      0
    F         0      0      0      0      0      0
    Q         0      0      0      0      0      0
    -         0      0      0      0      0
    <BLANKLINE>
    """
    if not isinstance(results, dict) or not results:
        raise ValueError(
            "results must be a non-empty dict of record name -> compare_annotations result; "
            f"got {type(results).__name__}{'' if results else ' (empty)'}."
        )
    if (
        not isinstance(digits, (int, np.integer))
        or isinstance(digits, bool)
        or digits < 0
    ):
        raise ValueError(f"digits must be a non-negative int; got {digits!r}.")
    gross = ec57_gross(results)
    if output_dict:
        return {"records": {str(k): v for k, v in results.items()}, "gross": gross}
    names = [str(name) for name in results] + ["gross"]
    width = max(6, *(len(n) for n in names))
    col = max(digits + 5, 7)
    heads = ("QRS Se", "QRS +P", "VEB Se", "VEB +P", "VEB FPR", "SVEB Se", "SVEB +P")
    lines = [
        f"{'record':<{width}} {'beats':>6}" + "".join(f" {h:>{col + 1}}" for h in heads)
    ]
    for name, result in zip(names, [*results.values(), gross]):
        values = (
            result["qrs"]["se"],
            result["qrs"]["ppv"],
            result["veb"]["se"],
            result["veb"]["ppv"],
            result["veb"]["fpr"],
            result["sveb"]["se"],
            result["sveb"]["ppv"],
        )
        lines.append(
            f"{name:<{width}} {result['n_reference']:>6}"
            + "".join(f" {_format_ratio(v, digits):>{col + 1}}" for v in values)
        )
    lines += [
        "",
        "Gross confusion matrix (rows: reference, columns: test; - = no matching beat)",
    ]
    lines.append(f"{'':<4}" + "".join(f" {label.lower():>6}" for label in EC57_LABELS))
    for label, row in zip(EC57_LABELS, gross["confusion_matrix"]):
        cells = row[:-1] if label == "-" else row
        lines.append(f"{label:<4}" + "".join(f" {v:>6}" for v in cells))
    return "\n".join(lines) + "\n"


@validate_params(
    {
        "record": [str, os.PathLike],
        "reference": [str],
        "test": [str],
        **_SECONDS,
    },
    prefer_skip_nested_validation=True,
)
def compare_annotation_files(
    record, *, reference="atr", test, window=0.15, start=0.0, end=None
):
    """Compare two WFDB annotation files of a record, beat by beat (EC57, ``bxb``).

    Reads ``record.<reference>`` and ``record.<test>`` with
    :func:`~sklearn_ecg.datasets.read_wfdb_annotation` and runs
    :func:`compare_annotations` on them, at the sampling frequency of the
    record.

    Parameters
    ----------
    record : str or path-like
        WFDB record path without extension (``.../mitdb/100``).
    reference : str, default="atr"
        Extension of the reference annotation file.
    test : str
        Extension of the annotation file under test (e.g. written by
        ``python -m sklearn_ecg annotate``).
    window, start, end : float
        As in :func:`compare_annotations`.

    Returns
    -------
    result : dict
        As :func:`compare_annotations`.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import wfdb
    >>> from sklearn_ecg.metrics import compare_annotation_files
    >>> folder = tempfile.mkdtemp()
    >>> for ext, symbols in (("atr", ["N", "V", "N"]), ("test", ["N", "V", "A"])):
    ...     wfdb.wrann("rec", ext, np.array([100, 400, 700]), symbols, fs=360, write_dir=folder)
    >>> compare_annotation_files(f"{folder}/rec", test="test")["sveb"]["fp"]
    1
    """
    ref = read_wfdb_annotation(record, reference)
    tst = read_wfdb_annotation(record, test)
    fs, test_fs = ref.fs, tst.fs
    if test_fs != fs:
        raise ValueError(
            f"{str(record)!r}.{test} is at {test_fs} Hz but {str(record)!r}.{reference} is at {fs} Hz; "
            "annotations of one record must use the record's sampling frequency."
        )
    return compare_annotations(
        ref.sample,
        ref.symbol,
        tst.sample,
        tst.symbol,
        fs,
        window=window,
        start=start,
        end=end,
    )
