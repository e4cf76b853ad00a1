"""Throughput of SignalToImage against pyts, per image method and input length.

    python benchmarks/bench_images.py --n 300

prints images per second for pyts and for :class:`sklearn_ecg.SignalToImage`
and their ratio, for 187-sample beats and 1000-sample records at
``image_size=64``.  Both are timed after a warm-up call, best of
``--repeat`` calls.  By default both run on one thread (pyts' numba loops
and numpy's BLAS alike), a like-for-like comparison; ``--threads 0`` keeps
each library's default.  Importing pyts compiles its numba kernels, which
takes about 30 s of CPU before the first timing.
"""

import argparse
import time

import numpy as np

from sklearn_ecg.preprocessing import SignalToImage

METHODS = ("gasf", "gadf", "mtf", "rp")


def _pyts_transform(method, image_size, n_bins):
    """A callable running the pyts transformer that matches ``method``."""
    from pyts.approximation import PiecewiseAggregateApproximation
    from pyts.image import GramianAngularField, MarkovTransitionField, RecurrencePlot

    if method in ("gasf", "gadf"):
        kind = "summation" if method == "gasf" else "difference"
        return GramianAngularField(image_size=image_size, method=kind).transform
    if method == "mtf":
        return MarkovTransitionField(image_size=image_size, n_bins=n_bins).transform
    paa = PiecewiseAggregateApproximation(
        window_size=None, output_size=image_size, overlapping=False
    )
    rp = RecurrencePlot()
    return lambda X: rp.transform(paa.transform(X) if X.shape[1] > image_size else X)


def _rate(func, X, repeat):
    """Best images per second over ``repeat`` timed calls."""
    func(X[:2])
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func(X)
        best = min(best, time.perf_counter() - start)
    return X.shape[0] / best


def image_throughput(
    n=500, lengths=(187, 1000), image_size=64, n_bins=5, repeat=5, seed=0
):
    """Images per second of pyts and of SignalToImage, one row per method and length.

    Parameters
    ----------
    n : int, default=500
        Number of signals per timing.
    lengths : tuple of int, default=(187, 1000)
        Input lengths in samples.
    image_size : int, default=64
        Image side.
    n_bins : int, default=5
        Bins of the Markov transition field.
    repeat : int, default=5
        Timed calls per measurement; the fastest counts.
    seed : int, default=0
        Seed of the random-walk test signals.

    Returns
    -------
    rows : list of dict
        Keys ``method``, ``length``, ``pyts``, ``ours`` (images per second)
        and ``ratio`` (``ours / pyts``).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for length in lengths:
        X = rng.normal(size=(n, length)).cumsum(axis=1)
        for method in METHODS:
            ours = SignalToImage(
                methods=(method,), image_size=image_size, mtf_n_bins=n_bins
            ).fit(X)
            theirs = _rate(_pyts_transform(method, image_size, n_bins), X, repeat)
            mine = _rate(ours.transform, X.astype(np.float32), repeat)
            rows.append(
                dict(
                    method=method,
                    length=length,
                    pyts=theirs,
                    ours=mine,
                    ratio=mine / theirs,
                )
            )
    return rows


def print_rows(rows):
    """Print the rows of :func:`image_throughput` as a table."""
    print(
        f"{'method':>6} {'length':>6} {'pyts img/s':>12} {'ours img/s':>12} {'ratio':>7}"
    )
    for r in rows:
        print(
            f"{r['method']:>6} {r['length']:>6} {r['pyts']:>12.0f} {r['ours']:>12.0f} {r['ratio']:>6.1f}x"
        )


def limit_threads(n_threads):
    """Run numba (pyts) and BLAS (numpy) on ``n_threads`` threads; 0 keeps the defaults."""
    if n_threads <= 0:
        return None
    import numba
    from threadpoolctl import threadpool_limits

    numba.set_num_threads(min(n_threads, numba.config.NUMBA_NUM_THREADS))
    return threadpool_limits(n_threads)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=300, help="number of signals (default 300)"
    )
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--lengths", type=int, nargs="+", default=[187, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per library (0: defaults)"
    )
    args = parser.parse_args(argv)
    limit_threads(args.threads)
    print(f"threads: {args.threads or 'library defaults'}")
    print_rows(
        image_throughput(
            args.n, tuple(args.lengths), args.image_size, repeat=args.repeat
        )
    )


if __name__ == "__main__":
    main()
