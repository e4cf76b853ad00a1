import json
import pickle
import zipfile

import joblib
import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sklearn_ecg import (
    CNN1D,
    MorphologyFeatures,
    RelativeBeat,
    RhythmFeatures,
    load_model,
    read_model_card,
    save_model,
)
from sklearn_ecg.datasets import make_ecg_beats
from sklearn_ecg.pipelines import make_beat_pipeline

N_RR = 32


@pytest.fixture(scope="module")
def beats():
    return make_ecg_beats(
        n_samples=150, classes=("N", "S", "V"), weights=(0.6, 0.2, 0.2), random_state=0
    )


@pytest.fixture(scope="module")
def rows():
    return make_ecg_beats(
        n_samples=150,
        classes=("N", "S", "V"),
        weights=(0.6, 0.2, 0.2),
        context=True,
        n_rr=N_RR,
        random_state=0,
    )


@pytest.fixture(scope="module")
def network_pipeline(rows):
    pipe = make_pipeline(
        FeatureUnion(
            [
                ("beat", RelativeBeat(fs=rows.fs, n_rr=N_RR)),
                ("rhythm", RhythmFeatures(n_rr=N_RR)),
            ]
        ),
        SMOTE(k_neighbors=3, random_state=0),
        CNN1D(
            n_filters=4,
            n_blocks=1,
            n_dense=8,
            n_extra_features=RhythmFeatures.n_features,
            max_epochs=1,
            batch_size=32,
            random_state=0,
        ),
    )
    return pipe.fit(rows.data, rows.target)


@pytest.fixture(scope="module")
def saved(network_pipeline, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "pipe.skecg"
    save_model(
        network_pipeline,
        path,
        card={
            "fs": 360,
            "window": 4.0,
            "leads": ["MLII"],
            "databases": ["mitdb"],
            "records": ["100", "101"],
            "scores": {"f1_macro": 0.5},
        },
    )
    return path


def _rewrite(src, dst, change):
    """Copy the zip at ``src`` to ``dst``, passing each member's bytes through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, change(name, zin.read(name)))
    return dst


def test_network_pipeline_round_trip_is_bit_identical(network_pipeline, saved, rows):
    loaded = load_model(saved)
    X = rows.data[:40]
    assert np.array_equal(loaded.predict_proba(X), network_pipeline.predict_proba(X))
    assert np.array_equal(loaded.predict(X), network_pipeline.predict(X))
    clf = loaded[-1]
    assert clf.get_params() == network_pipeline[-1].get_params()
    assert clf.net_.device == "cpu"
    assert clf.classes_.tolist() == ["N", "S", "V"]
    assert clf._n_extra == RhythmFeatures.n_features


def test_feature_pipeline_round_trip_is_bit_identical(rows, tmp_path):
    pipe = make_pipeline(
        FeatureUnion(
            [
                ("rhythm", RhythmFeatures(n_rr=N_RR)),
                ("morphology", MorphologyFeatures(fs=rows.fs, n_rr=N_RR)),
            ]
        ),
        StandardScaler(),
        LogisticRegression(max_iter=200),
    ).fit(rows.data, rows.target)
    loaded = load_model(save_model(pipe, tmp_path / "lr.skecg"))
    assert np.array_equal(
        loaded.predict_proba(rows.data), pipe.predict_proba(rows.data)
    )
    assert read_model_card(tmp_path / "lr.skecg")["files"].keys() == {"model.skops"}


def test_recommended_pipeline_round_trip(tmp_path):
    rows = make_ecg_beats(
        n_samples=150, classes=("N", "S", "V"), context=True, n_rr=64, random_state=0
    )
    pipe = make_beat_pipeline(fs=rows.fs, n_rr=64, max_epochs=2, random_state=0)
    pipe.set_params(clf__n_filters=4, clf__n_blocks=1).fit(
        rows.data, rows.target, clf__groups=rows.groups
    )
    loaded = load_model(save_model(pipe, tmp_path / "beat.skecg"))
    assert np.array_equal(
        loaded.predict_proba(rows.data), pipe.predict_proba(rows.data)
    )


def test_card_records_what_the_model_expects(saved):
    card = read_model_card(saved)
    assert card["format_version"] == 1 and card["format"] == "sklearn-ecg model"
    assert card["classes"] == ["N", "S", "V"]
    assert (
        card["fs"] == 360
        and card["window"] == 4.0
        and card["records"] == ["100", "101"]
    )
    assert card["leads"] == ["MLII"] and card["databases"] == ["mitdb"]
    assert card["scores"] == {"f1_macro": 0.5}
    assert {"sklearn-ecg", "scikit-learn", "torch", "skops", "safetensors"} <= set(
        card["versions"]
    )
    assert set(card["files"]) == {"model.skops", "networks/0.safetensors"}
    assert card["estimator"] == "imblearn.pipeline.Pipeline"


def test_tampered_weights_fail_with_the_member_named(saved, tmp_path):
    def flip(name, data):
        if name.startswith("networks/"):
            data = bytearray(data)
            data[-5] ^= 0xFF
        return bytes(data)

    bad = _rewrite(saved, tmp_path / "bad.skecg", flip)
    with pytest.raises(
        ValueError,
        match=r"SHA-256 mismatch for 'networks/0.safetensors' in model file .*bad\.skecg",
    ):
        load_model(bad)


def test_file_from_a_newer_format_version(saved, tmp_path):
    def newer(name, data):
        if name == "card.json":
            card = json.loads(data)
            card["format_version"] = 99
            data = json.dumps(card).encode()
        return data

    path = _rewrite(saved, tmp_path / "newer.skecg", newer)
    with pytest.raises(
        ValueError,
        match="model format version 99.*reads format versions up to 1.*Upgrade",
    ):
        load_model(path)


@pytest.mark.parametrize("kind", ["random", "text", "joblib", "pickle", "zip"])
def test_files_that_are_not_models(kind, tmp_path, network_pipeline):
    path = tmp_path / f"{kind}.bin"
    if kind == "random":
        path.write_bytes(np.random.default_rng(0).bytes(1000))
    elif kind == "text":
        path.write_text("hello, this is not a model\n")
    elif kind == "joblib":
        joblib.dump(network_pipeline, path)
    elif kind == "pickle":
        path.write_bytes(pickle.dumps({"a": 1}))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "an unrelated archive")
    with pytest.raises(ValueError, match="not a sklearn-ecg model file"):
        load_model(path)
    if kind in ("joblib", "pickle"):
        with pytest.raises(ValueError, match="pickle .joblib. file.*trust"):
            load_model(path)


def test_untrusted_type_is_refused(beats, tmp_path):
    import copy

    pipe = make_pipeline(FunctionTransformer(copy.copy), LogisticRegression())
    pipe.fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(TypeError, match=r"copy\.copy"):
        save_model(pipe, tmp_path / "x.skecg")
    path = save_model(pipe, tmp_path / "x.skecg", trusted=["copy.copy"])
    with pytest.raises(TypeError, match=r"copy\.copy.*nothing was loaded"):
        load_model(path)
    assert load_model(path, trusted=["copy.copy"]).steps[0][1].func is copy.copy


def test_pandas_output_steps_get_a_clear_error(tmp_path):
    from sklearn.base import clone
    from sklearn.pipeline import make_union
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    X, y = np.random.default_rng(0).random((20, 3)), np.arange(20) % 2
    union = make_union(StandardScaler(), MinMaxScaler())
    pipe = make_pipeline(union, LogisticRegression()).set_output(transform="pandas")
    with pytest.raises(TypeError, match=r'set_output\(transform="default"\).*joblib'):
        save_model(pipe.fit(X, y), tmp_path / "x.skecg")
    plain = clone(pipe).set_output(transform="default").fit(X, y)
    loaded = load_model(save_model(plain, tmp_path / "x.skecg"))
    np.testing.assert_array_equal(loaded.predict_proba(X), plain.predict_proba(X))


def test_gpu_device_loads_on_cpu(beats, tmp_path):
    clf = CNN1D(
        n_filters=4, n_blocks=1, n_dense=8, max_epochs=1, random_state=0, device="cpu"
    )
    clf.fit(beats.data[:, ::4], beats.target)
    clf.set_params(device="cuda")  # as saved from a GPU machine
    loaded = load_model(save_model(clf, tmp_path / "gpu.skecg"))
    import torch

    expected_device = "cuda" if torch.cuda.is_available() else "cpu"
    assert loaded.net_.device == expected_device
    assert loaded.device == "cuda"
    clf.set_params(device="cpu")
    if expected_device == "cpu":
        assert np.array_equal(
            loaded.predict_proba(beats.data[:, ::4]),
            clf.predict_proba(beats.data[:, ::4]),
        )


def test_joblib_keeps_working(network_pipeline, rows, tmp_path):
    joblib.dump(network_pipeline, tmp_path / "pipe.joblib")
    loaded = joblib.load(tmp_path / "pipe.joblib")
    assert np.array_equal(
        loaded.predict_proba(rows.data[:20]),
        network_pipeline.predict_proba(rows.data[:20]),
    )


def test_save_errors(network_pipeline, tmp_path):
    with pytest.raises(NotFittedError):
        save_model(LogisticRegression(), tmp_path / "m.skecg")
    with pytest.raises(ValueError, match=r"card must not set \['files'\]"):
        save_model(network_pipeline, tmp_path / "m.skecg", card={"files": 1})
    with pytest.raises(TypeError, match="JSON-serialisable"):
        save_model(network_pipeline, tmp_path / "m.skecg", card={"fs": object()})
    for card, match in (
        ({"fs": -360}, r"card\['fs'\] must be the positive sampling frequency"),
        ({"fs": "360"}, r"card\['fs'\] must be"),
        ({"leads": "MLII"}, r"card\['leads'\] must be a list of names .* got 'MLII'"),
        ({"records": [100, 101]}, r"card\['records'\] must be a list of names"),
        ({"segment_recording": 4.0}, r"card\['segment_recording'\] must be a dict"),
    ):
        with pytest.raises(ValueError, match=match):
            save_model(network_pipeline, tmp_path / "m.skecg", card=card)
    assert not (tmp_path / "m.skecg").exists()
    with pytest.raises(OSError, match=r"Cannot write the model file .*no_such_folder"):
        save_model(network_pipeline, tmp_path / "no_such_folder" / "m.skecg")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        save_model(network_pipeline, tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "missing.skecg")


def test_saving_overwrites_and_leaves_no_temporary_file(network_pipeline, tmp_path):
    path = tmp_path / "m.skecg"
    path.write_text("old")
    save_model(network_pipeline, path)
    assert read_model_card(path)["format_version"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.skecg"]


def test_grid_search_round_trip(beats, tmp_path):
    from sklearn.model_selection import GridSearchCV

    X = beats.data[:90, ::8]
    search = GridSearchCV(
        CNN1D(n_filters=4, n_blocks=1, n_dense=8, max_epochs=1, random_state=0),
        {"lr": [1e-3, 1e-2]},
        cv=2,
    ).fit(X, beats.target[:90])
    loaded = load_model(save_model(search, tmp_path / "search.skecg"))
    assert np.array_equal(loaded.predict_proba(X), search.predict_proba(X))
    assert loaded.best_params_ == search.best_params_
    assert not hasattr(loaded.estimator, "net_")


def test_feature_recipe_on_context_rows_round_trip(tmp_path):
    from sklearn_ecg.pipelines import make_feature_pipeline
    from sklearn_ecg.preprocessing import segment_recording

    beats = make_ecg_beats(
        n_samples=200,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=1,
        random_state=0,
    )
    centre, half = beats.data.shape[1] // 2, 150
    signal = beats.data[:, centre - half : centre + half].reshape(-1)
    peaks = np.arange(len(beats.target)) * 2 * half + half
    rows, _ = segment_recording(signal, fs=beats.fs, peaks=peaks, context=True)
    pipe = make_feature_pipeline(fs=beats.fs).fit(rows, beats.target)
    loaded = load_model(save_model(pipe, tmp_path / "features.skecg"))
    assert np.array_equal(loaded.predict_proba(rows), pipe.predict_proba(rows))


def test_morphology_features_saved_before_lowpass_load_unfiltered(tmp_path):
    X = np.random.default_rng(0).normal(size=(6, 400))
    est = MorphologyFeatures(fs=360).fit(X)
    expected = est.transform(X)
    del est.lowpass  # as a model file written before the parameter existed holds it
    save_model(est, tmp_path / "old.skecg")
    loaded = load_model(tmp_path / "old.skecg")
    assert loaded.lowpass is None
    np.testing.assert_array_equal(loaded.transform(X), expected)
