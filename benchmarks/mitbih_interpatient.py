"""MIT-BIH beat classification on patients the model never saw, in views one record cannot carry.

Every row is a context row (``load_mitbih(context=True)``): the beat's 4 s
window, the running median of the record's previous 64 on-time beats and the
previous 512 R-R intervals, so prematurity is judged against minutes of the
patient's own rhythm.  Lead MLII, paced records (102, 104, 107, 217)
excluded, AAMI classes.  Three models, each fitted once per seed:

- ``features``: the classical recipe,
  :func:`sklearn_ecg.pipelines.make_feature_pipeline` (rhythm and morphology
  features, soft vote of a logistic regression and a random forest seeded by
  the seed);
- ``network``: :func:`sklearn_ecg.pipelines.make_beat_pipeline`, its epoch
  chosen by early stopping on the macro F1 of training patients held out
  whole (``fit(..., clf__groups=records)``, 20 % of the training records,
  drawn by the seed), the best weights restored;
- ``ensemble``, the recommended model:
  :func:`sklearn_ecg.pipelines.make_ensemble_pipeline` (the soft vote of the
  two, its network weighing classes with ``"sqrt_balanced"``), the groups
  reaching the network through scikit-learn's metadata routing.

Views (``--views``):

- ``ds2``: the inter-patient protocol (de Chazal 2004), train on DS1, test
  on DS2: pooled, pooled without record 232 (1,382 of DS2's 1,837 S beats),
  and the S sensitivity and positive predictivity of DS2's S-carrying
  records (100, 200, 202, 210, 213, 222, 232, 234) and of the records with
  most false S alarms (202, 219, 222, 231).  Each fitted model is also
  scored behind :class:`~sklearn_ecg.models.IrregularRhythmGate` (no S label
  where the rhythm before the beat is irregular), wrapped around the same
  fit with :class:`~sklearn.frozen.FrozenEstimator`.
- ``loro``: DS1 leave-one-record-out, 22 folds, each record predicted by
  the model trained on the other 21, pooled, and per record for the DS1
  records with at least 20 S beats.  This is where choices are made; the
  network costs 22 fits per seed.  The features of the classical recipe
  are computed once (its feature step only validates in ``fit``) and its
  scaler and classifiers fitted per fold.

``--train-lead all`` trains every model on every lead of each DS1 record
(``load_mitbih(lead="all")``: MLII and V1, V2, V4 or V5, one set of rows
per lead, the records' groups unchanged), as ``python -m sklearn_ecg train
--lead all`` does; every view still scores MLII rows only (in ``loro``, the
held-out record's MLII rows; its other lead is out of the fold with it).
``--feature-lead MLII`` beside it keeps the ensemble's feature models (the
classical vote and the S/V forest) to the MLII rows while its network
learns from every lead (``make_ensemble_pipeline(feature_leads="MLII")``,
each row's lead routed to them as ``lead``).

Nothing about DS2 is used for any choice: DS2 is predicted once per model
and seed and scored with :func:`sklearn_ecg.metrics.aami_report`.  The
figures of the published forest of Saenz-Cogollo & Agelli (2020), as its
public code scores on the same files, are printed beside ours.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/mitbih_interpatient.py
    SKLEARN_ECG_DATA=... python benchmarks/mitbih_interpatient.py --models features --views loro
    SKLEARN_ECG_DATA=... python benchmarks/mitbih_interpatient.py --views loro --train-lead all
    SKLEARN_ECG_DATA=... python benchmarks/mitbih_interpatient.py --models ensemble \
        --train-lead all --feature-lead MLII

It prints each view's table and the runtime, and writes
``mitbih_interpatient.json``: under ``"models"``, for each model run,
``"mean"`` and ``"std"`` over the seeds (``{view: AAMI report}``, the
report being ``{accuracy, macro_f1, per_class: {N, S, V, F, Q: {se, ppv,
specificity, f1, support}}}``; per-record views are ``{record: {support,
found, false_alarms, se, ppv, f1}}`` for S) and ``"seeds"``, every seed's
views; under ``"published_forest"`` the reference figures.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import sklearn
import torch
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from sklearn_ecg.datasets import load_mitbih
from sklearn_ecg.metrics import aami_report
from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.pipelines import (
    make_beat_pipeline,
    make_ensemble_pipeline,
    make_feature_pipeline,
)

N_RR = 512  # previous R-R intervals per row: loaded and read with the same value
MODELS = ("ensemble", "network", "features")
VIEWS = ("ds2", "loro")
DS2_S_RECORDS = ("100", "200", "202", "210", "213", "222", "232", "234")
DS2_FALSE_ALARM_RECORDS = ("202", "219", "222", "231")
MIN_S_BEATS = 20  # DS1 records reported one by one in the leave-one-record-out view

# The published six-feature forest (Saenz-Cogollo & Agelli 2020), its public
# code run unchanged on the same MIT-BIH files: accuracy, macro F1, S Se / +P /
# F1, F1(V); None where not measured.
PUBLISHED_FOREST = {
    "loro": dict(accuracy=0.907, macro_f1=0.45, S=(0.14, 0.25, 0.18), V_f1=0.64),
    "ds2": dict(accuracy=0.960, macro_f1=0.72, S=(0.76, 0.66, 0.71), V_f1=0.916),
    "ds2_without_232": dict(
        accuracy=None, macro_f1=None, S=(0.49, 0.24, None), V_f1=None
    ),
    "ds2 record 232": dict(found=1234, false_alarms=15, support=1382),
}
LITERATURE = {
    "linear models with long-span RR (de Chazal 2004, Mar 2011, Zhang 2014, ...)": (
        "0.86–0.89 | — | — | 0.76–0.83 / 0.31–0.53 / — | —"
    ),
    "Niu et al. 2020": "0.964 | — | — | — / — / 0.77 | 0.90",
}


def s_counts(y_true, y_pred):
    """S beats, those found, false S alarms, and S Se / +P / F1 (0 where undefined)."""
    truth, said = np.asarray(y_true) == "S", np.asarray(y_pred) == "S"
    found, alarms = int(np.sum(truth & said)), int(np.sum(~truth & said))
    support = int(truth.sum())
    se = found / support if support else 0.0
    ppv = found / (found + alarms) if found + alarms else 0.0
    f1 = 2 * se * ppv / (se + ppv) if se + ppv else 0.0
    return dict(
        support=support, found=found, false_alarms=alarms, se=se, ppv=ppv, f1=f1
    )


def per_record(y_true, y_pred, groups, records):
    return {r: s_counts(y_true[groups == r], y_pred[groups == r]) for r in records}


def make_model(name, fs, seed, max_epochs, feature_lead=None):
    if name == "features":
        return make_feature_pipeline(fs=fs, random_state=seed)
    if name == "network":
        return make_beat_pipeline(fs=fs, max_epochs=max_epochs, random_state=seed)
    return make_ensemble_pipeline(
        fs=fs, max_epochs=max_epochs, feature_leads=feature_lead, random_state=seed
    )


def fit_model(model, name, X, y, groups, lead):
    """Fit with the training patients reaching the network's early stopping and,
    in the ensemble, each row's lead reaching its feature models."""
    if name == "network":
        return model.fit(X, y, clf__groups=groups)
    if name == "ensemble":
        with sklearn.config_context(enable_metadata_routing=True):
            return model.fit(X, y, groups=groups, lead=lead)
    return model.fit(X, y)


def loro_predict(name, seed, train, max_epochs, log, scored, feature_lead):
    """Every ``scored`` DS1 row predicted by the model trained on the other DS1
    records, without and behind the gate.

    The gate's rule, :meth:`IrregularRhythmGate.irregular`, reads the context
    rows; the classical recipe's folds see precomputed features, so its S
    probability is moved to N here, as the gate moves it.
    """
    X, y, groups, lead = train.data, train.target, train.groups, train.row_lead
    irregular = IrregularRhythmGate(n_rr=N_RR).irregular(X)
    y_pred = np.empty(len(y), dtype=object)
    y_gated = np.empty(len(y), dtype=object)
    model = make_model(name, train.fs, seed, max_epochs, feature_lead)
    if name == "features":
        # the feature step only validates in fit: compute the features once
        features = model.named_steps["features"].fit_transform(X)
        model, X = model[1:], features
    for record in np.unique(groups):
        tick = time.perf_counter()
        test = groups == record
        fold = fit_model(
            clone(model), name, X[~test], y[~test], groups[~test], lead[~test]
        )
        test &= scored
        proba = fold.predict_proba(X[test])
        classes = list(fold.classes_)
        y_pred[test] = fold.classes_[proba.argmax(axis=1)]
        # a fold whose records hold no S has no S probability to gate
        if {"N", "S"} <= set(classes):
            gated = irregular[test]
            proba[gated, classes.index("N")] += proba[gated, classes.index("S")]
            proba[gated, classes.index("S")] = 0.0
        y_gated[test] = fold.classes_[proba.argmax(axis=1)]
        log(f"  {name} seed {seed}: record {record} {time.perf_counter() - tick:.0f} s")
    return y_pred[scored].astype(str), y_gated[scored].astype(str)


def ds2_views(model, train, test):
    """DS2 pooled, without 232, per record, and behind the gate."""
    y_pred = np.asarray(model.predict(test.data)).astype(str)
    y, groups = test.target, test.groups
    keep = groups != "232"
    gate = IrregularRhythmGate(FrozenEstimator(model), n_rr=N_RR)
    gate.fit(train.data, train.target)  # frozen: nothing refitted
    gated = np.asarray(gate.predict(test.data)).astype(str)
    records = sorted(set(DS2_S_RECORDS) | set(DS2_FALSE_ALARM_RECORDS))
    return {
        "ds2": aami_report(y, y_pred, output_dict=True),
        "ds2_without_232": aami_report(y[keep], y_pred[keep], output_dict=True),
        "ds2_records": per_record(y, y_pred, groups, records),
        "ds2_with_gate": aami_report(y, gated, output_dict=True),
        "ds2_without_232_with_gate": aami_report(
            y[keep], gated[keep], output_dict=True
        ),
        "ds2_records_with_gate": per_record(y, gated, groups, records),
    }


def _combine(values, func):
    first = values[0]
    if isinstance(first, dict):
        return {key: _combine([v[key] for v in values], func) for key in first}
    if isinstance(first, (list, str)) or first is None:
        return first
    return func(values)


def mean_std(runs):
    """Mean and standard deviation over seeds of every view, in the views' layout."""
    mean = _combine(runs, lambda v: float(np.mean(v)))
    std = _combine(runs, lambda v: float(np.std(v, ddof=1)) if len(v) > 1 else 0.0)
    return mean, std


def _f(value, spread=None):
    if value is None:
        return "—"
    return f"{value:.3f}" if spread is None else f"{value:.3f} ± {spread:.3f}"


def print_pooled(view, results, title):
    """One row per model: accuracy, macro F1 (all classes; N, S, V), S Se / +P / F1, F1(V).

    The macro F1 of N, S and V beside the macro F1 of every class present: F
    beats are rare and gathered in few records (DS1: 373 of 415 in record
    208), so the F1 of F swings the latter with one record.
    """
    print(f"\n{title}")
    print("| model | acc | macro F1 | macro F1 (N, S, V) | S Se / +P / F1 | F1(V) |")
    print("|---|---|---|---|---|---|")
    for name, res in results.items():
        if view not in res["mean"]:
            continue
        m, s = res["mean"][view], res["std"][view]
        pc, sd = m["per_class"], s["per_class"]
        cells = [
            _f(m["accuracy"], s["accuracy"]),
            _f(m["macro_f1"], s["macro_f1"]),
            _f(float(np.mean([pc[c]["f1"] for c in "NSV"]))),
            " / ".join(_f(pc["S"][k]) for k in ("se", "ppv"))
            + f" / {_f(pc['S']['f1'], sd['S']['f1'])}",
            _f(pc["V"]["f1"], sd["V"]["f1"]),
        ]
        n = len(res["seeds"])
        print(f"| {name} ({n} seed{'s' * (n > 1)}) | " + " | ".join(cells) + " |")
    ref = PUBLISHED_FOREST.get(view)
    if ref:
        s = " / ".join(_f(x) for x in ref["S"])
        print(
            f"| published forest (reference) | {_f(ref['accuracy'])} | "
            f"{_f(ref['macro_f1'])} | — | {s} | {_f(ref['V_f1'])} |"
        )
    if view == "ds2":
        for name, cells in LITERATURE.items():
            print(f"| {name} | {cells} |")


def print_records(view, results, title):
    """S found / S beats, false S alarms, Se / +P per record, mean over seeds."""
    names = [n for n, r in results.items() if view in r["mean"]]
    if not names:
        return
    print(f"\n{title} (S found / S beats, false S alarms; mean over seeds)")
    print("| record | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for record in results[names[0]]["mean"][view]:
        cells = []
        for name in names:
            c = results[name]["mean"][view][record]
            cells.append(
                f"{c['found']:.0f} / {c['support']:.0f}, {c['false_alarms']:.0f} "
                f"(Se {c['se']:.2f}, +P {c['ppv']:.2f})"
            )
        print(f"| {record} | " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models", nargs="+", choices=MODELS, default=list(MODELS), help="models"
    )
    parser.add_argument(
        "--views",
        nargs="+",
        choices=VIEWS,
        default=["ds2"],
        help="ds2: train DS1, test DS2; loro: DS1 leave-one-record-out (22 fits a "
        "seed and model: hours on 2 CPU cores)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=[0, 1, 2],
        help="seeds of every model (at least 3 for a spread)",
    )
    parser.add_argument(
        "--max-epochs",
        type=int,
        default=12,
        help="most epochs; early stopping on held-out training patients",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (1 avoids thread contention on a shared 2-core machine)",
    )
    parser.add_argument(
        "--train-lead",
        choices=("MLII", "all"),
        default="MLII",
        help="train on MLII (default) or on every lead of each DS1 record; the views "
        "score MLII",
    )
    parser.add_argument(
        "--feature-lead",
        default=None,
        help="with --train-lead all: the lead whose rows the ensemble's feature models "
        "learn from (e.g. MLII; make_ensemble_pipeline(feature_leads=...)), its network "
        "learning from every lead",
    )
    parser.add_argument("--json", default="mitbih_interpatient.json")
    args = parser.parse_args(argv)
    if args.feature_lead is not None and args.train_lead != "all":
        parser.error("--feature-lead needs --train-lead all")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()

    def log(message):
        print(message, flush=True)

    train = load_mitbih(records="DS1", context=True, n_rr=N_RR, lead=args.train_lead)
    scored = np.asarray(train.row_lead) == "MLII"
    y_ds1, groups_ds1 = train.target[scored], np.asarray(train.groups)[scored]
    test = (
        load_mitbih(records="DS2", context=True, n_rr=N_RR)
        if ("ds2" in args.views)
        else None
    )
    log(
        f"DS1: {len(train.target)} rows ({args.train_lead}"
        + (f"; feature models: {args.feature_lead}" if args.feature_lead else "")
        + ") from "
        f"{len(set(groups_ds1))} records"
        + (
            f"; DS2: {len(test.target)} beats from {len(test.records)} records"
            if test is not None
            else ""
        )
        + f" ({time.perf_counter() - start:.0f} s to load)"
    )
    s_per_record = {
        r: int(np.sum((groups_ds1 == r) & (y_ds1 == "S")))
        for r in np.unique(groups_ds1)
    }
    ds1_s_records = sorted(r for r, n in s_per_record.items() if n >= MIN_S_BEATS)

    results = {}
    for name in args.models:
        runs = []
        for seed in args.seeds:
            run, tick = {"seed": seed}, time.perf_counter()
            if "ds2" in args.views:
                model = make_model(
                    name, train.fs, seed, args.max_epochs, args.feature_lead
                )
                fit_model(
                    model, name, train.data, train.target, train.groups, train.row_lead
                )
                run.update(ds2_views(model, train, test))
                report = run["ds2"]
                log(
                    f"{name} seed {seed}, DS1 -> DS2 ({time.perf_counter() - tick:.0f} s): "
                    f"acc {report['accuracy']:.3f}, macro F1 {report['macro_f1']:.3f}, "
                    f"F1(S) {report['per_class']['S']['f1']:.3f}"
                )
            if "loro" in args.views:
                tick = time.perf_counter()
                y_pred, y_gated = loro_predict(
                    name, seed, train, args.max_epochs, log, scored, args.feature_lead
                )
                run["loro"] = aami_report(y_ds1, y_pred, output_dict=True)
                run["loro_records"] = per_record(
                    y_ds1, y_pred, groups_ds1, ds1_s_records
                )
                run["loro_with_gate"] = aami_report(y_ds1, y_gated, output_dict=True)
                run["loro_records_with_gate"] = per_record(
                    y_ds1, y_gated, groups_ds1, ds1_s_records
                )
                report = run["loro"]
                log(
                    f"{name} seed {seed}, DS1 leave-one-record-out "
                    f"({time.perf_counter() - tick:.0f} s): acc {report['accuracy']:.3f}, "
                    f"macro F1 {report['macro_f1']:.3f}, "
                    f"F1(S) {report['per_class']['S']['f1']:.3f}"
                )
            runs.append(run)
            mean, std = mean_std(
                [{k: v for k, v in r.items() if k != "seed"} for r in runs]
            )
            results[name] = {"mean": mean, "std": std, "seeds": runs}
            # written after every fit: a long run stopped early keeps its results
            Path(args.json).write_text(json.dumps({"models": results}, indent=2))

    print_pooled(
        "loro",
        results,
        f"DS1 leave-one-record-out ({len(set(groups_ds1))} folds, pooled)",
    )
    print_records("loro_records", results, f"DS1 records with >= {MIN_S_BEATS} S beats")
    print_pooled(
        "loro_with_gate", results, "DS1 leave-one-record-out behind IrregularRhythmGate"
    )
    print_records(
        "loro_records_with_gate",
        results,
        f"DS1 records with >= {MIN_S_BEATS} S beats, behind IrregularRhythmGate",
    )
    print_pooled("ds2", results, "DS1 -> DS2, pooled")
    print_pooled("ds2_without_232", results, "DS1 -> DS2 without record 232")
    print_records("ds2_records", results, "DS2 records")
    print_pooled("ds2_with_gate", results, "DS1 -> DS2 behind IrregularRhythmGate")
    print_pooled(
        "ds2_without_232_with_gate",
        results,
        "DS1 -> DS2 without record 232, behind IrregularRhythmGate",
    )
    print_records(
        "ds2_records_with_gate", results, "DS2 records, behind IrregularRhythmGate"
    )
    ref = PUBLISHED_FOREST["ds2 record 232"]
    if "ds2" in args.views:
        print(
            f"published forest on 232: {ref['found']} / {ref['support']} S found, "
            f"{ref['false_alarms']} false S alarms"
        )
    runtime = time.perf_counter() - start
    result = {
        "models": results,
        "published_forest": PUBLISHED_FOREST,
        "args": vars(args),
        "runtime_s": round(runtime),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch thread(s)",
    }
    Path(args.json).write_text(json.dumps(result, indent=2))
    print(f"\nWrote {args.json}; runtime {runtime:.0f} s")
    return result


if __name__ == "__main__":
    main()
