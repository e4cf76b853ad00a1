"""rhythm_irregularity and IrregularRhythmGate: no premature beat in an irregular rhythm."""

import joblib
import numpy as np
import pytest
import sklearn
from _helpers import prevailing_ectopy
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.preprocessing import StandardScaler

from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.preprocessing import (
    RhythmFeatures,
    record_context,
    rhythm_irregularity,
)

N_RR = 64
RNG = np.random.default_rng(0)
SINUS = np.full(120, 0.8) * (1 + 0.01 * RNG.standard_normal(120))
BIGEMINY = np.tile([0.5, 1.0], 60)  # every other beat premature, then its pause
FIBRILLATION = RNG.uniform(0.45, 0.95, 120)


def rr_rows(intervals, fs=360):
    """The rr block of every beat of a record with these R-R intervals (seconds)."""
    peaks = np.round(np.cumsum(intervals) * fs).astype(int)
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=fs, n_rr=N_RR)
    return rr


def settled(segment):
    """Rows of a 120-beat segment whose 33 intervals before lie inside it."""
    return slice(120 * segment + 40, 120 * (segment + 1))


def test_irregularity_is_low_in_sinus_rhythm_with_or_without_ectopy():
    irregularity = rhythm_irregularity(rr_rows(np.r_[SINUS, BIGEMINY, FIBRILLATION]))
    assert irregularity[settled(0)].max() < 0.03
    assert irregularity[settled(1)].max() < 0.03  # premature beats and pauses left out
    assert irregularity[settled(2)].min() > 0.05
    assert np.median(irregularity[settled(2)]) > 0.1


def test_irregularity_leaves_out_the_pauses_of_a_prevailing_ectopic_rhythm():
    intervals, ectopic = prevailing_ectopy(pauses=(1.4, 3.0))
    irregularity = rhythm_irregularity(rr_rows(intervals))[40:]
    # the median interval is an ectopic one; the pauses before the sinus beats
    # are left out like the premature intervals of a sinus rhythm
    assert np.mean(irregularity < 0.05) > 0.95
    assert np.median(irregularity) < 0.04
    # long intervals that are part of fibrillation are not pauses
    fibrillation = rhythm_irregularity(rr_rows(np.r_[intervals, FIBRILLATION]))
    assert fibrillation[-80:].min() > 0.05


def test_gate_keeps_s_labels_in_a_prevailing_ectopic_rhythm():
    intervals, ectopic = prevailing_ectopy(pauses=(1.4, 3.0))
    X = rr_rows(intervals)[40:]
    y = np.where(ectopic[40:], "S", "N")
    gate = IrregularRhythmGate(n_rr=N_RR).fit(X, y)
    assert gate.irregular(X).mean() < 0.05
    said = gate.estimator_.predict(X) == "S"
    assert said.sum() > 100
    assert np.mean(gate.predict(X)[said] == "S") > 0.95


def test_irregularity_leaves_out_premature_beats_that_rr_msd32_counts():
    rows = rr_rows(np.r_[SINUS, BIGEMINY])
    names = list(RhythmFeatures().fit(rows).get_feature_names_out())
    msd = RhythmFeatures().fit_transform(rows)[:, names.index("rr_msd32")]
    assert msd[settled(1)].min() > 0.5  # every successive interval differs
    assert rhythm_irregularity(rows)[settled(1)].max() < 0.03


def test_irregularity_of_the_first_beats_is_zero_and_finite():
    irregularity = rhythm_irregularity(rr_rows(FIBRILLATION))
    assert np.all(np.isfinite(irregularity))
    # the beat's own pre-RR is left out: two beats have no earlier pair of intervals
    np.testing.assert_array_equal(irregularity[:3], 0.0)
    assert irregularity[40:].min() > 0.05


def test_irregularity_is_the_same_at_128_and_360_hz():
    intervals = np.r_[SINUS, BIGEMINY, FIBRILLATION]
    at_360 = rhythm_irregularity(rr_rows(intervals, fs=360))
    at_128 = rhythm_irregularity(rr_rows(intervals, fs=128))
    # regular rhythms: within the 128 Hz grid's few ms; fibrillation: the median
    # successive difference may land on a neighbouring pair of intervals
    for segment, tolerance in (
        (0, dict(atol=0.01)),
        (1, dict(atol=0.01)),
        (2, dict(rtol=0.25)),
    ):
        np.testing.assert_allclose(
            at_128[settled(segment)], at_360[settled(segment)], **tolerance
        )
    gate = IrregularRhythmGate(n_rr=N_RR)
    assert (at_128 > gate.threshold)[settled(2)].all()
    assert not (at_128 > gate.threshold)[settled(0)].any()


def test_irregularity_reads_the_rr_block_at_the_end_of_context_rows():
    rr = rr_rows(np.r_[SINUS, FIBRILLATION])
    rows = np.hstack([RNG.standard_normal((len(rr), 50)), rr])
    np.testing.assert_array_equal(
        rhythm_irregularity(rows, n_rr=N_RR), rhythm_irregularity(rr)
    )


@pytest.mark.parametrize(
    "X, params, match",
    [
        (-np.ones((3, 5)), {}, "Negative values in data passed to rhythm_irregularity"),
        (np.full((3, 5), np.nan), {}, "NaN"),
        (np.ones(5), {}, "2D array"),
        (np.ones((3, 1)), {}, "n_next=1"),
        (np.ones((3, 5)), {"n_rr": 10}, "n_rr"),
        (np.ones((3, 5)), {"n_next": -1}, "n_next"),
    ],
)
def test_irregularity_refuses_bad_input(X, params, match):
    with pytest.raises(ValueError, match=match):
        rhythm_irregularity(X, **params)


class FixedProba(ClassifierMixin, BaseEstimator):
    """Gives every row the same probabilities (in the order of ``classes_``)."""

    def __init__(self, proba=(0.2, 0.7, 0.1)):
        self.proba = proba

    def fit(self, X, y, groups=None, sample_weight=None):
        self.classes_ = np.unique(y)
        self.fit_groups_ = groups
        self.fit_sample_weight_ = sample_weight
        return self

    def predict_proba(self, X):
        return np.tile(np.asarray(self.proba, dtype=float), (len(X), 1))

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def regular_and_irregular_rows():
    rows = rr_rows(np.r_[SINUS, FIBRILLATION])
    return rows[40:120], rows[160:]


def test_gate_moves_s_to_n_in_irregular_rows_only():
    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular])
    y = np.resize(np.array(["N", "S", "V"]), len(X))
    gate = IrregularRhythmGate(FixedProba(), n_rr=N_RR).fit(X, y)
    assert list(gate.classes_) == ["N", "S", "V"]
    np.testing.assert_array_equal(
        gate.irregular(X), np.r_[np.zeros(len(regular)), np.ones(len(irregular))]
    )
    proba = gate.predict_proba(X)
    np.testing.assert_allclose(proba[: len(regular)], [[0.2, 0.7, 0.1]] * len(regular))
    np.testing.assert_allclose(
        proba[len(regular) :], [[0.9, 0.0, 0.1]] * len(irregular)
    )
    pred = gate.predict(X)
    assert set(pred[: len(regular)]) == {"S"} and set(pred[len(regular) :]) == {"N"}
    assert (gate.estimator_.predict(X) == "S").all()  # the wrapped model is untouched


def test_gate_threshold_zero_and_infinity():
    regular, irregular = regular_and_irregular_rows()
    X, y = np.vstack([regular, irregular]), np.resize(["N", "S"], 140)
    everywhere = IrregularRhythmGate(FixedProba((0.3, 0.7)), n_rr=N_RR, threshold=0.0)
    # a perfectly regular stretch scores 0, which is not above 0
    assert everywhere.fit(X, y).irregular(irregular).all()
    off = IrregularRhythmGate(FixedProba((0.3, 0.7)), n_rr=N_RR, threshold=np.inf)
    assert (off.fit(X, y).predict(X) == "S").all()


def test_gate_passes_other_labels_through():
    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular])
    y = np.resize([0, 1, 2], len(X))
    gate = IrregularRhythmGate(FixedProba(), n_rr=N_RR).fit(X, y)
    np.testing.assert_array_equal(
        gate.predict_proba(X), gate.estimator_.predict_proba(X)
    )
    custom = IrregularRhythmGate(
        FixedProba(), n_rr=N_RR, premature_class=1, normal_class=0
    ).fit(X, y)
    assert (custom.predict(irregular) == 0).all()


def test_gate_refuses_one_of_the_two_classes():
    regular, _ = regular_and_irregular_rows()
    y = np.resize(["S", "V"], len(regular))
    with pytest.raises(ValueError, match="y holds 'S' but not 'N'"):
        IrregularRhythmGate(FixedProba((0.5, 0.5)), n_rr=N_RR).fit(regular, y)


def test_gate_checks_the_rows_before_fitting():
    X = np.ones((10, 5))
    X[3, -1] = -1.0
    inner = FixedProba()
    with pytest.raises(ValueError, match="Negative values"):
        IrregularRhythmGate(inner, n_rr=3).fit(X, np.resize(["N", "S", "V"], 10))
    assert not hasattr(inner, "classes_")
    with pytest.raises(ValueError, match="n_rr"):
        IrregularRhythmGate(inner, n_rr=10).fit(
            np.ones((10, 5)), np.resize(["N", "S"], 10)
        )
    with pytest.raises(TypeError, match="predict_proba"):
        IrregularRhythmGate(object()).fit(np.ones((10, 5)), np.resize(["N", "S"], 10))


def test_gate_forwards_fit_parameters_with_and_without_routing():
    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular])
    y = np.resize(["N", "S", "V"], len(X))
    groups = np.arange(len(X)) // 10
    plain = IrregularRhythmGate(FixedProba(), n_rr=N_RR).fit(X, y, groups=groups)
    np.testing.assert_array_equal(plain.estimator_.fit_groups_, groups)
    with sklearn.config_context(enable_metadata_routing=True):
        inner = FixedProba().set_fit_request(groups=True, sample_weight=False)
        routed = IrregularRhythmGate(inner, n_rr=N_RR).fit(X, y, groups=groups)
    np.testing.assert_array_equal(routed.estimator_.fit_groups_, groups)
    assert routed.estimator_.fit_sample_weight_ is None


def test_gate_default_classifier_reads_the_rhythm():
    """The default estimator: rhythm features and a logistic regression."""
    intervals = np.where(np.arange(240) % 5 == 2, 0.5, 0.8)
    intervals = intervals * (1 + 0.01 * RNG.standard_normal(240))
    rows = rr_rows(intervals)
    y = np.where(np.arange(240) % 5 == 2, "S", "N")
    gate = IrregularRhythmGate().fit(rows[:160], y[:160])
    assert gate.score(rows[160:], y[160:]) == 1.0


def test_gate_in_smote_pipeline_grid_search_clone_and_joblib(tmp_path):
    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular, regular, irregular])
    y = np.where(np.arange(len(X)) % 9 == 4, "S", "N")
    y[::13] = "V"
    groups = np.arange(len(X)) // 20
    inner = make_pipeline(
        RhythmFeatures(n_rr=N_RR),
        StandardScaler(),
        SMOTE(k_neighbors=3, random_state=0),
        LogisticRegression(),
    )
    search = GridSearchCV(
        IrregularRhythmGate(inner, n_rr=N_RR),
        {"threshold": [0.05, np.inf]},
        cv=GroupKFold(3),
    ).fit(X, y, groups=groups)
    best = search.best_estimator_
    assert isinstance(best, IrregularRhythmGate)
    assert not (best.predict(irregular) == "S").any() or best.threshold == np.inf
    copy = clone(best)
    assert copy.get_params()["threshold"] == best.threshold
    assert not hasattr(copy, "estimator_")
    path = tmp_path / "gate.joblib"
    joblib.dump(best, path)
    np.testing.assert_array_equal(
        joblib.load(path).predict_proba(X), best.predict_proba(X)
    )


def test_gate_around_a_frozen_fitted_model_refits_nothing():
    from sklearn.frozen import FrozenEstimator

    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular])
    y = np.resize(["N", "S", "V"], len(X))
    fitted = FixedProba().fit(X[:30], y[:30], groups=np.zeros(30))
    gate = IrregularRhythmGate(FrozenEstimator(fitted), n_rr=N_RR).fit(X, y)
    assert gate.estimator_.estimator is fitted
    assert fitted.fit_groups_ is not None  # its own fit, not one from the gate
    assert (gate.predict(irregular) == "N").all()
    assert (gate.predict(regular) == "S").all()


def test_gate_model_file_round_trip(tmp_path):
    from sklearn_ecg import load_model, save_model

    regular, irregular = regular_and_irregular_rows()
    X = np.vstack([regular, irregular])
    y = np.where(np.arange(len(X)) % 4 == 1, "S", "N")
    gate = IrregularRhythmGate(n_rr=N_RR).fit(X, y)
    save_model(gate, tmp_path / "gate.skecg")
    loaded = load_model(tmp_path / "gate.skecg")
    assert (
        isinstance(loaded, IrregularRhythmGate) and loaded.threshold == gate.threshold
    )
    np.testing.assert_array_equal(loaded.predict_proba(X), gate.predict_proba(X))
    assert not (loaded.predict(irregular) == "S").any()
