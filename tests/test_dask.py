"""The grouped grid search run on a dask cluster through joblib."""

import re
import threading

import joblib
import numpy as np
import pytest
from _helpers import tiny_network
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.model_selection import GridSearchCV, GroupKFold

from sklearn_ecg import (
    CNN1D,
    BeatSegmenter,
    DWTDenoiser,
    GaussianDerivativeFeatures,
    IncepSE,
)
from sklearn_ecg.datasets import make_ecg_beats

distributed = pytest.importorskip(
    "dask.distributed",
    reason="dask.distributed is not installed (pip install 'sklearn-ecg[dask]')",
)

TIMEOUT = 300  # seconds; a hung cluster fails the test instead of blocking the suite

ONE_EPOCH = dict(max_epochs=1, batch_size=32)


def make_search():
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
    return GridSearchCV(pipe, grid, cv=GroupKFold(n_splits=2))


@pytest.fixture(scope="module")
def client():
    # In-process workers start in a fraction of a second and need no second torch import.
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    client = distributed.Client(cluster, timeout="30s")
    try:
        client.wait_for_workers(2, timeout=30)
        yield client
    finally:
        client.close(timeout=30)
        cluster.close(timeout=30)


def _fit_with_timeout(client, search, X, y, groups):
    """``search.fit`` under the dask backend, recording the client's task stream."""
    outcome = {}

    def run():
        try:
            # joblib's backend choice is thread-local: enter it in the thread that fits.
            with distributed.get_task_stream(client) as stream:
                with joblib.parallel_backend("dask", wait_for_workers_timeout=30):
                    search.fit(X, y, groups=groups)
            outcome["tasks"] = stream.data
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        pytest.fail(
            f"the grid search on the dask cluster did not finish within {TIMEOUT} s"
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["tasks"]


def test_grid_search_on_dask_matches_sequential(client):
    beats = make_ecg_beats(
        n_samples=200,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=6,
        random_state=0,
    )
    X, y, groups = beats.data, beats.target, beats.groups

    sequential = make_search().fit(X, y, groups=groups)
    on_dask = make_search()
    tasks = _fit_with_timeout(client, on_dask, X, y, groups)

    # the fits ran as tasks on the cluster's workers
    workers = set(client.scheduler_info()["workers"])
    fit_tasks = [t for t in tasks if "fit_and_score" in t["key"]]
    assert fit_tasks, (
        f"no fit task went through the dask client; task keys: {[t['key'] for t in tasks]}"
    )
    assert {t["worker"] for t in fit_tasks} <= workers
    # joblib batches calls into tasks named "batch_of_<func>_<n>_calls-<id>": all 4 x 2 fits are there
    n_calls = sum(int(re.search(r"_(\d+)_calls", t["key"]).group(1)) for t in fit_tasks)
    assert n_calls == 4 * 2

    seq, par = sequential.cv_results_, on_dask.cv_results_
    assert set(par) == set(seq)
    assert [str(p) for p in par["params"]] == [str(p) for p in seq["params"]]
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        assert par[key].shape == seq[key].shape == (4,)
        assert np.all(np.isfinite(par[key]))
        # same seeds and splits; each threaded fit draws from its own torch generator
        np.testing.assert_array_equal(par[key], seq[key])
    assert str(on_dask.best_params_) == str(sequential.best_params_)
    np.testing.assert_array_equal(on_dask.predict(X), sequential.predict(X))
