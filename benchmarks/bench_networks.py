"""Training and inference throughput of the network estimators.

Prints beats (or records, or images) per second for each network, on the CPU
and, when available, on CUDA, with batches of 256:

- CNN1D on 187-sample beats (the Kachuee et al. input),
- IncepSE on 12-lead records of 1000 samples (PTB-XL at 100 Hz),
- AlexNetImage on 9-channel 64x64 images.

Training throughput is taken from skorch's per-epoch durations (the first
epoch is dropped when there are several, as warm-up); inference throughput
from ``predict_proba`` on the same data, after one warm-up call.

Run from the repository root::

    python benchmarks/bench_networks.py
    python benchmarks/bench_networks.py --networks CNN1D --n-samples 8192
"""

import argparse
import os
import time

import numpy as np
import torch

from sklearn_ecg import CNN1D, AlexNetImage, IncepSE

SETUPS = {
    # name: (estimator factory, sample shape, samples on CPU, samples on CUDA)
    "CNN1D": (CNN1D, (187,), 4096, 65536),
    "IncepSE": (IncepSE, (12, 1000), 256, 8192),
    "AlexNetImage": (AlexNetImage, (9, 64, 64), 512, 16384),
}


def bench(name, device, n_samples, epochs, batch_size=256):
    factory, shape, _, _ = SETUPS[name]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_samples, *shape)).astype(np.float32)
    y = rng.integers(0, 5, size=n_samples)
    clf = factory(
        max_epochs=epochs, batch_size=batch_size, device=device, random_state=0
    ).fit(X, y)
    durations = clf.net_.history[:, "dur"]
    durations = durations[1:] if len(durations) > 1 else durations
    train_rate = n_samples / np.mean(durations)
    clf.predict_proba(X[:batch_size])
    start = time.perf_counter()
    clf.predict_proba(X)
    predict_rate = n_samples / (time.perf_counter() - start)
    return train_rate, predict_rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--networks", nargs="+", default=list(SETUPS), choices=list(SETUPS)
    )
    parser.add_argument(
        "--n-samples",
        type=int,
        default=None,
        help="samples per network (default: per network)",
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument(
        "--no-cuda", action="store_true", help="skip CUDA even when available"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads (default: torch's choice)",
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    devices = ["cpu"] + (
        ["cuda"] if torch.cuda.is_available() and not args.no_cuda else []
    )
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, {os.cpu_count()} CPUs, "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    if "cuda" in devices:
        print(f"CUDA device: {torch.cuda.get_device_name(0)}")
    print(
        f"{'network':<13} {'input':<12} {'device':<6} {'train/s':>10} {'predict/s':>11}  load"
    )
    for name in args.networks:
        shape = SETUPS[name][1]
        for device in devices:
            n = args.n_samples or SETUPS[name][2 if device == "cpu" else 3]
            train_rate, predict_rate = bench(name, device, n, args.epochs)
            print(
                f"{name:<13} {'x'.join(map(str, shape)):<12} {device:<6} {train_rate:>10,.0f} {predict_rate:>11,.0f}"
                f"  {os.getloadavg()[0]:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
