import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.metrics import (
    average_precision_score,
    classification_report,
    confusion_matrix,
    recall_score,
    roc_auc_score,
)

from sklearn_ecg.metrics import (
    aami_confusion_matrix_display,
    aami_report,
    fmax_score,
    multilabel_auroc,
    plot_beat_gallery,
    plot_per_class_pr,
    plot_per_class_roc,
    select_thresholds,
    sensitivity_specificity,
)

AAMI = ["N", "S", "V", "F", "Q"]


def _random_beats(n, seed, *, p_correct=0.7):
    rng = np.random.default_rng(seed)
    y_true = rng.choice(AAMI, size=n, p=[0.6, 0.1, 0.15, 0.05, 0.1])
    y_pred = np.where(rng.random(n) < p_correct, y_true, rng.choice(AAMI, size=n))
    return y_true, y_pred


def _multilabel_data(n, n_labels, seed, *, noise=1.0):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, n_labels)) < 0.3).astype(int)
    y[0] = 1  # every label has a positive
    y[1] = 0  # and a negative
    score = 1 / (1 + np.exp(-(2 * y - 1 + noise * rng.normal(size=y.shape))))
    return y, score


# --------------------------------------------------------------------------- AAMI report


def test_aami_report_counts_by_hand():
    y_true = np.array(["N", "N", "N", "N", "S", "S", "V", "V", "V", "F", "Q", "N"])
    y_pred = np.array(["N", "S", "N", "V", "S", "N", "V", "V", "F", "F", "N", "N"])
    report = aami_report(y_true, y_pred, output_dict=True)
    n = len(y_true)
    for c in AAMI:
        tp = sum(t == c and p == c for t, p in zip(y_true, y_pred))
        fp = sum(t != c and p == c for t, p in zip(y_true, y_pred))
        fn = sum(t == c and p != c for t, p in zip(y_true, y_pred))
        tn = n - tp - fp - fn
        stats = report["per_class"][c]
        assert stats["support"] == tp + fn
        assert stats["se"] == pytest.approx(tp / (tp + fn) if tp + fn else 0.0)
        assert stats["ppv"] == pytest.approx(tp / (tp + fp) if tp + fp else 0.0)
        assert stats["specificity"] == pytest.approx(tn / (tn + fp))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        assert stats["f1"] == pytest.approx(f1)
    assert report["accuracy"] == pytest.approx(np.mean(y_true == y_pred))


def test_aami_report_matches_classification_report():
    y_true, y_pred = _random_beats(400, seed=0)
    ours = aami_report(y_true, y_pred, output_dict=True)
    ref = classification_report(
        y_true, y_pred, labels=AAMI, output_dict=True, zero_division=0.0
    )
    for c in AAMI:
        assert ours["per_class"][c]["se"] == pytest.approx(ref[c]["recall"])
        assert ours["per_class"][c]["ppv"] == pytest.approx(ref[c]["precision"])
        assert ours["per_class"][c]["f1"] == pytest.approx(ref[c]["f1-score"])
        assert ours["per_class"][c]["support"] == ref[c]["support"]
    assert ours["accuracy"] == pytest.approx(ref["accuracy"])


def test_macro_f1_leaves_out_q():
    y_true, y_pred = _random_beats(300, seed=1)
    report = aami_report(y_true, y_pred, output_dict=True)
    f1 = {c: report["per_class"][c]["f1"] for c in AAMI}
    assert report["macro_f1"] == pytest.approx(np.mean([f1[c] for c in "NSVF"]))
    assert f1["Q"] != pytest.approx(np.mean([f1[c] for c in "NSVF"]))
    assert report["macro_f1"] != pytest.approx(np.mean(list(f1.values())))


def test_aami_report_dict_layout_is_json_ready():
    y_true, y_pred = _random_beats(50, seed=2)
    report = aami_report(y_true, y_pred, output_dict=True)
    assert set(report) == {"accuracy", "macro_f1", "per_class"}
    assert list(report["per_class"]) == AAMI
    for stats in report["per_class"].values():
        assert set(stats) == {"se", "ppv", "specificity", "f1", "support"}
        assert isinstance(stats["support"], int)
    assert json.loads(json.dumps(report)) == report


def test_aami_report_table_lists_every_class():
    y_true, y_pred = _random_beats(60, seed=3)
    text = aami_report(y_true, y_pred, digits=4)
    lines = text.splitlines()
    for c in AAMI:
        assert any(line.split() and line.split()[0] == c for line in lines), c
    assert "accuracy" in text and "macro F1 (N, S, V, F)" in text
    acc = np.mean(y_true == y_pred)
    assert f"{acc:.4f}" in text


def test_aami_report_integer_labels_match_letters():
    y_true, y_pred = _random_beats(120, seed=4)
    code = {c: i for i, c in enumerate(AAMI)}
    as_int = aami_report(
        [code[c] for c in y_true],
        [code[c] for c in y_pred],
        labels=range(5),
        output_dict=True,
    )
    assert as_int == aami_report(y_true, y_pred, output_dict=True)


def test_aami_report_target_names_and_subset_labels():
    y_true = [0, 0, 1, 2, 2]
    y_pred = [0, 1, 1, 2, 0]
    report = aami_report(y_true, y_pred, labels=[0, 1, 2], output_dict=True)
    assert list(report["per_class"]) == ["0", "1", "2"]
    f1 = [r["f1"] for r in report["per_class"].values()]
    assert report["macro_f1"] == pytest.approx(np.mean(f1))
    named = aami_report(
        y_true, y_pred, labels=[0, 1, 2], target_names=["N", "S", "Q"], output_dict=True
    )
    assert list(named["per_class"]) == ["N", "S", "Q"]
    assert named["macro_f1"] == pytest.approx(
        np.mean([named["per_class"][c]["f1"] for c in "NS"])
    )


def test_aami_report_zero_division_is_silent():
    y_true = ["N", "N", "V", "V"]
    y_pred = ["N", "V", "V", "V"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = aami_report(y_true, y_pred, output_dict=True)
        aami_report(y_true, y_pred)
    for c in "SFQ":
        assert report["per_class"][c]["se"] == 0.0
        assert report["per_class"][c]["ppv"] == 0.0
        assert report["per_class"][c]["support"] == 0
        assert report["per_class"][c]["specificity"] == 1.0


@pytest.mark.parametrize(
    "y_true, y_pred, match",
    [
        (["N", "X"], ["N", "N"], r"\['X'\]"),
        (["N", "N"], ["N", "Paced"], r"\['Paced'\]"),
        (["N", "N", "V"], ["N", "V"], "same length.*3 and 2"),
        ([], [], "empty"),
    ],
)
def test_aami_report_bad_input(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        aami_report(y_true, y_pred)


def test_aami_report_bad_parameters():
    with pytest.raises(ValueError, match="repeat"):
        aami_report(["N"], ["N"], labels=["N", "N"])
    with pytest.raises(ValueError, match="target_names"):
        aami_report(["N"], ["N"], labels=["N", "V"], target_names=["N"])
    with pytest.raises(ValueError, match="digits"):
        aami_report(["N"], ["N"], digits=-1)


# --------------------------------------------------------------------------- multilabel


def test_multilabel_auroc_is_mean_of_per_label_roc_auc():
    y, score = _multilabel_data(80, 5, seed=0)
    per_label = [roc_auc_score(y[:, j], score[:, j]) for j in range(5)]
    assert multilabel_auroc(y, score) == pytest.approx(np.mean(per_label))
    np.testing.assert_allclose(multilabel_auroc(y, score, average=None), per_label)
    weights = y.sum(axis=0)
    assert multilabel_auroc(y, score, average="weighted") == pytest.approx(
        np.average(per_label, weights=weights)
    )
    assert multilabel_auroc(y, score, average="micro") == pytest.approx(
        roc_auc_score(y.ravel(), score.ravel())
    )


def test_multilabel_auroc_skips_single_class_labels():
    y, score = _multilabel_data(60, 4, seed=1)
    y[:, 1] = 0
    y[:, 3] = 1
    with pytest.warns(UserWarning, match=r"\[1, 3\]"):
        per_label = multilabel_auroc(y, score, average=None)
    assert np.isnan(per_label[[1, 3]]).all()
    assert np.isfinite(per_label[[0, 2]]).all()
    with pytest.warns(UserWarning):
        macro = multilabel_auroc(y, score)
    expected = np.mean([roc_auc_score(y[:, j], score[:, j]) for j in (0, 2)])
    assert macro == pytest.approx(expected)


def test_multilabel_auroc_bad_input():
    y, score = _multilabel_data(20, 3, seed=2)
    with pytest.raises(ValueError, match=r"same shape.*\(20, 3\) and \(20, 2\)"):
        multilabel_auroc(y, score[:, :2])
    with pytest.raises(ValueError, match="indicator"):
        multilabel_auroc(y * 2, score)
    with pytest.raises(ValueError, match="average"):
        multilabel_auroc(y, score, average="samples")
    with pytest.raises(ValueError, match="both classes"):
        multilabel_auroc(np.ones_like(y), score)


@pytest.mark.parametrize("method", ["youden", "f1"])
def test_thresholds_on_separable_scores_give_perfect_se_sp(method):
    y, _ = _multilabel_data(50, 4, seed=3)
    rng = np.random.default_rng(0)
    score = np.where(y == 1, 0.6 + 0.4 * rng.random(y.shape), 0.5 * rng.random(y.shape))
    thresholds = select_thresholds(y, score, method=method)
    assert thresholds.shape == (4,)
    se, sp = sensitivity_specificity(y, score, thresholds)
    np.testing.assert_array_equal(se, 1.0)
    np.testing.assert_array_equal(sp, 1.0)


def test_youden_threshold_maximises_j_over_all_cut_points():
    y, score = _multilabel_data(120, 3, seed=4, noise=1.5)
    thresholds = select_thresholds(y, score, method="youden")
    se, sp = sensitivity_specificity(y, score, thresholds)
    for j in range(3):
        cuts = np.unique(score[:, j])
        best = max(
            np.mean(score[y[:, j] == 1, j] >= c) + np.mean(score[y[:, j] == 0, j] < c)
            for c in cuts
        )
        assert se[j] + sp[j] == pytest.approx(best)


def test_f1_threshold_maximises_f1_over_all_cut_points():
    y, score = _multilabel_data(120, 3, seed=5, noise=1.5)
    thresholds = select_thresholds(y, score, method="f1")

    def f1_at(j, c):
        pred = score[:, j] >= c
        tp = np.sum(pred & (y[:, j] == 1))
        return 2 * tp / (pred.sum() + y[:, j].sum())

    for j in range(3):
        best = max(f1_at(j, c) for c in np.unique(score[:, j]))
        assert f1_at(j, thresholds[j]) == pytest.approx(best)


def test_thresholds_for_single_class_validation_labels():
    y, score = _multilabel_data(30, 3, seed=6)
    y[:, 0] = 0
    y[:, 2] = 1
    with pytest.warns(UserWarning, match=r"\[0, 2\]"):
        thresholds = select_thresholds(y, score)
    assert np.all(score[:, 0] < thresholds[0])  # nothing called positive
    assert np.all(score[:, 2] >= thresholds[2])  # everything called positive
    se, sp = sensitivity_specificity(y, score, thresholds)
    assert np.isnan(se[0]) and sp[0] == 1.0
    assert se[2] == 1.0 and np.isnan(sp[2])


def test_select_thresholds_bad_method():
    y, score = _multilabel_data(20, 2, seed=7)
    with pytest.raises(ValueError, match="method.*'youden'"):
        select_thresholds(y, score, method="roc")


def test_sensitivity_specificity_matches_recall_score():
    y, score = _multilabel_data(90, 4, seed=8, noise=1.5)
    se, sp = sensitivity_specificity(y, score, 0.5)
    pred = (score >= 0.5).astype(int)
    for j in range(4):
        assert se[j] == pytest.approx(recall_score(y[:, j], pred[:, j]))
        assert sp[j] == pytest.approx(recall_score(1 - y[:, j], 1 - pred[:, j]))
    with pytest.raises(ValueError, match=r"one value per label \(4\).*\(3,\)"):
        sensitivity_specificity(y, score, [0.5, 0.5, 0.5])


def _fmax_by_definition(y, score, grid):
    best = 0.0
    for t in grid:
        precisions, recalls = [], []
        for row_y, row_s in zip(y, score):
            pred = row_s >= t
            tp = np.sum(pred & (row_y == 1))
            if pred.any():
                precisions.append(tp / pred.sum())
            if row_y.any():
                recalls.append(tp / row_y.sum())
        if precisions:
            p, r = np.mean(precisions), np.mean(recalls)
            if p + r > 0:
                best = max(best, 2 * p * r / (p + r))
    return best


def test_fmax_perfect_constant_and_by_definition():
    y, score = _multilabel_data(40, 5, seed=9, noise=1.5)
    assert fmax_score(y, y.astype(float)) == 1.0
    constant = fmax_score(y, np.full(y.shape, 0.3))
    assert constant < 1.0
    # A constant score predicts every label: precision = mean label density.
    density = np.mean(y.sum(axis=1) / y.shape[1])
    assert constant == pytest.approx(2 * density / (density + 1))
    grid = np.linspace(0, 1, 21)
    expected = _fmax_by_definition(y, score, grid)
    assert fmax_score(y, score, thresholds=grid) == pytest.approx(expected)
    fmax, threshold = fmax_score(y, score, thresholds=grid, return_threshold=True)
    assert threshold in grid
    assert fmax_score(y, score, thresholds=[threshold]) == pytest.approx(fmax)


def test_fmax_bad_input():
    y, score = _multilabel_data(10, 3, seed=10)
    with pytest.raises(ValueError, match="no positive label"):
        fmax_score(np.zeros_like(y), score)
    with pytest.raises(ValueError, match="thresholds"):
        fmax_score(y, score, thresholds=0)
    with pytest.raises(ValueError, match="thresholds"):
        fmax_score(y, score, thresholds=[])


def test_import_does_not_load_matplotlib():
    code = "import sys, sklearn_ecg.metrics; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- plots


@pytest.fixture
def plt():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_confusion_matrix_display_in_aami_order(plt):
    y_true, y_pred = _random_beats(100, seed=11)
    disp = aami_confusion_matrix_display(y_true, y_pred)
    expected = confusion_matrix(y_true, y_pred, labels=AAMI)
    np.testing.assert_array_equal(disp.confusion_matrix, expected)
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == AAMI
    assert [t.get_text() for t in disp.ax_.get_yticklabels()] == AAMI

    normed = aami_confusion_matrix_display(
        y_true, y_pred, normalize="true", colorbar=False
    )
    np.testing.assert_allclose(normed.confusion_matrix.sum(axis=1), 1.0)
    np.testing.assert_allclose(
        np.diag(normed.confusion_matrix),
        [
            aami_report(y_true, y_pred, output_dict=True)["per_class"][c]["se"]
            for c in AAMI
        ],
    )
    with pytest.raises(ValueError, match=r"\['X'\]"):
        aami_confusion_matrix_display(["N", "X"], ["N", "N"])


def test_per_class_roc_multiclass(plt):
    y_true, y_pred = _random_beats(150, seed=12)
    proba = np.eye(5)[[AAMI.index(c) for c in y_pred]] * 0.6
    proba += np.random.default_rng(0).random(proba.shape) * 0.4
    _, ax = plt.subplots()
    displays = plot_per_class_roc(y_true, proba, classes=AAMI, ax=ax)
    assert [d.name for d in displays] == AAMI
    assert all(d.ax_ is ax for d in displays)
    for k, (c, d) in enumerate(zip(AAMI, displays)):
        assert d.roc_auc == pytest.approx(roc_auc_score(y_true == c, proba[:, k]))
    _, labels = ax.get_legend_handles_labels()
    assert [lab.split()[0] for lab in labels[:5]] == AAMI
    assert labels[5].startswith("Chance level")
    assert ax.get_title() == "One-vs-rest ROC"


def test_per_class_pr_multilabel_and_skipped_label(plt):
    y, score = _multilabel_data(60, 4, seed=13)
    y[:, 2] = 0
    names = ["NORM", "MI", "STTC", "CD"]
    with pytest.warns(UserWarning, match="STTC"):
        displays = plot_per_class_pr(y, score, classes=names)
    assert [d.name for d in displays] == ["NORM", "MI", "CD"]
    for d, j in zip(displays, (0, 1, 3)):
        assert d.average_precision == pytest.approx(
            average_precision_score(y[:, j], score[:, j])
        )
    assert displays[0].ax_.get_title() == "One-vs-rest precision-recall"


def test_per_class_curves_bad_input(plt):
    proba = np.full((4, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"\['Q'\]"):
        plot_per_class_roc(["N", "S", "V", "Q"], proba, classes=["N", "S", "V"])
    with pytest.raises(ValueError, match="3 columns"):
        plot_per_class_roc(["N", "S", "N", "S"], proba, classes=["N", "S"])
    with pytest.raises(ValueError, match="3 and 4"):
        plot_per_class_pr(["N", "S", "V"], proba, classes=["N", "S", "V"])


def test_beat_gallery_layout_and_wrong_predictions(plt):
    rng = np.random.default_rng(14)
    y_true = np.array(list("NNNNNNNSSVVVF"))
    y_pred = y_true.copy()
    y_pred[[0, 7, 9]] = ["V", "N", "N"]
    X = rng.normal(size=(len(y_true), 2, 40))
    fig = plot_beat_gallery(
        X, y_true, y_pred, n_per_class=3, fs=100, channel=1, random_state=0
    )
    assert [sf.get_suptitle() for sf in fig.subfigs] == [
        "N (n=7)",
        "S (n=2)",
        "V (n=3)",
        "F (n=1)",
    ]
    for cls, sf in zip("NSVF", fig.subfigs):
        assert len(sf.axes) == min(3, np.sum(y_true == cls))
        for ax in sf.axes:
            (line,) = ax.get_lines()
            # The trace is one of this class's beats, from channel 1.
            i = int(
                np.flatnonzero(np.all(np.isclose(X[:, 1], line.get_ydata()), axis=1))[0]
            )
            assert y_true[i] == cls
            np.testing.assert_allclose(line.get_xdata(), np.arange(40) / 100)
            assert ax.get_title() == f"pred {y_pred[i]}"
            is_red = ax.title.get_color() == "tab:red"
            assert is_red == (y_pred[i] != cls)
        assert sf.axes[-1].get_xlabel() == "time (s)"

    again = plot_beat_gallery(
        X, y_true, y_pred, n_per_class=3, fs=100, channel=1, random_state=0
    )
    for a, b in zip(fig.axes, again.axes):
        np.testing.assert_array_equal(
            a.get_lines()[0].get_ydata(), b.get_lines()[0].get_ydata()
        )


def test_beat_gallery_classes_order_and_no_prediction(plt):
    X = np.arange(6 * 10, dtype=float).reshape(6, 10)
    fig = plot_beat_gallery(
        X, ["a", "b", "a", "c", "b", "a"], classes=["c", "a"], n_per_class=2
    )
    assert [sf.get_suptitle() for sf in fig.subfigs] == ["c (n=1)", "a (n=3)"]
    assert all(ax.get_title() == "" for ax in fig.axes)
    assert fig.axes[0].get_xlabel() == "sample"


def test_beat_gallery_bad_input(plt):
    X = np.zeros((4, 20))
    with pytest.raises(ValueError, match="4 and 3"):
        plot_beat_gallery(X, ["N", "N", "V"])
    with pytest.raises(ValueError, match="y_pred.*4 and 2"):
        plot_beat_gallery(X, ["N"] * 4, ["N", "N"])
    with pytest.raises(ValueError, match="n_per_class"):
        plot_beat_gallery(X, ["N"] * 4, n_per_class=0)
    with pytest.raises(ValueError, match="shape"):
        plot_beat_gallery(np.zeros(4), ["N"] * 4)
    with pytest.raises(ValueError, match="channel"):
        plot_beat_gallery(np.zeros((4, 2, 20)), ["N"] * 4, channel=2)
