"""Which training makes the classical recipe robust to noise and lead: MIT-BIH DS1 leave-one-record-out.

The choice behind ``benchmarks/noise_robustness.py`` made on DS1 only.  The
classical recipe (:func:`sklearn_ecg.pipelines.make_feature_pipeline`: 44
rhythm and morphology features, a soft vote of a logistic regression and a
random forest) is trained on 21 DS1 records and scored on the 22nd, for
every record in turn, in three ways:

- ``clean``: on clean MLII, as the main command trains;
- ``noise``: on clean MLII plus one noisy copy of every training record
  (``load_mitbih(noise={"copies": 1, "random_state": seed})``: a kind drawn
  from baseline wander, electrode motion and muscle artifact, an SNR drawn
  from 6-24 dB, added to the recording before the rows are cut);
- ``leads``: on both leads of every training record
  (``load_mitbih(lead="all")``);
- ``leads+noise``: both, as ``train --lead all --augment-noise 1`` trains
  (both leads, each with one noisy copy: four times the rows).

The held-out record is scored clean, with synthetic electrode motion ("em"),
muscle artifact ("ma") and baseline wander ("bw") at 12 dB and "em" and
"ma" at 6 dB (one draw per record and kind, seeded by ``1000 + seed``, so
never the training draw), and on its other lead (V1, or V4 or V5).  The
rows are cut at the reference R-peaks, so this measures the classifier, not
the detector.  Predictions of the 22 folds are pooled and scored with
:func:`sklearn_ecg.metrics.aami_report`.  The features of every record are
computed once per condition (they depend on the row alone), so each fold
refits the classifier only.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/noise_robustness_ds1.py \\
        --training clean noise leads leads+noise --seeds 0 1 2

``--lowpass HZ`` passes every beat and template through a zero-phase
low-pass at HZ before the morphology features
(``make_feature_pipeline(lowpass=HZ)``), in training and scoring alike.

``--quick`` uses 6 records (a smoke run of a few minutes).  It prints one
table per condition (mean ± sd over seeds of macro F1, S Se / +P / F1 and
F1(V)) and writes ``noise_robustness_ds1.json`` after every fit: per
training and seed, the pooled figures of every condition, and the seconds.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from sklearn_ecg.datasets import DS1, get_data_home, load_mitbih, read_wfdb_header
from sklearn_ecg.metrics import aami_report
from sklearn_ecg.pipelines import make_feature_pipeline

N_RR = 512  # previous R-R intervals per row, as the main command loads them
FS = 360.0
TRAININGS = ("clean", "noise", "leads", "leads+noise")
TESTS = (("em", 12), ("ma", 12), ("bw", 12), ("em", 6), ("ma", 6))
CONDITIONS = ("clean",) + tuple(f"{k}{s}" for k, s in TESTS) + ("other",)


def features(data, lowpass=None):
    """The recipe's 44 features of context rows; they depend on each row alone."""
    recipe = make_feature_pipeline(fs=FS, n_rr=N_RR, lowpass=lowpass)
    return recipe.named_steps["features"].fit_transform(data).astype(np.float32)


def load(records, lowpass=None, **kwargs):
    """Features, labels and groups of the rows ``load_mitbih(**kwargs)`` loads."""
    beats = load_mitbih(records=records, context=True, n_rr=N_RR, **kwargs)
    return (
        features(beats.data, lowpass),
        beats.target,
        np.asarray(beats.groups).astype(str),
        beats.get("noise_kind"),
    )


def other_lead(records, lowpass=None):
    """Rows of each record's second lead (the one that is not MLII)."""
    mitdb = get_data_home(subdir="mitdb")
    parts = []
    for record in records:
        names = read_wfdb_header(mitdb / str(record)).sig_name
        lead = next(name for name in names if name != "MLII")
        parts.append(load([record], lowpass, lead=lead)[:3])
    return tuple(np.concatenate(p) for p in zip(*parts))


def held_out(records, seed, lowpass=None):
    """Every scoring condition: (features, labels, groups) of all records."""
    tests = {"clean": load(records, lowpass, lead="MLII")[:3]}
    for kind, snr in TESTS:
        spec = {"kinds": (kind,), "snr": (snr, snr), "random_state": 1000 + seed}
        F, y, g, noisy = load(records, lowpass, lead="MLII", noise=spec)
        keep = noisy != ""
        tests[f"{kind}{snr}"] = (F[keep], y[keep], g[keep])
    tests["other"] = other_lead(records, lowpass)
    return tests


def training_rows(training, records, seed, tests, lowpass=None):
    """(features, labels, groups) of every record for one way of training."""
    if training in ("noise", "leads+noise"):
        lead = "MLII" if training == "noise" else "all"
        noise = {"copies": 1, "random_state": seed}
        return load(records, lowpass, lead=lead, noise=noise)[:3]
    F, y, g = tests["clean"]
    if training == "leads":
        Fo, yo, go = tests["other"]
        return np.concatenate([F, Fo]), np.concatenate([y, yo]), np.concatenate([g, go])
    return F, y, g


def classifier(seed, jobs):
    """The recipe without its feature step: scaler and the soft vote."""
    recipe = make_feature_pipeline(fs=FS, n_rr=N_RR, random_state=seed)
    return Pipeline(recipe.steps[1:]).set_params(
        clf__estimator__forest__n_jobs=jobs, clf__specialist__n_jobs=jobs
    )


def pooled(y, y_pred):
    report = aami_report(y, y_pred, output_dict=True)
    s = report["per_class"]["S"]
    return {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro_f1"],
        "s_se": s["se"],
        "s_ppv": s["ppv"],
        "s_f1": s["f1"],
        "v_f1": report["per_class"]["V"]["f1"],
    }


def loro(training, records, seed, tests, jobs, log, lowpass=None):
    """Pooled leave-one-record-out figures of every condition."""
    F, y, g = training_rows(training, records, seed, tests, lowpass)
    y_pred = {name: np.empty(len(t[1]), dtype=object) for name, t in tests.items()}
    for record in records:
        model = classifier(seed, jobs).fit(F[g != record], y[g != record])
        for name, (Ft, _, gt) in tests.items():
            rows = gt == record
            if rows.any():
                y_pred[name][rows] = model.predict(Ft[rows])
        log(f"  {training}, seed {seed}: record {record} held out")
    return {name: pooled(t[1], y_pred[name].astype(str)) for name, t in tests.items()}


def _cell(values, spread):
    mean = np.mean(values)
    return f"{mean:.3f} ± {np.std(values, ddof=1):.3f}" if spread else f"{mean:.3f}"


def print_tables(results):
    for condition in CONDITIONS:
        print(f"\nHeld out: {condition}")
        print("| training | macro F1 | S Se / +P / F1 | F1(V) |")
        print("|---|---|---|---|")
        for training, runs in results.items():
            seeds = [r[condition] for r in runs.values()]
            spread = len(seeds) > 1

            def cell(key, seeds=seeds, spread=spread):
                return _cell([s[key] for s in seeds], spread)

            s = " / ".join(
                [f"{np.mean([x['s_se'] for x in seeds]):.3f}"]
                + [f"{np.mean([x['s_ppv'] for x in seeds]):.3f}", cell("s_f1")]
            )
            print(f"| {training} | {cell('macro_f1')} | {s} | {cell('v_f1')} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--training", nargs="+", choices=TRAININGS, default=list(TRAININGS)
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--jobs", type=int, default=2, help="cores of the random forest"
    )
    parser.add_argument(
        "--lowpass",
        type=float,
        default=None,
        metavar="HZ",
        help="low-pass every beat and template at HZ before the morphology features "
        "(make_feature_pipeline(lowpass=...))",
    )
    parser.add_argument("--quick", action="store_true", help="6 DS1 records")
    parser.add_argument("--json", default="noise_robustness_ds1.json")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - start:6.0f} s] {message}", flush=True)

    records = list(DS1)[:6] if args.quick else list(DS1)
    results = {training: {} for training in args.training}
    report = {"records": records, "results": results, "seconds": {}}
    for seed in args.seeds:
        tests = held_out(records, seed, args.lowpass)
        log(f"seed {seed}: features of {len(CONDITIONS)} conditions")
        for training in args.training:
            tick = time.perf_counter()
            results[training][seed] = loro(
                training, records, seed, tests, args.jobs, log, args.lowpass
            )
            report["seconds"][f"{training}, seed {seed}"] = round(
                time.perf_counter() - tick
            )
            Path(args.json).write_text(json.dumps(report, indent=1))
    print_tables(results)
    print(f"\nWrote {args.json}; runtime {time.perf_counter() - start:.0f} s")
    return report


if __name__ == "__main__":
    main()
