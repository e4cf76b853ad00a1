"""SpecialistClassifier: a second model shares out the probability of a group of classes."""

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.tree import DecisionTreeClassifier

from sklearn_ecg.models import SpecialistClassifier


def early_and_wide(n_normal=300, n_ectopic=60, seed=0):
    """N beats on time; S and V beats early, V beats also wide, in either direction.

    A linear model of all three classes tells N from the early beats but
    not S from V, which differ in the size of the second column, not its
    sign; a forest of S and V alone separates them.
    """
    rng = np.random.default_rng(seed)
    y = np.repeat(["N", "S", "V"], [n_normal, n_ectopic, n_ectopic])
    early = np.where(y == "N", 0.0, 1.0)
    wide = np.where(y == "V", 1.5, 0.0) * rng.choice([-1.0, 1.0], y.size)
    X = np.c_[early, wide] + rng.normal(0, 0.2, (y.size, 2))
    return X, y


def generalist():
    return LogisticRegression(class_weight="balanced", max_iter=1000)


def test_specialist_shares_out_the_group_probability_and_leaves_the_rest():
    X, y = early_and_wide()
    model = SpecialistClassifier(generalist(), random_state=0).fit(X, y)
    proba = model.predict_proba(X)
    alone = model.estimator_.predict_proba(X)
    assert list(model.classes_) == ["N", "S", "V"]
    np.testing.assert_allclose(proba[:, 0], alone[:, 0])
    np.testing.assert_allclose(proba[:, 1] + proba[:, 2], alone[:, 1] + alone[:, 2])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    share = model.specialist_.predict_proba(X)[:, 0]
    group = alone[:, 1] + alone[:, 2]
    np.testing.assert_allclose(proba[:, 1], group * share)


def test_specialist_tells_apart_what_the_generalist_confuses():
    X, y = early_and_wide()
    X_test, y_test = early_and_wide(seed=1)
    alone = generalist().fit(X, y)
    model = SpecialistClassifier(generalist(), random_state=0).fit(X, y)
    ectopic = y_test != "N"
    before = np.mean(alone.predict(X_test)[ectopic] == y_test[ectopic])
    after = np.mean(model.predict(X_test)[ectopic] == y_test[ectopic])
    assert before < 0.7 and after > 0.95
    # a row the generalist gives more to N than to S and V together stays N
    proba = alone.predict_proba(X_test)
    surely_normal = proba[:, 0] > proba[:, 1] + proba[:, 2]
    assert surely_normal.sum() > 250
    assert (model.predict(X_test)[surely_normal] == "N").all()


def test_specialist_is_fitted_on_the_rows_of_the_group_alone():
    X, y = early_and_wide()
    model = SpecialistClassifier(
        generalist(), DummyClassifier(strategy="prior"), classes=["S", "V"]
    ).fit(X, y)
    assert list(model.specialist_.classes_) == ["S", "V"]
    np.testing.assert_allclose(model.specialist_.class_prior_, [0.5, 0.5])


def test_specialist_does_nothing_without_two_classes_of_the_group():
    X, y = early_and_wide()
    only_s = y != "V"
    for labels, classes in (
        (y[only_s], ("S", "V")),  # no V beat
        (y[only_s], ("A", "B")),  # other names
        (np.unique(y[only_s], return_inverse=True)[1], ("S", "V")),  # integers
    ):
        model = SpecialistClassifier(generalist(), classes=classes).fit(
            X[only_s], labels
        )
        assert model.specialist_ is None
        np.testing.assert_array_equal(
            model.predict_proba(X), model.estimator_.predict_proba(X)
        )


def test_specialist_splits_any_group_of_more_than_two():
    X, y = early_and_wide()
    y = np.where((y == "V") & (X[:, 1] > 0), "F", y)
    model = SpecialistClassifier(
        generalist(),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        classes=("S", "V", "F"),
    ).fit(X, y)
    assert sorted(model.specialist_.classes_) == ["F", "S", "V"]
    proba, alone = model.predict_proba(X), model.estimator_.predict_proba(X)
    normal = list(model.classes_).index("N")
    np.testing.assert_allclose(proba[:, normal], alone[:, normal])


@pytest.mark.parametrize(
    "classes, match",
    [(("S",), "at least two"), (("S", "S"), "at least two"), ([], "at least two")],
)
def test_specialist_refuses_a_group_of_fewer_than_two_labels(classes, match):
    X, y = early_and_wide()
    with pytest.raises(ValueError, match=match):
        SpecialistClassifier(classes=classes).fit(X, y)


def test_specialist_refuses_labels_the_estimator_does_not_know():
    X, y = early_and_wide()
    frozen = FrozenEstimator(generalist().fit(X[y != "V"], y[y != "V"]))
    with pytest.raises(ValueError, match=r"estimator's classes_ lack \['V'\]"):
        SpecialistClassifier(frozen).fit(X, y)


def test_specialist_refuses_bad_parameters_and_input():
    X, y = early_and_wide()
    with pytest.raises(ValueError, match="specialist"):
        SpecialistClassifier(specialist="forest").fit(X, y)
    with pytest.raises(ValueError, match="classes"):
        SpecialistClassifier(classes="SV").fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        SpecialistClassifier().fit(np.where(X > 1.5, np.nan, X), y)


def test_specialist_forwards_fit_parameters_with_and_without_routing():
    X, y = early_and_wide()
    weight = np.where(y == "N", 0.0, 1.0)  # the estimator sees no N beat
    model = SpecialistClassifier(LogisticRegression()).fit(X, y, sample_weight=weight)
    assert (model.predict(X) != "N").all()
    with sklearn.config_context(enable_metadata_routing=True):
        requested = LogisticRegression().set_fit_request(sample_weight=True)
        model = SpecialistClassifier(requested).fit(X, y, sample_weight=weight)
    assert (model.predict(X) != "N").all()


def test_specialist_in_grid_search_clone_joblib_and_model_file(tmp_path):
    from sklearn_ecg import load_model, save_model

    X, y = early_and_wide()
    groups = np.arange(y.size) % 4
    search = GridSearchCV(
        SpecialistClassifier(generalist(), random_state=0),
        {"specialist": [None, DecisionTreeClassifier(max_depth=2, random_state=0)]},
        cv=GroupKFold(4),
        scoring="f1_macro",
    ).fit(X, y, groups=groups)
    model = search.best_estimator_
    assert clone(model).get_params()["classes"] == ("S", "V")
    joblib.dump(model, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict(X), model.predict(X)
    )
    save_model(model, tmp_path / "model.skecg")
    np.testing.assert_array_equal(
        load_model(tmp_path / "model.skecg").predict_proba(X), model.predict_proba(X)
    )


def test_specialist_weight_blends_its_shares_with_the_estimators_own():
    X, y = early_and_wide()
    full = SpecialistClassifier(generalist(), random_state=0).fit(X, y)
    alone = full.estimator_.predict_proba(X)
    group = alone[:, 1] + alone[:, 2]
    specialist = full.specialist_.predict_proba(X)[:, 0]
    for weight in (0.0, 0.3, 1.0):
        model = clone(full).set_params(weight=weight).fit(X, y)
        expected = group * (weight * specialist + (1 - weight) * alone[:, 1] / group)
        np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected)
    none = clone(full).set_params(weight=0.0).fit(X, y)
    np.testing.assert_allclose(none.predict_proba(X), alone)


def test_specialist_weight_below_one_with_no_group_probability_stays_finite():
    X, y = early_and_wide()
    certain = DummyClassifier(strategy="constant", constant="N").fit(X, y)
    model = SpecialistClassifier(FrozenEstimator(certain), weight=0.5).fit(X, y)
    proba = model.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_array_equal(proba[:, 0], 1.0)


@pytest.mark.parametrize("weight", [-0.1, 1.5, "half"])
def test_specialist_refuses_a_weight_outside_zero_one(weight):
    X, y = early_and_wide()
    with pytest.raises(ValueError, match="weight"):
        SpecialistClassifier(weight=weight).fit(X, y)
