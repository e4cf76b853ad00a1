"""LeadSubsetClassifier: one member of an ensemble learns from the rows of some leads."""

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from sklearn_ecg import LeadSubsetClassifier as TopLevel
from sklearn_ecg.models import LeadSubsetClassifier, SpecialistClassifier


def two_leads(seed=0):
    """N/S/V rows of lead "MLII" and the same beats, mirrored and shifted, as lead "V1".

    A model of both leads at once cannot draw one boundary for the two; a
    model of one lead separates its classes.
    """
    rng = np.random.default_rng(seed)
    y = np.repeat(["N", "S", "V"], [60, 30, 30])
    centre = {"N": (0.0, 0.0), "S": (2.0, 0.0), "V": (2.0, 2.0)}
    first = np.array([centre[label] for label in y]) + rng.normal(0, 0.3, (y.size, 2))
    second = 4.0 - first
    X = np.r_[first, second]
    lead = np.repeat(["MLII", "V1"], y.size)
    return X, np.r_[y, y], lead


class _Recorder(ClassifierMixin, BaseEstimator):
    """A most-frequent classifier that keeps the rows and the ``groups`` it was fitted with."""

    __metadata_request__fit = {"groups": True}

    def fit(self, X, y, groups=None):
        self.X_, self.groups_ = np.asarray(X), groups
        self.classes_, counts = np.unique(y, return_counts=True)
        self.prior_ = counts / counts.sum()
        return self

    def predict_proba(self, X):
        return np.tile(self.prior_, (len(X), 1))


def test_learns_from_the_named_leads_only_and_predicts_every_row():
    X, y, lead = two_leads()
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    model = LeadSubsetClassifier(tree, leads="MLII").fit(X, y, lead=lead)
    mlii = lead == "MLII"
    assert model.n_rows_fit_ == mlii.sum()
    alone = clone(tree).fit(X[mlii], y[mlii])
    np.testing.assert_array_equal(model.predict(X), alone.predict(X))
    np.testing.assert_array_equal(model.predict_proba(X), alone.predict_proba(X))
    assert model.predict_proba(X).shape == (len(X), 3)
    both = LeadSubsetClassifier(tree, leads=("MLII", "V1")).fit(X, y, lead=lead)
    assert both.n_rows_fit_ == len(y)
    assert TopLevel is LeadSubsetClassifier


@pytest.mark.parametrize("leads, lead", [(None, "given"), ("MLII", None)])
def test_without_lead_names_or_leads_every_row_is_learned_from(leads, lead):
    X, y, names = two_leads()
    model = LeadSubsetClassifier(leads=leads).fit(
        X, y, lead=names if lead == "given" else None
    )
    assert model.n_rows_fit_ == len(y)


def test_a_class_only_other_leads_hold_gets_probability_zero():
    X, y, lead = two_leads()
    keep = ~((lead == "MLII") & (y == "S"))
    model = LeadSubsetClassifier(leads="MLII").fit(X[keep], y[keep], lead=lead[keep])
    assert list(model.classes_) == ["N", "S", "V"]
    assert list(model.estimator_.classes_) == ["N", "V"]
    proba = model.predict_proba(X)
    np.testing.assert_array_equal(proba[:, 1], 0.0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert "S" not in set(model.predict(X))


def test_routing_brings_lead_to_it_and_groups_to_its_estimator_on_its_rows():
    X, y, lead = two_leads()
    groups = np.arange(len(y)) % 5
    vote = VotingClassifier(
        [
            ("all", LogisticRegression()),
            ("mlii", LeadSubsetClassifier(_Recorder(), leads="MLII")),
        ],
        voting="soft",
    )
    with sklearn.config_context(enable_metadata_routing=True):
        vote.fit(X, y, lead=lead, groups=groups)
    member = vote.named_estimators_["mlii"]
    mlii = lead == "MLII"
    np.testing.assert_array_equal(member.estimator_.X_, X[mlii])
    np.testing.assert_array_equal(member.estimator_.groups_, groups[mlii])
    assert vote.named_estimators_["all"].n_features_in_ == 2


def test_specialist_routes_lead_to_its_specialist_on_the_rows_of_its_classes():
    X, y, lead = two_leads()
    with sklearn.config_context(enable_metadata_routing=True):
        model = SpecialistClassifier(
            LeadSubsetClassifier(leads="MLII"),
            LeadSubsetClassifier(DecisionTreeClassifier(random_state=0), leads="MLII"),
        ).fit(X, y, lead=lead)
    ectopic = y != "N"
    assert model.estimator_.n_rows_fit_ == (lead == "MLII").sum()
    assert model.specialist_.n_rows_fit_ == (ectopic & (lead == "MLII")).sum()
    # with routing off the specialist gets no metadata: it learns from every S/V row
    model = SpecialistClassifier(
        LeadSubsetClassifier(leads="MLII"),
        LeadSubsetClassifier(DecisionTreeClassifier(random_state=0), leads="MLII"),
    ).fit(X, y, lead=lead)
    assert model.estimator_.n_rows_fit_ == (lead == "MLII").sum()
    assert model.specialist_.n_rows_fit_ == ectopic.sum()


@pytest.mark.parametrize(
    "leads, lead, message",
    [
        (
            "II",
            "rows",
            r"no row is of leads \['II'\]: the rows' leads are \['MLII', 'V1'\]",
        ),
        ("MLII", "short", r"lead must hold one lead name per row of X \(240\)"),
        ((), "rows", "leads must be a lead name or a non-empty tuple"),
        (("MLII", 2), "rows", "leads must be a lead name or a non-empty tuple"),
    ],
)
def test_bad_lead_names_are_refused_before_fitting(leads, lead, message):
    X, y, names = two_leads()
    recorder = _Recorder()
    lead = names[:10] if lead == "short" else names
    with pytest.raises(ValueError, match=message):
        LeadSubsetClassifier(recorder, leads=leads).fit(X, y, lead=lead)
    assert not hasattr(recorder, "X_")


def test_bad_parameters_are_refused():
    X, y, lead = two_leads()
    with pytest.raises(ValueError, match="leads"):
        LeadSubsetClassifier(leads=3).fit(X, y, lead=lead)
    with pytest.raises(ValueError, match="estimator"):
        LeadSubsetClassifier(estimator="forest").fit(X, y)
