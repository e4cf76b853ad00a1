"""MIT-BIH beat classification under the inter-patient protocol (de Chazal 2004), over several seeds.

Train on the DS1 records, test on the DS2 records: no patient is in both,
lead MLII, paced records (102, 104, 107, 217) excluded, AAMI classes.  Every
row is a context row (``load_mitbih(context=True)``): the beat's 4 s window,
the running median of the record's previous 64 on-time beats and the previous 512
R-R intervals, so prematurity is judged against minutes of the patient's own
rhythm.  Three models:

- the classical baseline, :func:`sklearn_ecg.pipelines.make_feature_pipeline`
  (rhythm and morphology features, soft vote of a logistic regression and a
  random forest; seed 0);
- the network, :func:`sklearn_ecg.pipelines.make_beat_pipeline`, once per
  seed.  Its epoch is chosen by early stopping on the macro F1 of DS1 patients
  held out whole (``fit(..., clf__groups=records)``, 20 % of the DS1 records,
  drawn by the seed), and the best weights are restored;
- the recommended model, :func:`sklearn_ecg.pipelines.make_ensemble_pipeline`
  (the soft vote of the two, its network weighing classes with
  ``"sqrt_balanced"``), once per seed, the groups reaching the network
  through scikit-learn's metadata routing.

Each fitted model is also scored behind
:class:`~sklearn_ecg.models.IrregularRhythmGate` (no S label where the
rhythm before the beat is irregular), wrapped around the same fit with
:class:`~sklearn.frozen.FrozenEstimator`.

Nothing about DS2 is used for any choice: DS2 is predicted once per model and
scored with :func:`sklearn_ecg.metrics.aami_report`.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/mitbih_interpatient.py

It prints each model's AAMI report, a table beside published inter-patient
results and the runtime, and writes ``mitbih_interpatient.json``: for the
recommended model (the ensemble), the mean over seeds under the top-level
keys ``accuracy``, ``macro_f1`` and ``per_class`` (``{N, S, V, F, Q: {se,
ppv, specificity, f1, support}}``), the standard deviation in the same layout
under ``"std"`` and every seed's report under ``"seeds"``; the network alone
in the same layout under ``"network"``; the baseline's report under
``"baseline"``; the three behind the gate, in the same layouts, under
``"with_gate"``.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import sklearn
import torch
from sklearn.frozen import FrozenEstimator

from sklearn_ecg.datasets import load_mitbih
from sklearn_ecg.metrics import aami_report
from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.pipelines import (
    make_beat_pipeline,
    make_ensemble_pipeline,
    make_feature_pipeline,
)

# Published DS1 -> DS2 results (no DS2 data used for any choice), as text cells:
# accuracy, then Se, +P, F1 of S and of V ("—" where the figure is not quoted here).
LITERATURE = {
    "linear models with long-span RR (de Chazal 2004, Mar 2011, Zhang 2014, ...)": (
        "0.86–0.89",
        ("0.76–0.83", "0.31–0.53", "—"),
        ("—", "—", "—"),
    ),
    "Saenz-Cogollo & Agelli 2020 (random forest, 6 causal features)": (
        "0.961",
        ("—", "—", "0.73"),
        ("—", "—", "0.91"),
    ),
    "Niu et al. 2020": ("0.964", ("—", "—", "0.77"), ("—", "—", "0.90")),
}

N_RR = 512  # previous R-R intervals per row: loaded and read with the same value


def _mean_std(reports):
    """The mean and the standard deviation of AAMI reports, in the report layout."""

    def combine(values, func):
        first = values[0]
        if isinstance(first, dict):
            return {key: combine([v[key] for v in values], func) for key in first}
        return func(values)

    keys = ("accuracy", "macro_f1", "per_class")
    mean = combine(
        [{k: r[k] for k in keys} for r in reports], lambda v: float(np.mean(v))
    )
    std = combine(
        [{k: r[k] for k in keys} for r in reports],
        lambda v: float(np.std(v, ddof=1)) if len(v) > 1 else 0.0,
    )
    for name, stats in mean["per_class"].items():
        stats["support"] = reports[0]["per_class"][name]["support"]
    return mean, std


def _row(name, acc, s, v):
    cells = [f"{acc}", *(f"{x}" for x in s), *(f"{x}" for x in v)]
    return f"| {name} | " + " | ".join(cells) + " |"


def _fmt(mean, std=None):
    return f"{mean:.3f}" if std is None else f"{mean:.3f} ± {std:.3f}"


def print_table(mean, std, net_mean, net_std, baseline, n_seeds, gated):
    """A markdown table: ours (mean ± sd), the baseline, the three gated and the literature."""
    print("| model | acc | S Se | S +P | S F1 | V Se | V +P | V F1 |")
    print("|---|---|---|---|---|---|---|---|")

    def cells(report, spread=None):
        pc = report["per_class"]
        sd = spread["per_class"] if spread else None
        acc = _fmt(report["accuracy"], spread["accuracy"] if spread else None)
        s = [_fmt(pc["S"][k], sd["S"][k] if sd else None) for k in ("se", "ppv", "f1")]
        v = [_fmt(pc["V"][k], sd["V"][k] if sd else None) for k in ("se", "ppv", "f1")]
        return acc, s, v

    print(
        _row(
            f"make_ensemble_pipeline, mean ± sd over {n_seeds} seeds",
            *cells(mean, std),
        )
    )
    print(
        _row(
            f"make_beat_pipeline, mean ± sd over {n_seeds} seeds",
            *cells(net_mean, net_std),
        )
    )
    print(_row("make_feature_pipeline (baseline)", *cells(baseline)))
    for name, label in (
        ("ensemble", "make_ensemble_pipeline"),
        ("network", "make_beat_pipeline"),
    ):
        print(
            _row(
                f"{label} + IrregularRhythmGate",
                *cells(gated[name], gated[name]["std"]),
            )
        )
    print(
        _row("make_feature_pipeline + IrregularRhythmGate", *cells(gated["baseline"]))
    )
    for name, (acc, s, v) in LITERATURE.items():
        print(_row(name, acc, s, v))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=[0, 1, 2],
        help="network seeds (at least 3 for a spread)",
    )
    parser.add_argument(
        "--max-epochs",
        type=int,
        default=12,
        help="most epochs; early stopping on held-out DS1 patients",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (1 avoids thread contention on a shared 2-core machine)",
    )
    parser.add_argument("--json", default="mitbih_interpatient.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()

    train = load_mitbih(records="DS1", context=True, n_rr=N_RR)
    test = load_mitbih(records="DS2", context=True, n_rr=N_RR)
    print(
        f"DS1: {len(train.target)} beats from {len(train.records)} records; "
        f"DS2: {len(test.target)} beats from {len(test.records)} records "
        f"({time.perf_counter() - start:.0f} s to load)",
        flush=True,
    )

    def gated_report(model):
        """The fitted model's report behind the gate (nothing refitted)."""
        gate = IrregularRhythmGate(FrozenEstimator(model), n_rr=N_RR)
        gate.fit(train.data, train.target)
        return aami_report(test.target, gate.predict(test.data), output_dict=True)

    tick = time.perf_counter()
    baseline_model = make_feature_pipeline(fs=train.fs, random_state=0)
    baseline_model.fit(train.data, train.target)
    baseline = aami_report(
        test.target, baseline_model.predict(test.data), output_dict=True
    )
    print(f"\nBaseline (make_feature_pipeline), {time.perf_counter() - tick:.0f} s:")
    print(aami_report(test.target, baseline_model.predict(test.data)))
    baseline_gated = gated_report(baseline_model)

    def early_stopping(clf, report):
        scores = [row.get("valid_score") for row in clf.net_.history]
        best = int(np.nanargmax(np.asarray(scores, dtype=float))) + 1
        report.update(
            best_epoch=best,
            epochs_run=len(scores),
            held_out_macro_f1=[
                None if s is None else round(float(s), 4) for s in scores
            ],
        )
        return (
            f"best epoch {best} of {len(scores)} (held-out DS1 patients' macro F1 "
            f"{scores[best - 1]:.3f})"
        )

    networks, ensembles, networks_gated, ensembles_gated = [], [], [], []
    for seed in args.seeds:
        tick = time.perf_counter()
        pipe = make_beat_pipeline(
            fs=train.fs, max_epochs=args.max_epochs, random_state=seed
        )
        pipe.fit(train.data, train.target, clf__groups=train.groups)
        y_pred = pipe.predict(test.data)
        report = aami_report(test.target, y_pred, output_dict=True)
        report["seed"] = seed
        stopped = early_stopping(pipe.named_steps["clf"], report)
        networks.append(report)
        networks_gated.append(gated_report(pipe))
        print(f"\nNetwork, seed {seed}: {stopped}, {time.perf_counter() - tick:.0f} s:")
        print(aami_report(test.target, y_pred))

        tick = time.perf_counter()
        model = make_ensemble_pipeline(
            fs=train.fs, max_epochs=args.max_epochs, random_state=seed
        )
        with sklearn.config_context(enable_metadata_routing=True):
            model.fit(train.data, train.target, groups=train.groups)
        y_pred = model.predict(test.data)
        report = aami_report(test.target, y_pred, output_dict=True)
        report["seed"] = seed
        network = model.named_estimators_["network"].named_steps["clf"]
        stopped = early_stopping(network, report)
        ensembles.append(report)
        ensembles_gated.append(gated_report(model))
        print(
            f"\nEnsemble, seed {seed}: its network's {stopped}, "
            f"{time.perf_counter() - tick:.0f} s:"
        )
        print(aami_report(test.target, y_pred))

    mean, std = _mean_std(ensembles)
    net_mean, net_std = _mean_std(networks)
    gated = {"baseline": baseline_gated}
    for name, reports in (("ensemble", ensembles_gated), ("network", networks_gated)):
        gated_mean, gated_std = _mean_std(reports)
        gated[name] = {**gated_mean, "std": gated_std}
    runtime = time.perf_counter() - start
    print("\nMIT-BIH inter-patient (de Chazal 2004): train DS1, test DS2")
    print_table(mean, std, net_mean, net_std, baseline, len(ensembles), gated)
    print(
        f"\nmacro F1 (N, S, V, F): ensemble {mean['macro_f1']:.3f} ± {std['macro_f1']:.3f}, "
        f"network {net_mean['macro_f1']:.3f} ± {net_std['macro_f1']:.3f}, "
        f"baseline {baseline['macro_f1']:.3f}; behind the gate: ensemble "
        f"{gated['ensemble']['macro_f1']:.3f}, network {gated['network']['macro_f1']:.3f}, "
        f"baseline {gated['baseline']['macro_f1']:.3f}"
    )
    result = {
        **mean,
        "std": std,
        "seeds": ensembles,
        "network": {**net_mean, "std": net_std, "seeds": networks},
        "baseline": baseline,
        "with_gate": gated,
        "runtime_s": round(runtime),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch thread(s)",
    }
    Path(args.json).write_text(json.dumps(result, indent=2))
    print(f"Wrote {args.json}; runtime {runtime:.0f} s")
    return result


if __name__ == "__main__":
    main()
