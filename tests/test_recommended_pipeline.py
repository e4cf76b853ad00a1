"""The recommended beat pipeline of sklearn_ecg.pipelines."""

import importlib
import inspect
import warnings

import joblib
import numpy as np
import pytest
import sklearn
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import VotingClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import FunctionTransformer
from skorch.callbacks import Callback

import sklearn_ecg
import sklearn_ecg.models
import sklearn_ecg.preprocessing
from sklearn_ecg import CNN1D, MorphologyFeatures, RelativeBeat, RhythmFeatures
from sklearn_ecg.datasets import make_ecg_beats
from sklearn_ecg.models import (
    IrregularRhythmGate,
    LeadSubsetClassifier,
    SpecialistClassifier,
)
from sklearn_ecg.pipelines import (
    AAMI_CLASS_WEIGHT,
    make_beat_pipeline,
    make_ensemble_pipeline,
)

N_RR = 32
TINY = dict(
    clf__n_filters=4,
    clf__n_blocks=1,
    clf__n_dense=8,
    clf__max_epochs=1,
    clf__batch_size=32,
    clf__validation_fraction=None,
    clf__early_stopping_scoring=None,
)


@pytest.fixture(scope="module")
def beats():
    """Synthetic N/S/V context rows (4 s windows at 360 Hz), split by patient."""
    data = make_ecg_beats(
        n_samples=240,
        classes=("N", "S", "V"),
        weights=(0.6, 0.2, 0.2),
        n_patients=6,
        random_state=0,
        context=True,
        n_rr=N_RR,
    )
    train = np.isin(data.groups, np.unique(data.groups)[:4])
    return (
        data.data[train],
        data.target[train],
        data.data[~train],
        data.target[~train],
        data.fs,
    )


def tiny_pipeline(fs, **params):
    return make_beat_pipeline(fs=fs, n_rr=N_RR, random_state=0).set_params(
        **{**TINY, **params}
    )


def test_fit_predict_one_label_per_window(beats):
    X, y, X_test, _, fs = beats
    pipe = tiny_pipeline(fs).fit(X, y)
    y_pred = pipe.predict(X_test)
    assert y_pred.shape == (len(X_test),)
    assert set(y_pred) <= set(y)
    proba = pipe.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert list(pipe.classes_) == ["N", "S", "V"]


def test_final_step_is_clf_with_the_feature_columns_last(beats):
    fs = beats[-1]
    pipe = make_beat_pipeline(fs=fs, n_rr=N_RR)
    assert isinstance(pipe, Pipeline)
    assert pipe.steps[-1][0] == "clf"
    union = pipe.named_steps["features"]
    assert isinstance(union, FeatureUnion)
    n_extra = RhythmFeatures.n_features + MorphologyFeatures.n_features
    assert pipe.get_params()["clf__n_extra_features"] == n_extra
    # the rhythm and morphology columns are the last ones the union emits, where the network looks for them
    X = beats[0][:5]
    Xt = union.fit_transform(X)
    expected = np.hstack(
        [
            RhythmFeatures(n_rr=N_RR).fit_transform(X),
            MorphologyFeatures(fs=fs, n_rr=N_RR).fit_transform(X),
        ]
    )
    np.testing.assert_array_equal(Xt[:, -n_extra:], expected)
    np.testing.assert_array_equal(
        Xt[:, :-n_extra], RelativeBeat(fs=fs, n_rr=N_RR).fit_transform(X)
    )


def test_every_step_is_a_public_class(beats):
    pipe = make_beat_pipeline(fs=beats[-1], n_rr=N_RR)
    public = {
        getattr(module, name)
        for module in (sklearn_ecg, sklearn_ecg.preprocessing, sklearn_ecg.models)
        for name in module.__all__
        if inspect.isclass(getattr(module, name))
    }
    estimators = [pipe] + [
        v for v in pipe.get_params(deep=True).values() if isinstance(v, BaseEstimator)
    ]
    assert {type(e) for e in estimators} >= {
        CNN1D,
        RelativeBeat,
        RhythmFeatures,
        MorphologyFeatures,
    }
    for est in estimators:
        module = type(est).__module__
        if module.startswith("sklearn_ecg"):
            assert type(est) in public, type(est)
        else:
            assert module.split(".")[0] in ("sklearn", "imblearn"), module
            assert not type(est).__name__.startswith("_"), type(est)
    # a function handed to a FunctionTransformer is public too (and pickles by name)
    for est in estimators:
        if isinstance(est, FunctionTransformer):
            func = est.func
            assert not func.__name__.startswith("_")
            assert (
                getattr(importlib.import_module(func.__module__), func.__name__) is func
            )


def test_normal_beats_are_near_zero_after_the_template_is_subtracted(beats):
    X, y = beats[0], beats[1]
    beat = (
        make_beat_pipeline(fs=beats[-1], n_rr=N_RR)
        .named_steps["features"]
        .transformer_list[0][1]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        relative = beat.fit_transform(X)
    energy = (relative**2).mean(axis=1)
    assert np.all(np.isfinite(relative))
    assert np.median(energy[y == "N"]) < 0.1 * np.median(energy[y == "V"])


def test_fs_and_context_reach_every_step():
    params = make_beat_pipeline(fs=250, n_rr=64, n_next=2).get_params()
    fs_params = {k: v for k, v in params.items() if k.endswith("__fs")}
    assert set(fs_params) == {"features__beat__fs", "features__morphology__fs"}
    assert set(fs_params.values()) == {250}
    for key in ("n_rr", "n_next"):
        values = {k: v for k, v in params.items() if k.endswith(f"__{key}")}
        assert set(values) == {
            f"features__{step}__{key}" for step in ("beat", "rhythm", "morphology")
        }
    assert {v for k, v in params.items() if k.endswith("__n_rr")} == {64}


def test_groups_hold_out_whole_patients_to_choose_the_epoch(beats):
    X, y, _, _, fs = beats
    groups = make_ecg_beats(
        n_samples=240,
        classes=("N", "S", "V"),
        weights=(0.6, 0.2, 0.2),
        n_patients=6,
        random_state=0,
    ).groups
    groups = groups[np.isin(groups, np.unique(groups)[:4])]
    pipe = tiny_pipeline(
        fs,
        clf__validation_fraction=0.25,
        clf__early_stopping_scoring="f1_macro",
        clf__max_epochs=3,
        clf__patience=1,
    )
    pipe.fit(X, y, clf__groups=groups)
    history = pipe.named_steps["clf"].net_.history
    assert "valid_score" in history[-1]
    n_valid = sum(
        b["valid_batch_size"] for b in history[-1]["batches"] if "valid_batch_size" in b
    )
    # whole patients are held out: the validation rows are exactly the rows of some patients
    sizes = {g: int(np.sum(groups == g)) for g in np.unique(groups)}
    assert any(
        n_valid == sum(sizes[g] for g in subset)
        for k in range(1, len(sizes))
        for subset in __import__("itertools").combinations(sizes, k)
    )


def test_default_class_weight_is_a_private_copy():
    pipe = make_beat_pipeline()
    weights = pipe.get_params()["clf__class_weight"]
    assert weights == AAMI_CLASS_WEIGHT and weights is not AAMI_CLASS_WEIGHT
    assert (
        make_beat_pipeline(class_weight=None).get_params()["clf__class_weight"] is None
    )


def test_random_state_makes_fits_identical(beats):
    X, y, X_test, _, fs = beats
    p1 = tiny_pipeline(fs).fit(X, y).predict_proba(X_test)
    p2 = tiny_pipeline(fs).fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(p1, p2)


def test_clone_is_unfitted_with_same_params(beats):
    X, y, _, _, fs = beats
    pipe = tiny_pipeline(fs).fit(X, y)
    copy = clone(pipe)
    assert not hasattr(copy.named_steps["clf"], "net_")
    assert copy.get_params(deep=False).keys() == pipe.get_params(deep=False).keys()
    assert copy.named_steps["clf"].get_params() == pipe.named_steps["clf"].get_params()


def test_joblib_round_trip_keeps_predictions(beats, tmp_path):
    X, y, X_test, _, fs = beats
    pipe = tiny_pipeline(fs).fit(X, y)
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.predict(X_test), pipe.predict(X_test))
    np.testing.assert_allclose(loaded.predict_proba(X_test), pipe.predict_proba(X_test))


def test_smote_before_clf_acts_in_fit_only(beats):
    X, y, X_test, _, fs = beats
    pipe = tiny_pipeline(fs)
    pipe.steps.insert(-1, ("smote", SMOTE(k_neighbors=3, random_state=0)))
    pipe.fit(X, y)
    # the network trained on the oversampled, balanced set ...
    n_seen = sum(
        b["train_batch_size"]
        for b in pipe.named_steps["clf"].net_.history[-1]["batches"]
    )
    assert n_seen == 3 * np.unique(y, return_counts=True)[1].max() > len(y)
    # ... and prediction keeps one row per input row
    assert pipe.predict(X_test).shape == (len(X_test),)
    assert pipe.predict_proba(X_test).shape == (len(X_test), 3)


# -- make_ensemble_pipeline --------------------------------------------------


class _ValidRows(Callback):
    """Records the network's validation rows."""

    def on_epoch_begin(self, net, dataset_valid=None, **kwargs):
        self.valid_indices_ = np.asarray(dataset_valid.indices)


def tiny_ensemble(fs, **params):
    network = {f"estimator__network__{k}": v for k, v in TINY.items()}
    return make_ensemble_pipeline(fs=fs, n_rr=N_RR, random_state=0).set_params(
        **{
            **network,
            "estimator__features__clf__forest__n_estimators": 10,
            "estimator__features__clf__forest__min_samples_leaf": 5,
            "specialist__forest__n_estimators": 10,
            **params,
        }
    )


def test_ensemble_is_a_soft_vote_of_the_two_recipes_split_by_the_specialist(beats):
    X, y, X_test, _, fs = beats
    model = tiny_ensemble(fs)
    assert isinstance(model, SpecialistClassifier) and model.classes == ("S", "V")
    assert model.weight == 0.7
    vote = model.estimator
    assert isinstance(vote, VotingClassifier) and vote.voting == "soft"
    assert list(vote.named_estimators) == ["features", "network"]
    assert vote.weights == [0.7, 0.3]
    # the letters are re-encoded inside the vote: the class weights must not be keyed by them
    assert vote.get_params()["network__clf__class_weight"] == "sqrt_balanced"
    # the vote's classical half is the soft vote alone: the specialist sits outside
    assert isinstance(
        vote.named_estimators["features"].named_steps["clf"], VotingClassifier
    )
    model.fit(X, y)
    features, network = model.estimator_.named_estimators_.values()
    averaged = 0.3 * network.predict_proba(X_test) + 0.7 * features.predict_proba(
        X_test
    )
    np.testing.assert_allclose(
        model.estimator_.predict_proba(X_test), averaged, rtol=1e-5
    )
    proba = model.predict_proba(X_test)
    s, v = list(model.classes_).index("S"), list(model.classes_).index("V")
    group = averaged[:, s] + averaged[:, v]
    shares = model.specialist_.predict_proba(X_test)[:, 0]
    expected = group * (0.7 * shares + 0.3 * averaged[:, s] / group)
    np.testing.assert_allclose(proba[:, s], expected, rtol=1e-5)
    np.testing.assert_allclose(proba[:, s] + proba[:, v], group, rtol=1e-5)
    assert set(model.predict(X_test)) <= {"N", "S", "V"}


@pytest.mark.parametrize("weights", [(1, 1, 1), (0, 0), (-1, 2), (1, float("nan"))])
def test_ensemble_refuses_bad_weights(weights):
    with pytest.raises(ValueError, match="weights must be two finite, non-negative"):
        make_ensemble_pipeline(weights=weights)


def test_ensemble_specialist_weight_is_the_baseline_share():
    assert make_ensemble_pipeline(weights=(3, 1)).weight == 0.25
    assert make_ensemble_pipeline(weights=(1, 0)).weight == 0.0


def test_ensemble_feature_models_learn_from_the_named_leads_the_network_from_all(
    beats, tmp_path, monkeypatch
):
    from sklearn_ecg import load_model, save_model

    X, y, X_test, _, fs = beats
    # a second "lead": the same beats, their window and template flipped and halved
    other = X.copy()
    other[:, : -(N_RR + 1)] *= -0.5
    X, y = np.r_[X, other], np.r_[y, y]
    lead = np.repeat(["MLII", "V1"], len(other))
    model = make_ensemble_pipeline(
        fs=fs, n_rr=N_RR, feature_leads="MLII", random_state=0
    ).set_params(
        **{f"estimator__network__{k}": v for k, v in TINY.items()},
        estimator__features__estimator__clf__forest__n_estimators=10,
        specialist__estimator__forest__n_estimators=10,
    )
    assert isinstance(
        model.estimator.named_estimators["features"], LeadSubsetClassifier
    )
    assert model.specialist.leads == ("MLII",)
    with sklearn.config_context(enable_metadata_routing=True):
        model.fit(X, y, groups=np.tile(np.arange(len(other)) % 4, 2), lead=lead)
    mlii = lead == "MLII"
    assert model.estimator_.named_estimators_["features"].n_rows_fit_ == mlii.sum()
    assert model.specialist_.n_rows_fit_ == (mlii & np.isin(y, ["S", "V"])).sum()
    network = model.estimator_.named_estimators_["network"].named_steps["clf"]
    seen = sum(
        batch["train_batch_size"] for batch in network.net_.history[-1]["batches"]
    )
    assert seen == len(y)
    save_model(model, tmp_path / "model.skops")
    np.testing.assert_allclose(
        load_model(tmp_path / "model.skops").predict_proba(X_test),
        model.predict_proba(X_test),
    )
    # a lead no row is of stops the fit before the network trains
    network_fit = type(network).fit
    trained = []
    monkeypatch.setattr(
        type(network),
        "fit",
        lambda self, *a, **k: trained.append(1) or network_fit(self, *a, **k),
    )
    with sklearn.config_context(enable_metadata_routing=True):
        with pytest.raises(ValueError, match="no row is of leads \\['V5'\\]"):
            model.set_params(estimator__features__leads="V5").fit(
                X, y, groups=np.tile(np.arange(len(other)) % 4, 2), lead=lead
            )
    assert not trained


@pytest.mark.parametrize("leads", [(), ("MLII", 2), 3])
def test_ensemble_refuses_bad_feature_leads(leads):
    with pytest.raises(ValueError, match="feature_leads must be None, a lead name"):
        make_ensemble_pipeline(feature_leads=leads)


def validating_ensemble(fs, n_samples):
    """A tiny vote whose network holds out a quarter of 8 patients and records which rows."""
    groups = np.repeat(np.arange(8), -(-n_samples // 8))[:n_samples]
    model = tiny_ensemble(
        fs,
        estimator__network__clf__validation_fraction=0.25,
        estimator__network__clf__callbacks=[("rows", _ValidRows())],
    )
    return model, groups


def test_ensemble_routes_groups_to_the_networks_early_stopping(beats):
    X, y, _, _, fs = beats
    model, groups = validating_ensemble(fs, len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        model.fit(X, y, groups=groups)
    network = model.estimator_.named_estimators_["network"].named_steps["clf"]
    fitted = dict(network.net_.callbacks_)
    valid = fitted["rows"].valid_indices_
    assert set(groups[valid]).isdisjoint(np.delete(groups, valid))
    with pytest.raises(ValueError, match="groups"):
        tiny_ensemble(fs).fit(
            X, y, groups=groups
        )  # routing off: the vote refuses groups


def test_gated_ensemble_routes_groups_and_gates_only_irregular_rows(beats):
    X, y, X_test, _, fs = beats
    vote, groups = validating_ensemble(fs, len(y))
    model = IrregularRhythmGate(vote, n_rr=N_RR)
    with sklearn.config_context(enable_metadata_routing=True):
        model.fit(X, y, groups=groups)
    network = model.estimator_.estimator_.named_estimators_["network"]
    valid = dict(network.named_steps["clf"].net_.callbacks_)["rows"].valid_indices_
    assert set(groups[valid]).isdisjoint(np.delete(groups, valid))
    # half the test beats get a fibrillating history (the rr block ends each row)
    X_test = X_test.copy()
    rng = np.random.default_rng(0)
    X_test[::2, -(N_RR + 1) :] = rng.uniform(0.45, 0.95, (len(X_test[::2]), N_RR + 1))
    gated, plain = model.predict_proba(X_test), model.estimator_.predict_proba(X_test)
    irregular = model.irregular(X_test)
    assert not irregular[1::2].any() and irregular[::2].mean() > 0.8
    np.testing.assert_array_equal(gated[~irregular], plain[~irregular])
    assert (gated[irregular, 1] == 0).all()  # classes N, S, V
    np.testing.assert_allclose(gated.sum(axis=1), 1.0, rtol=1e-6)


def test_sqrt_balanced_weights_are_the_root_of_balanced_and_survive_label_encoding():
    y = np.array(["N"] * 80 + ["S"] * 20)
    X = np.random.default_rng(0).normal(size=(100, 40)).astype(np.float32)
    weights = {}
    for labels in (y, np.where(y == "N", 0, 1)):
        clf = CNN1D(
            n_filters=2,
            n_blocks=1,
            n_dense=4,
            max_epochs=1,
            class_weight="sqrt_balanced",
            random_state=0,
        ).fit(X, labels)
        weights[labels.dtype.kind] = clf.net_.criterion_.weight.numpy()
    expected = np.sqrt(100 / (2 * np.array([80, 20])))
    np.testing.assert_allclose(weights["U"], expected, rtol=1e-6)
    np.testing.assert_allclose(weights["i"], expected, rtol=1e-6)


def test_ensemble_model_file_round_trip(beats, tmp_path):
    from sklearn_ecg import load_model, save_model

    X, y, X_test, _, fs = beats
    model = tiny_ensemble(fs).fit(X, y)
    path = tmp_path / "vote.skecg"
    save_model(model, path)
    loaded = load_model(path)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_test), model.predict_proba(X_test)
    )
    assert (
        loaded.get_params()["estimator__network__clf__class_weight"] == "sqrt_balanced"
    )
