"""The artifact filter on MIT-BIH DS1, leave-one-record-out: QRS Se / +P before and after.

:func:`sklearn_ecg.pipelines.make_artifact_pipeline` is trained on the
detections of 21 DS1 records (:func:`sklearn_ecg.datasets.load_wfdb_detections`
on MLII: the clean recording and ``--copies`` noisy copies, a kind drawn from
baseline wander, electrode motion and muscle artifact at 6-24 dB) and drops
the detections of the 22nd whose "artifact" probability reaches a threshold;
every record is held out in turn.  The held-out record is scored clean and
with synthetic electrode motion ("em") and muscle artifact ("ma") at 12 and
6 dB (one draw per record and kind, seeded by ``1000 + seed``, never a
training draw).  A detection is a true one when a reference beat lies
within 150 ms.  Pooled over the 22 records, the script prints QRS
sensitivity and positive predictivity without the filter and with it at
each threshold of ``--thresholds``, and which reference beats (AAMI class)
the filter drops.  Features are computed once per recording (they depend on
the row alone), so each fold refits the gradient boosting only.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/artifact_filter_ds1.py --seeds 0 1 2

``--quick`` uses 6 records.  Writes ``artifact_filter_ds1.json``: per seed,
condition and threshold the pooled counts and figures.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone

from sklearn_ecg.datasets import (
    AAMI_SYMBOL_MAP,
    DS1,
    get_data_home,
    load_wfdb_detections,
)
from sklearn_ecg.datasets._wfdb_beats import _beat_annotations
from sklearn_ecg.pipelines import make_artifact_pipeline

N_RR = 512
FS = 360.0
TESTS = (("em", 12), ("ma", 12), ("em", 6), ("ma", 6))
CONDITIONS = ("clean",) + tuple(f"{k}{s}" for k, s in TESTS)


def detections(records, noise):
    """Features, targets, groups, noise kind and matched symbols of the detections."""
    rows = load_wfdb_detections(
        get_data_home(subdir="mitdb"), records, lead="MLII", n_rr=N_RR, noise=noise
    )
    pipe = make_artifact_pipeline(fs=FS, n_rr=N_RR)
    F = pipe.named_steps["features"].fit_transform(rows.data).astype(np.float32)
    return F, rows.target, rows.groups.astype(str), rows.noise_kind, rows.symbol


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument(
        "--thresholds",
        type=float,
        nargs="+",
        default=[0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99],
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default="artifact_filter_ds1.json")
    args = parser.parse_args()
    records = list(DS1)[:6] if args.quick else list(DS1)
    mitdb = get_data_home(subdir="mitdb")
    n_reference = {
        r: int(_beat_annotations(Path(mitdb) / r, "atr", None)[0].size) for r in records
    }
    results = {}
    for seed in args.seeds:
        t0 = time.perf_counter()
        train = detections(records, {"copies": args.copies, "random_state": seed})
        tests = {"clean": None}
        for kind, snr in TESTS:
            F, y, g, k, s = detections(
                records,
                {"kinds": kind, "snr": snr, "copies": 1, "random_state": 1000 + seed},
            )
            noisy = k != ""
            tests[f"{kind}{snr}"] = (F[noisy], y[noisy], g[noisy], s[noisy])
            if tests["clean"] is None:
                tests["clean"] = (F[~noisy], y[~noisy], g[~noisy], s[~noisy])
        proba = {c: np.empty(len(tests[c][1])) for c in CONDITIONS}
        model = make_artifact_pipeline(fs=FS, n_rr=N_RR, random_state=seed)[-1]
        for record in records:
            fold = clone(model).fit(
                train[0][train[2] != record], train[1][train[2] != record]
            )
            column = list(fold.classes_).index("artifact")
            for c in CONDITIONS:
                held = tests[c][2] == record
                proba[c][held] = fold.predict_proba(tests[c][0][held])[:, column]
        seconds = time.perf_counter() - t0
        per = {}
        n_ref = sum(n_reference.values())
        for c in CONDITIONS:
            _, y, _, symbol = tests[c]
            true = y == "beat"
            rows = {}
            for t in [None, *args.thresholds]:
                keep = np.ones(y.size, bool) if t is None else proba[c] < t
                tp, fp = int((true & keep).sum()), int((~true & keep).sum())
                dropped = {}
                for s in symbol[true & ~keep]:
                    cls = AAMI_SYMBOL_MAP.get(s, "?")
                    dropped[cls] = dropped.get(cls, 0) + 1
                rows["none" if t is None else str(t)] = {
                    "se": tp / n_ref,
                    "ppv": tp / max(tp + fp, 1),
                    "tp": tp,
                    "fp": fp,
                    "beats_dropped": dropped,
                }
            per[c] = rows
        results[f"seed{seed}"] = {"seconds": seconds, "conditions": per}
        Path(args.out).write_text(json.dumps(results, indent=1))
        print(f"seed {seed}: {seconds:.0f} s")
    print(f"{'condition':10} {'threshold':>9} {'QRS Se':>15} {'QRS +P':>15}")
    for c in CONDITIONS:
        for t in ["none", *map(str, args.thresholds)]:
            se = [results[s]["conditions"][c][t]["se"] for s in results]
            ppv = [results[s]["conditions"][c][t]["ppv"] for s in results]
            print(
                f"{c:10} {t:>9} {np.mean(se):.4f} ± {np.std(se):.4f} {np.mean(ppv):.4f} ± {np.std(ppv):.4f}"
            )


if __name__ == "__main__":
    main()
