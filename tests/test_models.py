"""Tests of the network estimators CNN1D, IncepSE and AlexNetImage."""

import pickle
import warnings

import joblib
import numpy as np
import pytest
import skorch
import torch
from _helpers import small_network
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import check_estimator

from sklearn_ecg import CNN1D, AlexNetImage, IncepSE
from sklearn_ecg.datasets import make_ecg_beats, make_multilabel_ecg


@pytest.fixture(scope="module")
def beats():
    """Synthetic N/S/V beats, 180 samples each, split 300 / 100."""
    X, y = make_ecg_beats(
        n_samples=400,
        classes=("N", "S", "V"),
        fs=90,
        window=2.0,
        return_X_y=True,
        random_state=0,
    )
    return X[:300], y[:300], X[300:], y[300:]


def as_images(X):
    """Tiny 2-channel images of a beat: outer product and pairwise differences."""
    b = X[:, ::6]
    b = (b - b.mean(axis=1, keepdims=True)) / b.std(axis=1, keepdims=True)
    return np.stack(
        [b[:, :, None] * b[:, None, :], b[:, :, None] - b[:, None, :]], axis=1
    ).astype(np.float32)


def inputs_for(cls, X):
    return as_images(X) if cls is AlexNetImage else X


def majority_accuracy(y_train, y_test):
    values, counts = np.unique(y_train, return_counts=True)
    return np.mean(y_test == values[np.argmax(counts)])


# -- learning ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "cls, params",
    [
        (CNN1D, {}),
        (IncepSE, dict(batch_size=16)),
        (AlexNetImage, dict(lr=3e-3, batch_size=16)),
    ],
    ids=["CNN1D", "IncepSE", "AlexNetImage"],
)
def test_networks_beat_the_majority_baseline(beats, cls, params):
    X_train, y_train, X_test, y_test = beats
    clf = small_network(cls, **params).fit(inputs_for(cls, X_train), y_train)
    accuracy = np.mean(clf.predict(inputs_for(cls, X_test)) == y_test)
    assert accuracy > majority_accuracy(y_train, y_test) + 0.2
    assert set(clf.classes_) == {"N", "S", "V"}


def test_multilabel_multilead():
    X, Y = make_multilabel_ecg(
        n_samples=200,
        n_leads=3,
        fs=50,
        duration=5.0,
        n_labels=3,
        return_X_y=True,
        random_state=0,
    )
    clf = small_network(IncepSE, max_epochs=5, batch_size=16).fit(X[:150], Y[:150])
    assert clf.net_.criterion_.__class__ is torch.nn.BCEWithLogitsLoss
    Y_pred = clf.predict(X[150:])
    proba = clf.predict_proba(X[150:])
    assert Y_pred.shape == proba.shape == (50, 3)
    assert Y_pred.dtype == Y.dtype
    np.testing.assert_array_equal(Y_pred, (proba >= 0.5).astype(Y.dtype))
    assert np.all((proba >= 0) & (proba <= 1))
    # tachycardia and wide QRS show in leads I-III (ST elevation does not)
    visible = [0, 2]
    accuracy = np.mean(Y_pred[:, visible] == Y[150:, visible], axis=0)
    baseline = np.maximum(
        Y[150:, visible].mean(axis=0), 1 - Y[150:, visible].mean(axis=0)
    )
    assert np.mean(accuracy - baseline) > 0.1


def test_multilabel_pos_weight_balanced():
    X, Y = make_multilabel_ecg(
        n_samples=40,
        n_leads=2,
        fs=50,
        duration=2.0,
        n_labels=2,
        return_X_y=True,
        random_state=0,
    )
    clf = small_network(CNN1D, pos_weight="balanced", max_epochs=1).fit(X, Y)
    positives = Y.sum(axis=0)
    expected = (len(Y) - positives) / positives
    np.testing.assert_allclose(
        clf.net_.criterion_.pos_weight.numpy(), expected, rtol=1e-6
    )


def test_string_labels_round_trip():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 30)).astype(np.float32)
    y = np.array(["N", "S", "V"], dtype=object)[np.arange(60) % 3]
    X[y == "V", 10:20] += 3.0
    clf = small_network(CNN1D, max_epochs=2).fit(X, y)
    assert list(clf.classes_) == ["N", "S", "V"]
    pred = clf.predict(X)
    assert pred.dtype == object and set(pred) <= {"N", "S", "V"}
    assert clf.predict_proba(X).shape == (60, 3)


@pytest.mark.parametrize("cls", [CNN1D, IncepSE])
def test_extra_features_are_used(cls):
    """The label depends only on the appended tabular column: the network must read it."""
    rng = np.random.default_rng(0)
    signal = rng.normal(size=(300, 40))
    rr = rng.normal(size=(300, 2))
    y = (rr[:, 1] > 0).astype(int)
    X = np.hstack([signal, 0.2 + 0.05 * rr]).astype(
        np.float32
    )  # small raw scale: standardised inside
    clf = small_network(cls, n_extra_features=2, max_epochs=12).fit(X[:200], y[:200])
    assert clf.n_features_in_ == 42
    assert np.mean(clf.predict(X[200:]) == y[200:]) > 0.85


@pytest.mark.parametrize("cls", [CNN1D, IncepSE])
def test_gaussian_front_layer_is_learned(beats, cls):
    X, y = beats[0][:96], beats[1][:96]
    clf = small_network(cls, gaussian_order=2, sigma=2.0, max_epochs=2).fit(X, y)
    layer = clf.module_.gaussian
    assert layer.order == 2 and layer.log_sigma.requires_grad
    sigma = float(layer.sigma[0])
    assert np.isfinite(sigma) and sigma > 0 and sigma != pytest.approx(2.0, abs=1e-4)


# -- sklearn tooling --------------------------------------------------------------
@pytest.mark.parametrize("cls", [CNN1D, IncepSE, AlexNetImage])
def test_pipeline_joblib_round_trip(cls, beats, tmp_path):
    X_train, y_train, X_test, _ = beats
    X_train, X_test = inputs_for(cls, X_train[:64]), inputs_for(cls, X_test[:20])
    pipe = make_pipeline(
        FunctionTransformer(np.tanh), small_network(cls, max_epochs=1)
    ).fit(X_train, y_train[:64])
    path = tmp_path / "model.joblib"
    joblib.dump(pipe, path)
    loaded = joblib.load(path)
    np.testing.assert_array_equal(
        loaded.predict_proba(X_test), pipe.predict_proba(X_test)
    )


def test_clone_gridsearch_cross_validate(beats):
    X, y = beats[0][:120], beats[1][:120]
    search = GridSearchCV(
        small_network(CNN1D, max_epochs=1), {"n_filters": [4, 8]}, cv=2
    ).fit(X, y)
    assert search.best_params_["n_filters"] in (4, 8)
    scores = cross_validate(small_network(CNN1D, max_epochs=1), X, y, cv=2)
    assert scores["test_score"].shape == (2,)
    unfitted = clone(search.best_estimator_)
    assert (
        not hasattr(unfitted, "net_")
        and unfitted.get_params() == search.best_estimator_.get_params()
    )


def test_deterministic_given_random_state(beats):
    X, y = beats[0][:100], beats[1][:100]
    state = torch.get_rng_state()
    first = (
        small_network(CNN1D, gaussian_order=1, validation_fraction=0.2)
        .fit(X, y)
        .predict_proba(X)
    )
    assert torch.equal(torch.get_rng_state(), state), (
        "fit must not change torch's global random state"
    )
    second = (
        small_network(CNN1D, gaussian_order=1, validation_fraction=0.2)
        .fit(X, y)
        .predict_proba(X)
    )
    np.testing.assert_array_equal(first, second)
    other = (
        small_network(CNN1D, gaussian_order=1, validation_fraction=0.2, random_state=1)
        .fit(X, y)
        .predict_proba(X)
    )
    assert not np.array_equal(first, other)


def test_early_stopping_and_callbacks(beats):
    X, y = beats[0][:120], beats[1][:120]
    rng = np.random.default_rng(0)
    clf = small_network(
        CNN1D,
        max_epochs=40,
        validation_fraction=0.25,
        patience=2,
        clip_grad_norm=1.0,
        class_weight="balanced",
    ).fit(X, rng.permutation(y))
    history = clf.net_.history
    assert len(history) < 40
    assert "valid_loss" in history[-1]
    names = [name for name, _ in clf.net_.callbacks]
    assert "early_stopping" in names and "gradient_clipping" in names
    weight = clf.net_.criterion_.weight
    assert weight is not None and weight.shape == (3,)


def test_verbose_prints_the_epoch_table(beats, capsys):
    X, y = beats[0][:64], beats[1][:64]
    small_network(CNN1D, max_epochs=2, verbose=0).fit(X, y)
    assert capsys.readouterr().out == ""
    small_network(CNN1D, max_epochs=2, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "epoch" in out and "train_loss" in out
    assert len([line for line in out.splitlines() if line.strip()[:1].isdigit()]) == 2


@pytest.mark.parametrize("optimizer", ["sgd", "adamw", torch.optim.RMSprop])
def test_optimizers(beats, optimizer):
    X, y = beats[0][:64], beats[1][:64]
    clf = small_network(
        CNN1D, max_epochs=1, optimizer=optimizer, weight_decay=1e-4
    ).fit(X, y)
    expected = {"sgd": torch.optim.SGD, "adamw": torch.optim.AdamW}.get(
        optimizer, optimizer
    )
    assert type(clf.net_.optimizer_) is expected


# -- persistence across devices -----------------------------------------------------
@pytest.mark.skipif(
    torch.cuda.is_available(),
    reason="checks loading a CUDA model on a CPU-only machine",
)
def test_model_saved_on_gpu_predicts_on_cpu(beats):
    X, y = beats[0][:64], beats[1][:64]
    clf = small_network(CNN1D, max_epochs=1).fit(X, y)
    expected = clf.predict_proba(X)
    clf.net_.device = "cuda"  # as if fitted on a GPU machine
    data = pickle.dumps(clf)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = pickle.loads(data)
    assert any("CUDA" in str(w.message) or "cuda" in str(w.message) for w in caught)
    assert torch.device(loaded.net_.device).type == "cpu"
    assert all(p.device.type == "cpu" for p in loaded.module_.parameters())
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)


# -- transfer learning --------------------------------------------------------------
def test_transfer_learning_freezes_blocks_and_replaces_the_head(beats):
    X, y = beats[0][:150], beats[1][:150]
    source = small_network(CNN1D, n_blocks=3).fit(X, y)
    source_state = {k: v.clone() for k, v in source.module_.state_dict().items()}
    # a new task with two classes, as arrhythmia -> myocardial infarction
    y_new = np.where(y == "N", "healthy", "MI")
    k = 3
    clf = small_network(
        CNN1D, n_blocks=3, warm_start_from=source, freeze_blocks=k, max_epochs=2
    ).fit(X, y_new)
    assert list(clf.classes_) == ["MI", "healthy"]
    assert clf.module_.output.out_features == 2
    blocks = clf.module_.blocks()
    frozen = {id(p) for block in blocks[:k] for p in block.parameters()}
    for name, param in clf.module_.named_parameters():
        if id(param) in frozen:
            torch.testing.assert_close(
                param.detach(), source_state[name], rtol=0, atol=0
            )
            assert not param.requires_grad
        elif not name.startswith("output."):
            assert not torch.equal(param.detach(), source_state[name]), name
    # the source model is not modified
    torch.testing.assert_close(
        source.module_.state_dict(), source_state, rtol=0, atol=0
    )


def test_transfer_learning_keeps_batch_norm_statistics_frozen(beats):
    X, y = beats[0][:64], beats[1][:64]
    source = small_network(IncepSE, max_epochs=1).fit(X, y)
    before = {k: v.clone() for k, v in source.module_.state_dict().items()}
    clf = small_network(
        IncepSE, max_epochs=1, warm_start_from=source.module_, freeze_blocks=1
    ).fit(X, y == "N")
    first = clf.module_.blocks()[0]
    for name, value in first.state_dict().items():
        torch.testing.assert_close(
            value,
            before["features.inceptions.0." + name[2:]]
            if name.startswith("0.")
            else before["features.excitations.0." + name[2:]],
            rtol=0,
            atol=0,
        )


def test_transfer_learning_under_clone(beats):
    X, y = beats[0][:80], beats[1][:80]
    source = small_network(CNN1D).fit(X, y)
    with pytest.raises(ValueError, match="module_"):
        clone(small_network(CNN1D, warm_start_from=source)).fit(X, y)
    scores = cross_validate(
        small_network(
            CNN1D, warm_start_from=source.module_, freeze_blocks=2, max_epochs=1
        ),
        X,
        y,
        cv=2,
    )
    assert scores["test_score"].shape == (2,)


# -- bad input: ValueError before any torch code runs -------------------------------
@pytest.fixture
def no_torch(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("torch ran before the input was validated")

    monkeypatch.setattr(skorch.NeuralNet, "initialize", fail)


def _signals(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: (CNN1D(), _signals((10, 2, 8, 8)), np.arange(10) % 2), "AlexNetImage"),
        (lambda: (IncepSE(), _signals((10, 2, 8, 8)), np.arange(10) % 2), "images"),
        (lambda: (CNN1D(), _signals((10,)), np.arange(10) % 2), "2D"),
        (
            lambda: (AlexNetImage(), _signals((10, 1, 2, 4, 4)), np.arange(10) % 2),
            "4-D",
        ),
        (
            lambda: (
                CNN1D(),
                np.where(np.eye(10, 12) > 0, np.nan, 0.0),
                np.arange(10) % 2,
            ),
            "NaN",
        ),
        (
            lambda: (
                CNN1D(),
                np.where(np.eye(10, 12) > 0, np.inf, 0.0),
                np.arange(10) % 2,
            ),
            "infinity",
        ),
        (lambda: (CNN1D(), _signals((10, 12)), np.zeros(10)), "one class"),
        (
            lambda: (
                CNN1D(validation_fraction=0.5),
                _signals((5, 12)),
                np.arange(5) % 3,
            ),
            "validation_fraction",
        ),
        (
            lambda: (
                CNN1D(n_extra_features=2),
                _signals((10, 2, 12)),
                np.arange(10) % 2,
            ),
            "n_extra_features",
        ),
        (
            lambda: (CNN1D(n_extra_features=12), _signals((10, 12)), np.arange(10) % 2),
            "n_extra_features",
        ),
        (
            lambda: (CNN1D(pos_weight=2.0), _signals((10, 12)), np.arange(10) % 2),
            "pos_weight",
        ),
        (
            lambda: (CNN1D(freeze_blocks=2), _signals((10, 12)), np.arange(10) % 2),
            "warm_start_from",
        ),
        (lambda: (CNN1D(lr=-1.0), _signals((10, 12)), np.arange(10) % 2), "lr"),
        (
            lambda: (CNN1D(optimizer="adagrad"), _signals((10, 12)), np.arange(10) % 2),
            "optimizer",
        ),
        (
            lambda: (CNN1D(), _signals((10, 12)), np.linspace(0, 1, 10)),
            "Unknown label type",
        ),
        (
            lambda: (CNN1D(), np.full((10, 12), 1e39), np.arange(10) % 2),
            "float32 range",
        ),
        (
            lambda: (IncepSE(), -np.full((10, 2, 12), 1e39), np.arange(10) % 2),
            "float32 range",
        ),
        (
            lambda: (
                CNN1D(class_weight={0: np.nan, 1: 1.0}),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "class_weight",
        ),
        (
            lambda: (
                CNN1D(class_weight={0: -1.0, 1: 1.0}),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "class_weight",
        ),
        (
            lambda: (
                CNN1D(class_weight={0: 0.0, 1: 0.0}),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "not all zero",
        ),
        (
            lambda: (
                CNN1D(class_weight={"0": 1.0, "1": 2.0}),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "none of which",
        ),
        (
            lambda: (
                CNN1D(class_weight={0: 1.0, 5: 1.0}),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            r"\[1\].*class_weight",
        ),
        (
            lambda: (CNN1D(device="CPU"), _signals((10, 12)), np.arange(10) % 2),
            "device='CPU'",
        ),
        (
            lambda: (
                AlexNetImage(device="nonsense"),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "device='nonsense'",
        ),
        (
            lambda: (CNN1D(device="cuda:x"), _signals((10, 12)), np.arange(10) % 2),
            "device=",
        ),
        (
            lambda: (CNN1D(gaussian_order=60), _signals((10, 12)), np.arange(10) % 2),
            "gaussian_order",
        ),
        (
            lambda: (
                IncepSE(gaussian_order=2, sigma=0.01),
                _signals((10, 12)),
                np.arange(10) % 2,
            ),
            "sigma",
        ),
        (
            lambda: (IncepSE(sigma=np.inf), _signals((10, 12)), np.arange(10) % 2),
            "sigma",
        ),
    ],
)
def test_bad_input_raises_before_torch(no_torch, make, match):
    clf, X, y = make()
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


def test_bad_multilabel_parameters_raise_before_torch(no_torch):
    X = _signals((10, 12))
    Y = np.stack([np.arange(10) % 2, np.arange(10) // 5], axis=1)
    with pytest.raises(ValueError, match="class_weight"):
        CNN1D(class_weight="balanced").fit(X, Y)
    with pytest.raises(ValueError, match="pos_weight"):
        CNN1D(pos_weight=[1.0, 2.0, 3.0]).fit(X, Y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_device_without_cuda_raises(no_torch):
    with pytest.raises(ValueError, match="CUDA"):
        CNN1D(device="cuda").fit(_signals((10, 12)), np.arange(10) % 2)


def test_even_kernel_sizes_raise_before_torch(no_torch):
    with pytest.raises(ValueError, match="kernel_sizes"):
        IncepSE(kernel_sizes=(10, 5)).fit(_signals((10, 12)), np.arange(10) % 2)
    with pytest.raises(ValueError, match="kernel_size"):
        CNN1D(kernel_size=4).fit(_signals((10, 12)), np.arange(10) % 2)


def test_predict_checks_the_input(beats):
    X, y = beats[0][:40], beats[1][:40]
    clf = small_network(CNN1D, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :50])
    multilead = small_network(CNN1D, max_epochs=1).fit(X[:, None, :], y)
    with pytest.raises(ValueError, match=r"4-D\) but CNN1D was fitted on 3-D arrays"):
        multilead.predict(X[:, None, None, :])
    with pytest.raises(
        ValueError,
        match=r"2-D\) but CNN1D was fitted on 3-D arrays of shape \(n_samples, 1, 180\)",
    ):
        multilead.predict(X)
    with pytest.raises(ValueError, match="NaN"):
        clf.predict(np.full_like(X, np.nan))


@pytest.mark.parametrize(
    "cls, fit_shape, bad_shape, match",
    [
        (
            IncepSE,
            (12, 2, 40),
            (12, 2, 30),
            r"fitted on arrays of shape \(n_samples, 2, 40\)",
        ),
        (IncepSE, (12, 2, 40), (12, 3, 40), r"number of leads"),
        (IncepSE, (12, 40), (12, 1, 40), r"3-D\) but IncepSE was fitted on 2-D arrays"),
        (AlexNetImage, (12, 2, 8, 8), (12, 2, 9, 9), r"image size"),
        (
            AlexNetImage,
            (12, 2, 8, 8),
            (12, 8, 8),
            r"3-D\) but AlexNetImage was fitted on 4-D arrays",
        ),
        (CNN1D, (12, 1, 40), (12, 1, 41), r"\(n_samples, 1, 40\)"),
    ],
)
def test_predict_enforces_the_training_input_shape(cls, fit_shape, bad_shape, match):
    clf = small_network(cls, max_epochs=1).fit(_signals(fit_shape), np.arange(12) % 2)
    with pytest.raises(ValueError, match=match):
        clf.predict(_signals(bad_shape))


def test_alexnet_reads_2d_input_as_one_row_images():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    clf = small_network(AlexNetImage, max_epochs=1).fit(X, y)
    assert clf.n_features_in_ == 6 and clf.module_.conv1[0].in_channels == 1
    clf.module_.eval()
    with torch.no_grad():
        direct = torch.softmax(
            clf.module_(torch.from_numpy(X.reshape(40, 1, 1, 6))), dim=1
        ).numpy()
    np.testing.assert_allclose(clf.predict_proba(X), direct, rtol=1e-5)


# -- scikit-learn's checks with the default hyper-parameters ------------------------
@pytest.mark.slow
@pytest.mark.parametrize("cls", [CNN1D, IncepSE, AlexNetImage])
def test_check_estimator_with_default_parameters(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(cls())
