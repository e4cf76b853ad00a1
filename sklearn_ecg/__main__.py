"""Main job: train a beat classifier and evaluate it patient-wise.

Run ``python -m sklearn_ecg --help``.  With a folder holding the MIT-BIH
Arrhythmia Database it trains on the de Chazal DS1 records and tests on DS2;
without one it uses :func:`sklearn_ecg.datasets.make_ecg_beats` and a split
grouped by synthetic patient.  Either way it prints the AAMI report.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupShuffleSplit


def _find_mitdb(data_home):
    """Return the MIT-BIH folder under ``data_home`` (or the environment), or None."""
    candidates = []
    if data_home:
        candidates += [Path(data_home), Path(data_home) / "mitdb"]
    elif os.environ.get("SKLEARN_ECG_DATA"):
        candidates.append(Path(os.environ["SKLEARN_ECG_DATA"]) / "mitdb")
    for path in candidates:
        if (path / "100.hea").is_file():
            return path
    if data_home:
        raise SystemExit(f"No MIT-BIH records (100.hea) found in {data_home!r} or {data_home!r}/mitdb.")
    return None


def _load(args):
    from sklearn_ecg.datasets import load_mitbih, make_ecg_beats

    mitdb = _find_mitdb(args.data_home)
    if mitdb is not None:
        train = load_mitbih(data_home=mitdb, records="DS1")
        test = load_mitbih(data_home=mitdb, records="DS2")
        source = f"MIT-BIH ({mitdb}): train DS1 ({len(set(train.groups))} records), test DS2 ({len(set(test.groups))} records)"
        return train, test, source
    beats = make_ecg_beats(
        n_samples=args.n_synthetic,
        n_patients=20,
        weights=(0.7, 0.1, 0.1, 0.05, 0.05),
        random_state=args.random_state,
    )
    split = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=args.random_state)
    train_idx, test_idx = next(split.split(beats.data, beats.target, beats.groups))

    def subset(idx):
        return {key: beats[key][idx] for key in ("data", "target", "groups")} | {"fs": beats.fs}

    source = "synthetic beats (make_ecg_beats), split by patient: no patient in both train and test"
    return _Bunch(subset(train_idx)), _Bunch(subset(test_idx)), source


class _Bunch(dict):
    __getattr__ = dict.__getitem__


def main(argv=None):
    """Run the main job; return the AAMI report as a dict."""
    from sklearn_ecg.metrics import aami_report
    from sklearn_ecg.pipelines import make_beat_pipeline

    parser = argparse.ArgumentParser(prog="python -m sklearn_ecg", description=__doc__.splitlines()[0])
    parser.add_argument("--data-home", default=None, help="folder holding mitdb/ (or the mitdb folder itself); default: $SKLEARN_ECG_DATA, else synthetic data")
    parser.add_argument("--max-epochs", type=int, default=None, help="training epochs (default: the pipeline's)")
    parser.add_argument("--n-synthetic", type=int, default=3000, help="number of synthetic beats when no data is given")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--json", default=None, help="also write the report as JSON to this path")
    parser.add_argument("--verbose", type=int, default=0, help="1 prints the per-epoch training table")
    args = parser.parse_args(argv)
    if args.data_home == "":
        args.data_home = None

    start = time.perf_counter()
    train, test, source = _load(args)
    print(f"Data: {source}")
    print(f"Train: {len(train.target)} beats, test: {len(test.target)} beats")
    params = {"clf__verbose": args.verbose}
    if args.max_epochs is not None:
        params["clf__max_epochs"] = args.max_epochs
    pipe = make_beat_pipeline(fs=train.fs, random_state=args.random_state).set_params(**params)
    pipe.fit(train.data, train.target)
    y_pred = pipe.predict(test.data)
    print()
    print(aami_report(test.target, y_pred))
    print(f"Finished in {time.perf_counter() - start:.0f} s")
    report = aami_report(test.target, y_pred, output_dict=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
