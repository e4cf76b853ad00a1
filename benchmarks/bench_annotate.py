"""Speed of annotating a record, against wfdb's XQRS detector alone.

Two ratios:

1. **annotate / XQRS**: the wall time of
   :func:`sklearn_ecg.annotation.annotate_record` (what ``python -m
   sklearn_ecg annotate`` runs) on one 30-minute 360 Hz record (read, detect
   with XQRS, cut the context rows, classify every beat with the recommended
   pipeline, write the annotation file) over the time of ``wfdb.processing.xqrs_detect`` alone
   on the same signal.  Target: at most 2.
2. **estimator / raw torch**: inference throughput (beats per second) of the
   pipeline's network through ``predict_proba`` over that of its bare torch
   module in ``torch.inference_mode`` on the same inputs and batch size.
   Target: at least 0.8.

The record is MIT-BIH record 100 when ``SKLEARN_ECG_DATA`` holds ``mitdb/``,
else a synthetic 30-minute record stitched from generated beats.  The model
is the recommended beat pipeline (on context rows) trained for one epoch on
synthetic beats (prediction time does not depend on how well it is trained).  Every timing is
the best of ``--repeat`` runs after a warm-up (3 x ``--repeat`` for the
inference pair), the two sides of each ratio run alternately so that the
load of a shared machine weighs on both alike.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_annotate.py
    SKLEARN_ECG_DATA=/path/to/data PYTHONPATH=$PWD python benchmarks/bench_annotate.py --threads 1
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np


def best_of(repeat, func):
    func()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_interleaved(repeat, first, second):
    """Best times of two functions run alternately, so that load on a shared machine hits both alike."""
    first(), second()
    times = ([], [])
    for _ in range(repeat):
        for func, out in zip((first, second), times):
            start = time.perf_counter()
            func()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def synthetic_record(folder, minutes=30, fs=360):
    import wfdb

    from sklearn_ecg.datasets import make_ecg_beats

    n_beats = int(minutes * 60 / 0.85)
    beats = make_ecg_beats(
        n_samples=n_beats,
        n_patients=1,
        weights=(0.8, 0.1, 0.1, 0.0, 0.0),
        classes=("N", "S", "V", "F", "Q"),
        random_state=0,
    )
    centre, half = beats.data.shape[1] // 2, int(0.425 * fs)
    signal = beats.data[:, centre - half : centre + half].reshape(-1).astype(np.float64)
    wfdb.wrsamp(
        "synthetic",
        fs=fs,
        units=["mV"],
        sig_name=["MLII"],
        p_signal=signal[:, None],
        fmt=["16"],
        write_dir=str(folder),
    )
    return Path(folder) / "synthetic", "synthetic 30-minute record (make_ecg_beats)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs per measurement (best is kept)",
    )
    args = parser.parse_args()

    import torch
    import wfdb
    from wfdb.processing import xqrs_detect

    from sklearn_ecg import load_model, save_model
    from sklearn_ecg.annotation import annotate_record
    from sklearn_ecg.datasets import make_ecg_beats, read_wfdb_record
    from sklearn_ecg.pipelines import make_beat_pipeline
    from sklearn_ecg.preprocessing import segment_recording

    torch.set_num_threads(args.threads)
    work = Path(tempfile.mkdtemp())
    data = os.environ.get("SKLEARN_ECG_DATA")
    mitdb = Path(data) / "mitdb" if data else None
    if mitdb is not None and (mitdb / "100.hea").is_file():
        for ext in ("hea", "dat"):
            shutil.copy(mitdb / f"100.{ext}", work / f"100.{ext}")
        record, source = work / "100", "MIT-BIH record 100 (30 min, 360 Hz)"
    else:
        record, source = synthetic_record(work)

    rows = {"window": 4.0, "context": True, "n_rr": 512, "n_next": 1, "n_template": 64}
    beats = make_ecg_beats(
        n_samples=600, context=True, n_rr=rows["n_rr"], random_state=0
    )
    pipe = make_beat_pipeline(
        fs=beats.fs, n_rr=rows["n_rr"], max_epochs=1, random_state=0
    )
    pipe.fit(beats.data, beats.target, clf__groups=beats.groups)
    model_path = save_model(
        pipe, work / "model.skecg", card={"fs": beats.fs, "segment_recording": rows}
    )
    model, card = load_model(model_path, return_card=True)

    signal = read_wfdb_record(record).signal
    minutes = signal.size / 360 / 60
    t_xqrs, t_annotate = best_of_interleaved(
        args.repeat,
        lambda: xqrs_detect(signal.astype(np.float64), fs=360, verbose=False),
        lambda: annotate_record(record, model, card, extension="skecg", overwrite=True),
    )
    windows, peaks = segment_recording(signal, fs=360, **rows)
    t_segment = best_of(
        args.repeat, lambda: segment_recording(signal, fs=360, peaks=peaks, **rows)
    )
    t_predict = best_of(args.repeat, lambda: model.predict(windows))
    n_written = len(wfdb.rdann(str(record), "skecg").sample)

    print(
        f"Machine: {os.cpu_count()} CPU cores, torch {torch.__version__}, {args.threads} torch thread(s)"
    )
    print(f"Record: {source}, {minutes:.1f} min, {n_written} beats annotated")
    print(f"  XQRS alone                 {t_xqrs:7.2f} s")
    print(
        f"  annotate (whole command)   {t_annotate:7.2f} s   ratio {t_annotate / t_xqrs:.2f} (target <= 2)"
    )
    print(
        f"    of which: context rows {t_segment:.2f} s, features + network {t_predict:.2f} s"
    )

    features = model[:-1].transform(windows)
    clf = model[-1]
    X = np.ascontiguousarray(features, dtype=np.float32)
    module = clf.module_.eval()
    tensor = torch.from_numpy(X)
    batch = clf.batch_size

    def raw():
        with torch.inference_mode():
            for start in range(0, len(tensor), batch):
                torch.softmax(module(tensor[start : start + batch]), dim=1)

    t_raw, t_est = best_of_interleaved(
        3 * args.repeat, raw, lambda: clf.predict_proba(X)
    )
    rate_raw, rate_est = len(X) / t_raw, len(X) / t_est
    print(f"Network inference on those {len(X)} beats (batch {batch}):")
    print(f"  raw torch module, inference_mode  {rate_raw:9.0f} beats/s")
    print(
        f"  CNN1D.predict_proba               {rate_est:9.0f} beats/s   ratio {rate_est / rate_raw:.2f} "
        "(target >= 0.8)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
