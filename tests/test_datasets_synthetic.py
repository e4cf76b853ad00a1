import warnings

import numpy as np
import pytest
from _helpers import write_annotation, write_record
from scipy.signal import find_peaks

from sklearn_ecg.datasets import (
    AAMI_CLASSES,
    MULTILABEL_EFFECTS,
    load_mitbih,
    make_ecg_beats,
    make_multilabel_ecg,
)


@pytest.fixture(scope="module")
def beats():
    return make_ecg_beats(n_samples=600, n_patients=8, noise=0.01, random_state=0)


def _preceding_rr(X, center, fs):
    """Distance from the centre to the previous R-peak, per row, in seconds."""
    out = np.full(len(X), np.nan)
    for i, row in enumerate(np.abs(X - np.median(X, axis=1, keepdims=True))):
        peaks, _ = find_peaks(row, height=0.4 * row[center], distance=int(0.25 * fs))
        before = peaks[peaks < center - int(0.1 * fs)]
        if len(before):
            out[i] = (center - before[-1]) / fs
    return out


def _qrs_width(X, center, fs):
    """Time the central complex stays above half of its R amplitude, in seconds."""
    X = X * np.sign(X[:, center, None])  # ventricular beats may point down
    above = X > 0.5 * X[:, center, None]
    left = np.argmin(above[:, center::-1], axis=1)
    right = np.argmin(above[:, center:], axis=1)
    return (left + right) / fs


def test_layout_matches_load_mitbih(beats, tmp_path):
    n_window = int(round(4.0 * 360))
    assert beats.data.shape == (600, n_window) and beats.data.dtype == np.float32
    assert beats.center == n_window // 2
    assert beats.fs == 360
    assert beats.target.dtype.kind == "U" and set(beats.target) == set(AAMI_CLASSES)
    assert beats.r_peak.dtype == np.int64 and beats.r_peak.shape == (600,)
    assert set(beats.groups) == {f"p{i:02d}" for i in range(8)}
    assert {(t, s) for t, s in zip(beats.target, beats.symbol)} == {
        ("N", "N"),
        ("S", "A"),
        ("V", "V"),
        ("F", "F"),
        ("Q", "/"),
    }
    # the same keys as the real loader, on a tiny written record
    rng = np.random.default_rng(0)
    write_record(tmp_path, "100", rng.normal(size=2000), fmt="212", adc_gain=None)
    write_annotation(tmp_path, "100", [500, 1000], ["N", "V"])
    real = load_mitbih(data_home=tmp_path, records=["100"])
    assert set(real) == set(beats)
    for key in ("data", "target", "groups", "r_peak", "symbol"):
        assert real[key].dtype.kind == beats[key].dtype.kind
    assert real.data.shape[1] == beats.data.shape[1]


def test_r_peak_at_center(beats):
    X = beats.data
    not_paced = beats.target != "Q"
    near = (
        np.abs(X[not_paced, beats.center - 20 : beats.center + 21]).argmax(axis=1) - 20
    )
    assert np.mean(np.abs(near) <= 2) > 0.95
    # r_peak increases within a patient (a virtual recording)
    for g in np.unique(beats.groups):
        assert np.all(np.diff(beats.r_peak[beats.groups == g]) > 0)


def test_premature_beats_have_short_preceding_rr(beats):
    rr = _preceding_rr(beats.data, beats.center, beats.fs)
    rr_by_class = {c: np.nanmedian(rr[beats.target == c]) for c in "NSV"}
    assert rr_by_class["S"] < 0.8 * rr_by_class["N"]
    assert rr_by_class["V"] < 0.8 * rr_by_class["N"]


def test_ventricular_beats_are_wide(beats):
    width = _qrs_width(beats.data, beats.center, beats.fs)
    w = {c: np.median(width[beats.target == c]) for c in "NVF"}
    assert w["V"] > 2 * w["N"]
    assert w["N"] < w["F"] < w["V"]


def test_paced_beats_have_a_spike(beats):
    X, c, fs = beats.data, beats.center, beats.fs
    seg = X[:, c - int(0.1 * fs) : c - int(0.04 * fs)]
    slope = np.abs(np.diff(seg, axis=1)).max(axis=1)
    assert np.median(slope[beats.target == "Q"]) > 5 * np.median(
        slope[beats.target == "N"]
    )


def test_patients_differ(beats):
    normal = beats.target == "N"
    amp = {
        g: np.median(beats.data[normal & (beats.groups == g), beats.center])
        for g in np.unique(beats.groups)
    }
    assert np.std(list(amp.values())) > 0.1


def test_determinism_and_options():
    a = make_ecg_beats(n_samples=50, random_state=3)
    b = make_ecg_beats(n_samples=50, random_state=3)
    c = make_ecg_beats(n_samples=50, random_state=4)
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.target, b.target)
    assert not np.array_equal(a.data, c.data)

    X, y = make_ecg_beats(
        n_samples=40,
        classes=("N", "V"),
        weights=[0.0, 1.0],
        fs=250,
        window=2.0,
        return_X_y=True,
        random_state=0,
    )
    assert X.shape == (40, 500) and set(y) == {"V"}

    quiet = make_ecg_beats(n_samples=30, noise=0.0, random_state=0).data
    drift = make_ecg_beats(
        n_samples=30, noise=0.0, baseline_wander=0.5, random_state=0
    ).data
    assert np.abs(drift - quiet).max() > 0.2
    noisy = make_ecg_beats(n_samples=30, noise=0.2, random_state=0).data
    assert np.std(np.diff(noisy, axis=1)) > 3 * np.std(np.diff(quiet, axis=1))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"classes": ("N", "X")}, "classes"),
        ({"weights": [1.0, 2.0]}, "weights"),
        ({"n_samples": 0}, "n_samples"),
        ({"noise": -1.0}, "noise"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_ecg_beats(**kwargs)


@pytest.fixture(scope="module")
def multilabel():
    return make_multilabel_ecg(n_samples=300, n_labels=8, noise=0.02, random_state=0)


def test_multilabel_shape_and_determinism(multilabel):
    assert (
        multilabel.data.shape == (300, 12, 1000) and multilabel.data.dtype == np.float32
    )
    assert multilabel.target.shape == (300, 8) and set(
        np.unique(multilabel.target)
    ) == {0, 1}
    assert multilabel.target_names.tolist() == list(MULTILABEL_EFFECTS)
    assert multilabel.lead_names[:3] == ["I", "II", "III"]
    X, y = make_multilabel_ecg(
        n_samples=5,
        n_leads=3,
        fs=50,
        duration=4.0,
        n_labels=2,
        return_X_y=True,
        random_state=1,
    )
    X2, y2 = make_multilabel_ecg(
        n_samples=5,
        n_leads=3,
        fs=50,
        duration=4.0,
        n_labels=2,
        return_X_y=True,
        random_state=1,
    )
    assert X.shape == (5, 3, 200) and y.shape == (5, 2)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ValueError, match="n_labels"):
        make_multilabel_ecg(n_labels=9)


def _label_effect(b, name):
    col = b.target[:, list(b.target_names).index(name)].astype(bool)
    X, fs = b.data, b.fs
    lead = b.lead_names.index
    if name == "tachycardia":
        feat = np.array(
            [
                len(find_peaks(x, height=0.5 * x.max(), distance=int(0.3 * fs))[0])
                for x in X[:, lead("II")]
            ]
        )
    elif name == "low_voltage":
        feat = -X.std(axis=(1, 2))
    elif name == "st_elevation":
        feat = []
        for ii, v2 in zip(X[:, lead("II")], X[:, lead("V2")]):
            r = find_peaks(ii, height=0.5 * ii.max(), distance=int(0.3 * fs))[0]
            r = r[(r > int(0.1 * fs)) & (r < len(ii) - int(0.15 * fs))]
            feat.append(np.mean(v2[r + int(0.12 * fs)] - v2[r - int(0.08 * fs)]))
        feat = np.array(feat)
    elif name == "t_inversion":
        feat = np.percentile(-X[:, lead("V5")], 97, axis=1) / X[:, lead("V5")].std(
            axis=1
        )
    elif name == "wide_qrs":
        d = np.abs(np.diff(X[:, lead("V4")], axis=1))
        feat = -np.percentile(d, 99, axis=1) / X[:, lead("V4")].std(axis=1)
    elif name == "right_axis_deviation":
        feat = -np.percentile(X[:, lead("I")], 99, axis=1) / np.percentile(
            X[:, lead("II")], 99, axis=1
        )
    elif name == "irregular_rhythm":
        feat = []
        for x in X[:, lead("II")]:
            peaks = find_peaks(x, height=0.5 * x.max(), distance=int(0.3 * fs))[0]
            rr = np.diff(peaks)
            feat.append(rr.std() / rr.mean())
        feat = np.array(feat)
    else:
        return None
    return feat, col


@pytest.mark.parametrize(
    "name", [n for n in MULTILABEL_EFFECTS if n != "first_degree_av_block"]
)
def test_each_label_changes_the_signal(multilabel, name):
    from sklearn.metrics import roc_auc_score

    feat, col = _label_effect(multilabel, name)
    assert 0 < col.sum() < len(col)
    assert roc_auc_score(col, feat) > 0.75


def test_label_probability():
    assert (
        make_multilabel_ecg(
            n_samples=20, label_probability=0.0, random_state=0
        ).target.sum()
        == 0
    )
    assert (
        make_multilabel_ecg(
            n_samples=20, label_probability=1.0, random_state=0
        ).target.min()
        == 1
    )


def test_av_block_prolongs_pr():
    b = make_multilabel_ecg(n_samples=200, n_labels=8, noise=0.0, random_state=2)
    col = b.target[:, list(b.target_names).index("first_degree_av_block")].astype(bool)
    keep = ~b.target[:, list(b.target_names).index("irregular_rhythm")].astype(bool)
    x = b.data[:, b.lead_names.index("II")]
    pr = []
    fs = b.fs
    for row in x:
        r = find_peaks(row, height=0.5 * row.max(), distance=int(0.3 * fs))[0]
        r = r[r > int(0.5 * fs)][0]
        seg = row[r - int(0.45 * fs) : r - int(0.06 * fs)]
        pr.append(len(seg) - np.argmax(seg))
    pr = np.array(pr) / fs
    assert np.median(pr[col & keep]) > np.median(pr[~col & keep]) + 0.08


def test_multilabel_classes_key_is_a_deprecated_alias(multilabel):
    # attribute and item access both warn, from the caller's line, naming the new key
    for read in (lambda b: b.classes, lambda b: b["classes"]):
        with pytest.warns(
            FutureWarning, match="'classes' is deprecated.*read 'target_names'"
        ) as caught:
            assert read(multilabel) is multilabel.target_names
        assert caught[0].filename == __file__
    assert "classes" in multilabel.keys()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        multilabel.target_names, multilabel["data"]  # other keys stay silent
    with pytest.raises(AttributeError, match="not_a_key"):
        multilabel.not_a_key
