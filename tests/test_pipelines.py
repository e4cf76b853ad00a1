"""End-to-end pipelines: preprocessing, SMOTE and the networks under sklearn's tools."""

import itertools

import joblib
import numpy as np
import pytest
from _helpers import tiny_network
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from sklearn_ecg import (
    CNN1D,
    BeatSegmenter,
    DWTDenoiser,
    GaussianDerivativeFeatures,
    IncepSE,
    MorphologyFeatures,
    RelativeBeat,
    RhythmFeatures,
)
from sklearn_ecg.datasets import make_ecg_beats

ONE_EPOCH = dict(max_epochs=1, batch_size=32)


class RowSpy(TransformerMixin, BaseEstimator):
    """Pass ``X`` through unchanged, remembering what ``fit`` and ``transform`` saw."""

    def fit(self, X, y=None):
        self.fit_X_ = np.array(X, copy=True)
        self.fit_y_ = None if y is None else np.array(y, copy=True)
        self.transform_rows_ = []
        return self

    def transform(self, X):
        self.transform_rows_.append(len(X))
        self.last_X_ = np.array(X, copy=True)
        return X


@pytest.fixture(scope="module")
def beats():
    # Imbalanced, so that SMOTE has work to do; six patients for grouped splits.
    return make_ecg_beats(
        n_samples=200,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=6,
        random_state=0,
    )


N_RR = 32


@pytest.fixture(scope="module")
def rows():
    # the same beats as context rows: window, running template, R-R history
    return make_ecg_beats(
        n_samples=200,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=6,
        context=True,
        n_rr=N_RR,
        random_state=0,
    )


def _patient_split(beats):
    test = np.isin(beats.groups, ["p04", "p05"])
    return (beats.data[~test], beats.target[~test]), (
        beats.data[test],
        beats.target[test],
    )


def make_search(scoring=None):
    """The grid search over a transformer parameter and the network."""
    pipe = Pipeline(
        [
            ("segment", BeatSegmenter()),
            ("denoise", DWTDenoiser()),
            ("smote", SMOTE(random_state=0)),
            ("gaussian", GaussianDerivativeFeatures(order=1)),
            ("clf", tiny_network(CNN1D, **ONE_EPOCH)),
        ]
    )
    grid = {
        "gaussian__sigma": [1.0, 3.0],
        "clf": [tiny_network(CNN1D, **ONE_EPOCH), tiny_network(IncepSE, **ONE_EPOCH)],
    }
    return GridSearchCV(pipe, grid, cv=GroupKFold(n_splits=2), scoring=scoring)


def test_smote_resamples_in_fit_only(beats):
    (X_train, y_train), (X_test, _) = _patient_split(beats)
    pipe = Pipeline(
        [
            ("segment", BeatSegmenter()),
            ("denoise", DWTDenoiser()),
            ("smote", SMOTE(random_state=0)),
            ("spy", RowSpy()),
            ("gaussian", GaussianDerivativeFeatures(sigma=2.0, order=1)),
            ("clf", tiny_network(CNN1D, **ONE_EPOCH)),
        ]
    )
    pipe.fit(X_train, y_train)
    spy = pipe.named_steps["spy"]

    # fit: SMOTE grew every minority class to the majority count
    labels, counts = np.unique(y_train, return_counts=True)
    seen_labels, seen_counts = np.unique(spy.fit_y_, return_counts=True)
    assert counts.min() < counts.max()
    np.testing.assert_array_equal(seen_labels, labels)
    np.testing.assert_array_equal(seen_counts, np.full(len(labels), counts.max()))
    n_resampled = len(labels) * counts.max()
    assert len(spy.fit_X_) == n_resampled > len(X_train)
    # the real beats come first, unchanged
    np.testing.assert_array_equal(
        spy.fit_X_[: len(X_train)], pipe[:2].transform(X_train)
    )

    # predict: the spy sees exactly the test beats, no sampler in the way
    y_pred = pipe.predict(X_test)
    assert spy.transform_rows_ == [n_resampled, len(X_test)]
    np.testing.assert_array_equal(spy.last_X_, pipe[:2].transform(X_test))
    assert y_pred.shape == (len(X_test),)
    assert set(y_pred) <= set(labels)
    proba = pipe.predict_proba(X_test)
    assert proba.shape == (len(X_test), len(labels))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert spy.transform_rows_[-1] == len(X_test)


def _rhythm_pipeline():
    """The beat against its template, rhythm and morphology features, SMOTE, CNN1D.

    The union's output is a DataFrame, so the network counts its tabular
    columns from their names (``n_extra_features="auto"``).
    """
    context = dict(n_rr=N_RR)
    features = FeatureUnion(
        [
            ("beat", RelativeBeat(fs=360, **context)),
            ("rhythm", RhythmFeatures(**context)),
            ("morphology", MorphologyFeatures(fs=360, **context)),
        ]
    ).set_output(transform="pandas")
    return Pipeline(
        [
            ("features", features),
            ("smote", SMOTE(random_state=0)),
            ("clf", tiny_network(CNN1D, n_extra_features="auto", **ONE_EPOCH)),
        ]
    )


def test_rhythm_context_pipeline_fits_clones_and_persists(rows, tmp_path):
    (X_train, y_train), (X_test, _) = _patient_split(rows)
    pipe = _rhythm_pipeline().fit(X_train, y_train)
    clf = pipe.named_steps["clf"]
    n_extra = RhythmFeatures.n_features + MorphologyFeatures.n_features
    n_beat = RelativeBeat(fs=360, n_rr=N_RR).fit(X_train[:1]).n_features_out_
    assert clf.n_features_in_ == n_beat + n_extra and clf._n_extra == n_extra
    assert clf.module_.n_extra_features == n_extra

    y_pred = pipe.predict(X_test)
    proba = pipe.predict_proba(X_test)
    assert y_pred.shape == (len(X_test),)
    assert set(y_pred) <= set(np.unique(y_train))
    assert proba.shape == (len(X_test), 3)

    twin = clone(pipe)
    with pytest.raises(NotFittedError):
        check_is_fitted(twin.named_steps["clf"])
    assert twin.named_steps["clf"].get_params() == pipe.named_steps["clf"].get_params()
    # seeded: the refitted clone reproduces the original
    np.testing.assert_array_equal(twin.fit(X_train, y_train).predict(X_test), y_pred)

    path = tmp_path / "rhythm.joblib"
    joblib.dump(pipe, path)
    loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.predict(X_test), y_pred)
    np.testing.assert_array_equal(loaded.predict_proba(X_test), proba)


@pytest.fixture(scope="module")
def searched(beats):
    """A fitted search whose scorer records which rows every score was computed on."""
    X, y, groups = beats.data, beats.target, beats.groups
    row_index = {row.tobytes(): i for i, row in enumerate(X)}
    scored_on = []

    def scorer(estimator, X_test, y_test):
        scored_on.append(frozenset(row_index[row.tobytes()] for row in X_test))
        return accuracy_score(y_test, estimator.predict(X_test))

    search = make_search(scoring=scorer).fit(X, y, groups=groups)
    return search, scored_on


def test_grid_search_grouped_by_patient(beats, searched):
    search, scored_on = searched
    X, y, groups = beats.data, beats.target, beats.groups

    splits = list(GroupKFold(n_splits=2).split(X, y, groups))
    for train, test in splits:
        assert set(groups[train]).isdisjoint(groups[test])
        assert len(train) + len(test) == len(X)
    # every candidate was scored on exactly these test folds
    assert len(scored_on) == 4 * len(splits)
    assert set(scored_on) == {frozenset(test.tolist()) for _, test in splits}

    results = search.cv_results_
    assert len(results["params"]) == 4
    for key in (
        "split0_test_score",
        "split1_test_score",
        "mean_test_score",
        "rank_test_score",
    ):
        assert len(results[key]) == 4
        assert np.all(np.isfinite(results[key]))
    recorded = {
        (p["gaussian__sigma"], type(p["clf"]).__name__) for p in results["params"]
    }
    assert recorded == set(itertools.product([1.0, 3.0], ["CNN1D", "IncepSE"]))

    best = search.best_estimator_
    assert search.best_params_ == results["params"][search.best_index_]
    assert type(best.named_steps["clf"]) is type(search.best_params_["clf"])
    y_pred = best.predict(X)
    assert y_pred.shape == (len(X),)
    assert set(y_pred) <= set(np.unique(y))


def test_threaded_search_reproduces_sequential(beats, searched):
    # torch's generator is global to the process; seeded fits in threads must not disturb each other
    search = make_search()
    with joblib.parallel_backend("threading", n_jobs=2):
        search.fit(beats.data, beats.target, groups=beats.groups)
    sequential = searched[0].cv_results_
    for key in ("split0_test_score", "split1_test_score"):
        np.testing.assert_array_equal(search.cv_results_[key], sequential[key])


def test_best_pipeline_survives_joblib(beats, searched, tmp_path):
    best = searched[0].best_estimator_
    path = tmp_path / "best.joblib"
    joblib.dump(best, path)
    loaded = joblib.load(path)
    X = beats.data[:50]
    np.testing.assert_array_equal(loaded.predict(X), best.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), best.predict_proba(X))
    assert (
        loaded.get_params()["gaussian__sigma"] == best.get_params()["gaussian__sigma"]
    )
