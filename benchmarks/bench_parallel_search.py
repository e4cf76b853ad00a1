"""A threaded grid search over a network: wall time against the sequential search, same results.

    python benchmarks/bench_parallel_search.py --n 600 --epochs 3

runs ``GridSearchCV(CNN1D(...), n_jobs=1)`` and the same search with
``n_jobs=2`` on joblib's threading backend, each fit on one torch thread,
and prints both wall times, their ratio (sequential / threaded: 2 would be
perfect overlap on two idle cores) and whether the cross-validation scores
and the refitted model's probabilities are bit-identical.  Every fit draws
its random numbers from its own ``torch.Generator``, so no lock makes the
threads take turns.  Timings depend on how busy the machine is: report the
load with the numbers.
"""

import argparse
import os
import time

import numpy as np
import torch
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV

from sklearn_ecg import CNN1D
from sklearn_ecg.datasets import make_ecg_beats


def _search(X, y, n_jobs, epochs):
    search = GridSearchCV(
        CNN1D(
            n_filters=16,
            n_blocks=2,
            n_dense=16,
            max_epochs=epochs,
            batch_size=32,
            random_state=0,
        ),
        {"lr": [1e-3, 3e-3], "kernel_size": [3, 5]},
        cv=2,
        n_jobs=n_jobs,
    )
    start = time.perf_counter()
    with parallel_backend("threading", n_jobs=n_jobs):
        search.fit(X, y)
    return search, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600, help="number of synthetic beats")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per fit")
    args = parser.parse_args()
    torch.set_num_threads(1)
    X, y = make_ecg_beats(
        n_samples=args.n,
        classes=("N", "S", "V"),
        fs=90,
        window=2.0,
        return_X_y=True,
        random_state=0,
    )
    sequential, t_seq = _search(X, y, 1, args.epochs)
    threaded, t_par = _search(X, y, 2, args.epochs)
    same_scores = np.array_equal(
        sequential.cv_results_["mean_test_score"],
        threaded.cv_results_["mean_test_score"],
    )
    same_proba = np.array_equal(sequential.predict_proba(X), threaded.predict_proba(X))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{len(sequential.cv_results_['params'])} candidates x 2 folds + refit, {args.n} beats, "
        f"{args.epochs} epochs, {os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print(f"sequential (n_jobs=1): {t_seq:7.1f} s")
    print(f"threaded   (n_jobs=2): {t_par:7.1f} s")
    print(f"speed-up: {t_seq / t_par:.2f}x")
    print(
        f"bit-identical cv scores: {same_scores}; bit-identical refit probabilities: {same_proba}"
    )


if __name__ == "__main__":
    main()
