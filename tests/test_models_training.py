"""Training options of the network estimators: skorch callbacks and options, grouped early stopping,
warm start, checkpoints, divergence, and reproducibility in threads."""

import inspect
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import sklearn
import torch
from _helpers import tiny_network
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from skorch.callbacks import Callback, Checkpoint, LRScheduler

from sklearn_ecg import CNN1D, AlexNetImage, IncepSE
from sklearn_ecg.models._parameters import TRAINING_PARAMETERS, format_default
from sklearn_ecg.models._training import validation_indices

NETWORKS = [CNN1D, IncepSE, AlexNetImage]


def data(n=60, n_times=30, seed=0, images=False):
    rng = np.random.default_rng(seed)
    y = np.array(["N", "S", "V"])[np.arange(n) % 3]
    X = rng.normal(size=(n, 2, 10, 10) if images else (n, n_times)).astype(np.float32)
    X.reshape(n, -1)[:, :5] += (y == "V")[:, None] * 2.0
    groups = np.arange(n) // 6  # ten "patients"
    return X, y, groups


class Recorder(Callback):
    """Records the validation indices and counts the trained epochs."""

    def initialize(self):
        self.valid_indices_ = None
        self.epochs_ = 0
        return self

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        if dataset_valid is not None:
            self.valid_indices_ = np.asarray(dataset_valid.indices)

    def on_epoch_end(self, net, **kwargs):
        self.epochs_ += 1


def recorder(clf):
    return dict(clf.net_.callbacks_)["recorder"]


# -- one declaration of the parameters --------------------------------------------
def _documented_parameters(cls):
    section = cls.__doc__.split("Parameters\n    ----------\n")[1].split("\n\n")[0]
    return re.findall(r"^    (\w+) : .*, default=(.*)$", section, flags=re.MULTILINE)


@pytest.mark.parametrize("cls", NETWORKS)
def test_docstring_and_signature_agree(cls):
    signature = inspect.signature(cls)
    documented = _documented_parameters(cls)
    assert [name for name, _ in documented] == list(signature.parameters)
    for name, default in documented:
        assert default == format_default(signature.parameters[name].default), name
    assert set(cls._parameter_constraints) == set(signature.parameters)
    # the shared training parameters are declared once, in the base, and only their defaults vary
    training = [p.name for p in TRAINING_PARAMETERS]
    assert list(signature.parameters)[-len(training) :] == training
    assert all(
        p.kind is p.KEYWORD_ONLY
        for name, p in signature.parameters.items()
        if name in training
    )


def test_architecture_parameters_are_positional_and_names_are_kept():
    clf = CNN1D(8, 3, 2, 16)
    assert (clf.n_filters, clf.kernel_size, clf.n_blocks, clf.n_dense) == (8, 3, 2, 16)
    with pytest.raises(TypeError):
        CNN1D(8, 3, 2, 16, 0)  # n_extra_features is keyword-only
    pipe = Pipeline([("clf", CNN1D())])
    assert pipe.set_params(clf__n_filters=4).get_params()["clf__n_filters"] == 4
    assert (
        IncepSE().max_epochs == 10 and IncepSE().lr == 3e-3 and CNN1D().max_epochs == 20
    )


# -- skorch callbacks and options ---------------------------------------------------
def test_callbacks_through_a_pipeline_and_a_grid_search(tmp_path):
    X, y, _ = data()
    schedule = LRScheduler(policy="StepLR", step_size=1, gamma=0.5)
    pipe = make_pipeline(
        FunctionTransformer(np.tanh),
        tiny_network(CNN1D, max_epochs=3, callbacks=[schedule]),
    )
    search = GridSearchCV(pipe, {"cnn1d__lr": [1e-2, 5e-3]}, cv=2).fit(X, y)
    net = search.best_estimator_[-1].net_
    lrs = [group["lr"] for group in net.optimizer_.param_groups]
    assert lrs == [pytest.approx(search.best_params_["cnn1d__lr"] * 0.5**3)]
    assert not hasattr(schedule, "lr_scheduler_"), (
        "the callback given by the user must not be changed"
    )
    checkpoint = Checkpoint(dirname=str(tmp_path / "best"), monitor="train_loss_best")
    clf = tiny_network(
        CNN1D, callbacks=[("best", checkpoint), ("recorder", Recorder())]
    ).fit(X, y)
    assert (tmp_path / "best" / "params.pt").exists()
    assert recorder(clf).epochs_ == 2


def test_net_params_reach_skorch(capsys):
    X, y, _ = data()
    params = {
        "optimizer__momentum": 0.5,
        "optimizer__nesterov": True,
        "callbacks__print_log__floatfmt": ".1f",
    }
    clf = tiny_network(CNN1D, optimizer="sgd", verbose=1, net_params=params).fit(X, y)
    group = clf.net_.optimizer_.param_groups[0]
    assert group["momentum"] == 0.5 and group["nesterov"]
    out = re.sub(
        r"\x1b\[[0-9;]*m", "", capsys.readouterr().out
    )  # skorch colours the best values
    losses = [
        line.split()[1] for line in out.splitlines() if line.strip()[:1].isdigit()
    ]
    assert len(losses) == 2 and all(re.fullmatch(r"\d+\.\d", loss) for loss in losses)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"callbacks": [object()]}, TypeError, "skorch callbacks"),
        (
            {"callbacks": [("early_stopping", LRScheduler())]},
            ValueError,
            "early_stopping",
        ),
        ({"net_params": {"lr": 0.1}}, ValueError, r"net_params\['lr'\].*use lr"),
        (
            {"net_params": {"module__n_filters": 3}},
            ValueError,
            "architecture parameters",
        ),
        (
            {"early_stopping_scoring": "f2_nonsense"},
            ValueError,
            "early_stopping_scoring",
        ),
        (
            {"early_stopping_scoring": "f1_macro"},
            ValueError,
            "needs validation_fraction",
        ),
    ],
)
def test_bad_skorch_options(params, error, match):
    X, y, _ = data(n=12)
    with pytest.raises(error, match=match):
        tiny_network(CNN1D, **params).fit(X, y)


# -- patient-wise early stopping ------------------------------------------------------
def test_validation_split_holds_out_whole_groups():
    _, y, groups = data()
    train, valid = validation_indices(0.3, y, groups, False, 0)
    assert set(groups[train]).isdisjoint(groups[valid]) and len(set(groups[valid])) == 3


def test_grouped_early_stopping_on_a_sklearn_score():
    X, y, groups = data()
    clf = tiny_network(
        CNN1D,
        max_epochs=30,
        validation_fraction=0.3,
        patience=2,
        early_stopping_scoring="f1_macro",
        callbacks=[("recorder", Recorder())],
    ).fit(X, y, groups=groups)
    valid = recorder(clf).valid_indices_
    train = np.setdiff1d(np.arange(len(y)), valid)
    assert set(groups[train]).isdisjoint(groups[valid])
    history = clf.net_.history
    assert "valid_score" in history[-1] and len(history) < 30
    scores = history[:, "valid_score"]
    assert all(0.0 <= s <= 1.0 for s in scores)
    # the best weights are restored: the final model scores like the best epoch
    from sklearn.metrics import f1_score

    restored = f1_score(y[valid], clf.predict(X[valid]), average="macro")
    assert restored == pytest.approx(max(scores), abs=1e-6)
    assert clf.net_.train_split is None, "the fitted net keeps no indices or groups"


def test_groups_are_routed_through_pipeline_and_grid_search():
    X, y, groups = data()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = tiny_network(
            CNN1D, validation_fraction=0.3, callbacks=[("recorder", Recorder())]
        ).set_fit_request(groups=True)
        pipe = Pipeline([("scale", FunctionTransformer(np.tanh)), ("clf", clf)]).fit(
            X, y, groups=groups
        )
        valid = recorder(pipe[-1]).valid_indices_
        assert set(groups[valid]).isdisjoint(np.delete(groups, valid))
        search = GridSearchCV(
            pipe, {"clf__n_filters": [2, 4]}, cv=GroupKFold(n_splits=2)
        ).fit(X, y, groups=groups)
        assert search.best_params_["clf__n_filters"] in (2, 4)


def test_groups_with_too_few_groups():
    X, y, _ = data(n=12)
    with pytest.raises(ValueError, match="only 1 distinct"):
        tiny_network(CNN1D, validation_fraction=0.3).fit(X, y, groups=np.zeros(12))
    with pytest.raises(ValueError, match="groups has 5 entries"):
        tiny_network(CNN1D, validation_fraction=0.3).fit(X, y, groups=np.arange(5))


# -- warm start and checkpoints -------------------------------------------------------
def test_warm_start_continues_training():
    X, y, _ = data()
    clf = tiny_network(CNN1D, warm_start=True)
    clf.fit(X, y)
    net, weights = clf.net_, clf.module_.stem.weight.detach().clone()
    last_loss = clf.net_.history[-1, "train_loss"]
    clf.fit(X[:30], y[:30])
    assert clf.net_ is net and len(clf.net_.history) == 4
    assert not torch.equal(clf.module_.stem.weight, weights)
    assert clf.net_.history[2, "train_loss"] < 1.5 * last_loss
    with pytest.raises(ValueError, match="unknown classes"):
        clf.fit(X, np.where(y == "N", "Q", y))
    with pytest.raises(ValueError, match="features"):
        clf.fit(X[:, :20], y)
    cold = tiny_network(CNN1D).fit(X, y)
    first = cold.net_
    assert cold.fit(X, y).net_ is not first and len(cold.net_.history) == 2


def test_checkpoint_dir_resumes_an_interrupted_run(tmp_path):
    X, y, _ = data()

    class Crash(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:
                raise RuntimeError("power cut")

    params = {"max_epochs": 4, "checkpoint_dir": tmp_path}
    with pytest.raises(RuntimeError, match="power cut"):
        tiny_network(CNN1D, **params, callbacks=[Crash()]).fit(X, y)
    resumed = tiny_network(CNN1D, **params, callbacks=[("recorder", Recorder())]).fit(
        X, y
    )
    assert len(resumed.net_.history) == 4 and recorder(resumed).epochs_ == 2
    with pytest.raises(ValueError, match="checkpoint_dir"):
        tiny_network(CNN1D, n_filters=6, checkpoint_dir=tmp_path).fit(X, y)


def test_verbose_two_shows_a_progress_bar(capsys):
    X, y, _ = data(n=24)
    tiny_network(CNN1D, max_epochs=1, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    assert "train_loss" in captured.out and "it/s" in captured.err + captured.out


# -- divergence ------------------------------------------------------------------------
def test_diverging_training_stops_with_a_clear_error():
    X, y, _ = data()
    clf = tiny_network(CNN1D, lr=1e30, max_epochs=5)
    with pytest.raises(FloatingPointError, match=r"lr=1e\+30.*standardise"):
        clf.fit(X * 1e15, y)
    assert not hasattr(clf, "net_"), "no NaN model is left behind"


# -- randomness owned by each fit --------------------------------------------------------
@pytest.mark.parametrize("cls", NETWORKS)
def test_fits_in_threads_are_reproducible_and_leave_torch_alone(cls):
    X, y, _ = data(images=cls is AlexNetImage)
    params = {"validation_fraction": 0.25}
    state = torch.get_rng_state()
    sequential = [
        tiny_network(cls, random_state=seed, **params).fit(X, y).predict_proba(X)
        for seed in (0, 1, 0, 1)
    ]
    assert torch.equal(torch.get_rng_state(), state)
    barrier = threading.Barrier(4)

    def fit(seed):
        barrier.wait()
        return tiny_network(cls, random_state=seed, **params).fit(X, y).predict_proba(X)

    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(fit, (0, 1, 0, 1)))
    for a, b in zip(sequential, threaded):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(sequential[0], sequential[2])
    assert not np.array_equal(sequential[0], sequential[1])


def test_no_global_lock_is_left():
    from sklearn_ecg.models import _base

    assert not any(isinstance(v, type(threading.RLock())) for v in vars(_base).values())
