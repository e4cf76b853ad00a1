"""The restore hooks of the network estimators: fitted state out, the same model back, no training."""

import json

import numpy as np
import pytest
import skorch
import torch
from _helpers import tiny_network
from sklearn.base import clone

from sklearn_ecg import CNN1D, AlexNetImage, IncepSE
from sklearn_ecg.datasets import make_multilabel_ecg


def _data(cls, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(48, 2, 12, 12) if cls is AlexNetImage else (48, 30)).astype(
        np.float32
    )
    y = np.array(["N", "S", "V"])[np.arange(48) % 3]
    return X, y


def _json_ready(attributes):
    """Arrays become lists: everything else must already be plain JSON."""
    return json.dumps(
        {
            k: v.tolist() if isinstance(v, np.ndarray) else v
            for k, v in attributes.items()
        }
    )


def _round_trip(clf):
    attributes, weights = clf._fitted_state()
    _json_ready(attributes)
    assert all(
        isinstance(w, torch.Tensor) and w.device.type == "cpu" for w in weights.values()
    )
    return clone(clf)._restore(attributes, weights)


@pytest.mark.parametrize("cls", [CNN1D, IncepSE, AlexNetImage])
def test_restored_model_predicts_bit_identically(cls, monkeypatch):
    X, y = _data(cls)
    clf = tiny_network(cls, class_weight="balanced").fit(X, y)
    expected = clf.predict_proba(X)
    for method in ("fit", "partial_fit", "fit_loop"):
        monkeypatch.setattr(
            skorch.NeuralNet, method, lambda *a, **k: pytest.fail("restoring trained")
        )
    restored = _round_trip(clf)
    np.testing.assert_array_equal(restored.predict_proba(X), expected)
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    assert (
        restored.input_shape_ == clf.input_shape_
        and restored.n_features_in_ == clf.n_features_in_
    )
    torch.testing.assert_close(
        restored.net_.criterion_.weight, clf.net_.criterion_.weight, rtol=0, atol=0
    )


def test_restore_keeps_extra_feature_scaling_and_multilabel_targets():
    X, Y = make_multilabel_ecg(
        n_samples=40,
        n_leads=1,
        fs=50,
        duration=1.0,
        n_labels=2,
        return_X_y=True,
        random_state=0,
    )
    X = np.hstack(
        [X[:, 0], np.random.default_rng(0).normal(5.0, 3.0, size=(40, 2))]
    ).astype(np.float32)
    clf = tiny_network(
        CNN1D,
        n_extra_features=2,
        gaussian_order=1,
        pos_weight="balanced",
    ).fit(X, Y)
    attributes, _ = clf._fitted_state()
    assert attributes["multilabel"] and attributes["extra_mean"].shape == (2,)
    restored = _round_trip(clf)
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert restored.predict(X).dtype == Y.dtype


@pytest.mark.skipif(
    torch.cuda.is_available(), reason="checks a device='auto' fit on a CPU-only machine"
)
@pytest.mark.parametrize("device", ["auto", "cuda"])
def test_restore_goes_to_the_cpu_without_cuda(device):
    X, y = _data(CNN1D)
    clf = tiny_network(CNN1D).fit(X, y)
    attributes, weights = clf._fitted_state()
    restored = clone(clf).set_params(device=device)._restore(attributes, weights)
    assert torch.device(restored.net_.device).type == "cpu"
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
