"""Throughput of every preprocessing transformer, plus SignalToImage against pyts.

    SKLEARN_ECG_DATA=/path/to/data python benchmarks/bench_transformers.py

prints samples per second for each transformer on MIT-BIH context rows
(records 100 and 101: the 4 s window, the running template and 512 R-R
intervals) when ``SKLEARN_ECG_DATA`` holds ``mitdb/``, on synthetic rows
otherwise, then the image throughput table of ``bench_images.py``.  The
window transformers read the window part of the rows, the context ones the
whole rows.
"""

import argparse
import os
import time

import numpy as np
from bench_images import image_throughput, limit_threads, print_rows

from sklearn_ecg.preprocessing import (
    BeatSegmenter,
    DWTDenoiser,
    GaussianDerivativeFeatures,
    MorphologyFeatures,
    RelativeBeat,
    RhythmFeatures,
    SignalToImage,
    context_layout,
)

N_RR = 512  # the loaders' default R-R history


def load_rows(n, records=("100", "101")):
    """``n`` context rows at 360 Hz (float32) and where they come from."""
    if os.environ.get("SKLEARN_ECG_DATA"):
        from sklearn_ecg.datasets import load_mitbih

        X, _ = load_mitbih(
            records=list(records), context=True, n_rr=N_RR, return_X_y=True
        )
        return X[:n], f"MIT-BIH records {', '.join(records)}"
    from sklearn_ecg.datasets import make_ecg_beats

    X, _ = make_ecg_beats(
        n_samples=n, context=True, n_rr=N_RR, random_state=0, return_X_y=True
    )
    return X.astype(np.float32), "make_ecg_beats"


def _rate(func, X, repeat=3):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func(X)
        best = min(best, time.perf_counter() - start)
    return X.shape[0] / best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=2000, help="number of windows (default 2000)"
    )
    parser.add_argument(
        "--n-images", type=int, default=300, help="signals for the pyts comparison"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per library (0: defaults)"
    )
    args = parser.parse_args(argv)
    limit_threads(args.threads)

    rows, source = load_rows(args.n)
    windows = rows[:, context_layout(rows.shape[1], 360, n_rr=N_RR).window]
    beats = BeatSegmenter().fit_transform(windows)
    steps = [
        ("BeatSegmenter(kachuee)", BeatSegmenter(), windows),
        ("BeatSegmenter(window)", BeatSegmenter(method="window"), windows),
        ("RhythmFeatures", RhythmFeatures(n_rr=N_RR), rows),
        ("MorphologyFeatures", MorphologyFeatures(fs=360, n_rr=N_RR), rows),
        ("RelativeBeat", RelativeBeat(fs=360, n_rr=N_RR), rows),
        ("DWTDenoiser on windows", DWTDenoiser(), windows),
        ("DWTDenoiser on beats", DWTDenoiser(), beats),
        ("GaussianDerivativeFeatures on beats", GaussianDerivativeFeatures(), beats),
        ("SignalToImage(64) on beats", SignalToImage(), beats),
    ]
    print(
        f"{len(rows)} context rows of {rows.shape[1]} columns (windows of "
        f"{windows.shape[1]} samples) from {source}; "
        f"threads: {args.threads or 'library defaults'}"
    )
    print(f"{'transformer':>36} {'input':>12} {'samples/s':>12}")
    for name, est, X in steps:
        est.fit(X[:10])
        print(f"{name:>36} {str(X.shape[1:]):>12} {_rate(est.transform, X):>12.0f}")
    print()
    print_rows(image_throughput(n=args.n_images))


if __name__ == "__main__":
    main()
