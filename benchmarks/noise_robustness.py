"""Robustness of the recommended recipe to noise and to the lead: MIT-BIH DS1 -> DS2 under a noise stress test.

The recommended model (:func:`sklearn_ecg.pipelines.make_ensemble_pipeline`
behind :class:`~sklearn_ecg.models.IrregularRhythmGate`, trained as
``python -m sklearn_ecg`` trains it: DS1, lead MLII, context rows, the DS1
groups routed to its network for early stopping; ``--no-gate``: the ensemble
alone, the gate being applied to the same fit otherwise) is trained once per
seed and then annotates every DS2 record the way ``annotate`` does, with
:func:`sklearn_ecg.annotation.annotate_signal` (R-peaks from the package's
detector, :func:`~sklearn_ecg.preprocessing.detect_r_peaks`; context rows;
``predict``) under each condition:

- clean MLII;
- MLII with noise of each NSTDB kind ("bw" baseline wander, "em" electrode
  motion, "ma" muscle artifact) added at 24, 18, 12, 6 and 0 dB with
  :func:`sklearn_ecg.datasets.add_noise` (the NSTDB signal-to-noise ratio:
  ``S = pp**2 / 8`` from the median QRS peak-to-peak amplitude at the
  reference R-peaks).  The noise is synthetic
  (:func:`~sklearn_ecg.datasets.make_ecg_noise`, one draw per record, kind
  and seed, the same draw at every SNR), or with ``--noise nstdb`` the
  recorded NSTDB noise (:func:`~sklearn_ecg.datasets.load_nstdb`, signal
  ``noise1``; needs the ``nstdb`` folder beside ``mitdb``);
- the record's other lead (V1, V2, V4 or V5; MLII is the first signal of
  every DS2 record), clean;
- both leads, clean, resampled to each rate of ``--rates`` (default 128 Hz,
  a Holter's rate; ``--rates`` alone: none) as a recorder at that rate would
  have sampled them, and annotated at that rate (``annotate_signal``
  resamples to the model's 360 Hz; the reference R-peaks are moved to the
  new rate).

Each annotation is compared with the reference beat by beat
(:func:`sklearn_ecg.metrics.compare_annotations`, EC57 / ``bxb``, 150 ms
match window, the whole record); the gross statistics over the 22 records
give QRS Se and +P and the F1 of S (SVEB) and V (VEB) beats,
``2 TP / (2 TP + FN + FP)`` from the gross counts.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/noise_robustness.py

Training: ``--train-lead all`` trains on both leads of every DS1 record
(``load_mitbih(lead="all")``), ``--augment-noise COPIES`` adds noisy copies
of every DS1 record to the training rows (as ``train --augment-noise``);
``--feature-lead MLII`` beside ``--train-lead all`` keeps the ensemble's
feature models to MLII while its network learns from both leads (as
``train --feature-lead``);
by default the recipe is trained on clean MLII, as the main command does.
``--artifact-filter COPIES`` also trains the artifact filter
(:func:`sklearn_ecg.pipelines.make_artifact_pipeline`, as ``train --recipe
artifacts`` does: XQRS detections on the DS1 records' MLII and on COPIES
noisy copies of each, seeded by the seed) and annotates with it, as
``annotate --artifact-model`` does.

``--intermittent`` adds the noise only where NSTDB's records carry it (from
minute 5, two minutes on, two off), so a record is part clean, part noisy;
``--quality-thresholds 0.5 0.6`` also scores every condition at the
record's rate with the beats whose detector agreement
(:func:`~sklearn_ecg.preprocessing.qrs_agreement`) is below each threshold
marked ``Q``, as ``annotate --quality-threshold`` marks them.

Options: ``--seeds 0 1 2`` (mean ± sd over seeds), ``--quick`` (6 DS1
records, 2 epochs, 4 DS2 records, 12 and 0 dB: a smoke run of a few
minutes), ``--jobs`` (records annotated in parallel), ``--noise nstdb``.
The fitted models are cached with joblib under ``--cache-dir`` and reused.
It prints the table and the runtime, writes ``noise_robustness.json``
(per condition: kind, SNR, lead, and the mean, sd and per-seed values of
``qrs_se``, ``qrs_ppv``, ``f1_s``, ``f1_v``) and, with ``--figure PATH``, a
PNG of F1(S) and F1(V) against SNR, one line per noise kind.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import joblib
import numpy as np
import sklearn
import torch
from sklearn.frozen import FrozenEstimator

from sklearn_ecg.annotation import ARTIFACT_THRESHOLD, annotate_signal
from sklearn_ecg.datasets import (
    DS1,
    DS2,
    NSTDB_RECORDS,
    add_noise,
    get_data_home,
    load_mitbih,
    load_nstdb,
    load_wfdb_detections,
    read_wfdb_annotation,
    read_wfdb_header,
    read_wfdb_record,
)
from sklearn_ecg.metrics import compare_annotations, ec57_gross
from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.pipelines import make_artifact_pipeline, make_ensemble_pipeline
from sklearn_ecg.preprocessing import qrs_agreement
from sklearn_ecg.utils import resample

N_RR = 512  # previous R-R intervals per row: loaded and read with the same value
SNRS = (24, 18, 12, 6, 0)
LEAD = "MLII"
FS = 360  # MIT-BIH's rate, at which load_mitbih returns the rows
RATE = 128  # a Holter's rate: the record resampled to it, then annotated
ONSET, STRETCH = 300.0, 120.0  # --intermittent: NSTDB's schedule of noise, seconds
# what `train` writes on the model card: the rows annotate cuts from a record
CARD = {
    "fs": 360.0,
    "segment_recording": {
        "window": 4.0,
        "context": True,
        "n_rr": N_RR,
        "n_next": 1,
        "n_template": 64,
    },
    "leads": [LEAD],
}


def conditions(kinds, snrs, rates=()):
    """(name, kind, snr, lead, rate) of every condition.

    Clean, each kind at each SNR, the other lead, then both leads clean at
    each of ``rates`` (Hz; None: the record's own rate).
    """
    out = [("clean MLII", None, None, "MLII", None)]
    out += [
        (f"{kind} {snr} dB", kind, snr, "MLII", None) for kind in kinds for snr in snrs
    ]
    out.append(("other lead, clean", None, None, "other", None))
    for rate in rates:
        out.append((f"MLII at {rate:g} Hz", None, None, "MLII", rate))
        out.append((f"other lead at {rate:g} Hz", None, None, "other", rate))
    return out


def train(
    seed,
    records,
    max_epochs,
    cache_dir,
    *,
    lead=LEAD,
    copies=0,
    feature_lead=None,
    lowpass=None,
):
    """The ensemble fitted on ``records`` (DS1), from the cache when it was fitted before.

    ``lead="all"`` trains on both leads of every record; ``copies`` noisy
    copies of every record (the NSTDB kinds at 6-24 dB, seeded by ``seed``)
    are added to the training rows, as ``train --augment-noise`` does;
    ``feature_lead`` keeps the feature models to that lead's rows, as
    ``train --feature-lead`` does; ``lowpass`` low-passes the feature
    models' beats, as ``train --lowpass`` does.
    """
    model = make_ensemble_pipeline(
        fs=FS,
        n_rr=N_RR,
        max_epochs=max_epochs,
        feature_leads=feature_lead,
        lowpass=lowpass,
        random_state=seed,
    )
    model.set_params(estimator__network__clf__verbose=0)
    # the recipe's own description is part of the key: a changed recipe is refitted
    key = f"ensemble_seed{seed}_epochs{max_epochs}_{len(records)}records"
    key += "" if lead == LEAD else f"_lead-{lead}"
    key += f"_noise{copies}" if copies else ""
    params = model.get_params(deep=True)
    recipe = {
        k: type(v).__name__ if hasattr(v, "get_params") else v
        for k, v in params.items()
    }
    key += f"_{joblib.hash(recipe)[:8]}"
    path = Path(cache_dir) / f"{key}.joblib"
    if path.is_file():
        print(f"seed {seed}: model from {path}", flush=True)
        return joblib.load(path), 0.0
    tick = time.perf_counter()
    noise = {"copies": copies, "random_state": seed} if copies else None
    beats = load_mitbih(
        records=list(records), lead=lead, context=True, n_rr=N_RR, noise=noise
    )
    by_lead = {} if feature_lead is None else {"lead": beats.row_lead}
    with sklearn.config_context(enable_metadata_routing=True):
        model.fit(beats.data, beats.target, groups=beats.groups, **by_lead)
    seconds = time.perf_counter() - tick
    print(
        f"seed {seed}: trained on {len(beats.target)} DS1 beats in {seconds:.0f} s",
        flush=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return model, seconds


def behind_the_gate(model, records):
    """The fitted ensemble behind the irregular-rhythm gate, refitting nothing.

    The gate's ``fit`` only checks the rows and labels (those of one DS1 record).
    """
    rows = load_mitbih(records=list(records[:1]), lead=LEAD, context=True, n_rr=N_RR)
    return IrregularRhythmGate(FrozenEstimator(model), n_rr=N_RR).fit(
        rows.data, rows.target
    )


def train_filter(seed, records, copies, cache_dir):
    """The artifact filter fitted on the detections of ``records`` and their noisy copies."""
    path = (
        Path(cache_dir)
        / f"artifacts_seed{seed}_{len(records)}records_noise{copies}.joblib"
    )
    if path.is_file():
        print(f"seed {seed}: artifact filter from {path}", flush=True)
        return joblib.load(path), 0.0
    tick = time.perf_counter()
    rows = load_wfdb_detections(
        get_data_home(subdir="mitdb"),
        list(records),
        lead=LEAD,
        n_rr=N_RR,
        noise={"copies": copies, "random_state": seed},
    )
    model = make_artifact_pipeline(fs=rows.fs, n_rr=N_RR, random_state=seed)
    model.fit(rows.data, rows.target)
    seconds = time.perf_counter() - tick
    print(
        f"seed {seed}: artifact filter trained on {len(rows.target)} detections "
        f"({int((rows.target == 'artifact').sum())} artifacts) in {seconds:.0f} s",
        flush=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return model, seconds


def annotate_conditions(
    model,
    card,
    record_path,
    conditions,
    noise,
    seed,
    artifact_model=None,
    threshold=None,
    intermittent=False,
    quality_thresholds=(),
):
    """EC57 comparison of the model's annotation of one record under every condition.

    With ``quality_thresholds``, every condition at the record's own rate is
    also scored with the beats of lower ``qrs_agreement`` marked ``Q``, as
    ``annotate_signal(quality_threshold=...)`` marks them (at the model's
    rate, which is the record's).
    """
    torch.set_num_threads(1)
    sig_name = read_wfdb_header(record_path).sig_name
    if LEAD not in sig_name:
        raise ValueError(
            f"Record {record_path} has no lead {LEAD!r}; it holds {sig_name}."
        )
    other = next(name for name in sig_name if name != LEAD)
    signals = {"MLII": read_wfdb_record(record_path, lead=LEAD)}
    signals["other"] = read_wfdb_record(record_path, lead=other)
    fs = signals["MLII"].fs
    reference = read_wfdb_annotation(record_path, "atr", beats_only=True)
    results = {}
    for name, kind, snr, lead, rate in conditions:
        x = signals[lead].signal
        if kind is not None:
            # one noise draw per record, kind and seed: only its level changes with the SNR
            draw = np.random.SeedSequence(
                [seed, int(signals[lead].name), NSTDB_RECORDS.index(kind)]
            )
            noisy = add_noise(
                x,
                kind if noise is None else noise[kind],
                snr,
                fs=fs,
                peaks=reference.sample,
                random_state=int(draw.generate_state(1)[0]),
            )
            x = np.where(noise_on(x.size, fs), noisy, x) if intermittent else noisy
        at, truth = fs, reference.sample
        if rate is not None:
            # as a recorder at that rate would have sampled it; annotate_signal
            # resamples it to the model's rate
            at, x = rate, resample(x, fs, rate)
            truth = np.minimum(np.round(truth * (rate / fs)), x.size - 1).astype(int)
        beats = annotate_signal(
            x,
            at,
            model,
            card,
            artifact_model=artifact_model,
            artifact_threshold=ARTIFACT_THRESHOLD if threshold is None else threshold,
        )
        results[name] = compare_annotations(
            truth, reference.symbol, beats.sample, beats.label, at
        )
        if rate is None and quality_thresholds:
            quality = qrs_agreement(x, fs, beats.sample)
            for limit in quality_thresholds:
                label = np.where(quality < limit, "Q", beats.label)
                results[marked(name, limit)] = compare_annotations(
                    truth, reference.symbol, beats.sample, label, at
                )
    return signals["MLII"].name, results, other


def noise_on(n_times, fs):
    """Where NSTDB's records carry noise: from minute 5, two minutes on, two off."""
    t = np.arange(n_times) / fs
    return (t >= ONSET) & (((t - ONSET) // STRETCH) % 2 == 0)


def marked(name, limit):
    return f"{name}, Q below {limit:g}"


def _f1(counts):
    denominator = 2 * counts["tp"] + counts["fn"] + counts["fp"]
    return 2 * counts["tp"] / denominator if denominator else float("nan")


def summarise(per_record):
    """Gross QRS Se, +P, F1(S), F1(V) of one condition over the records."""
    gross = ec57_gross(per_record)
    return {
        "qrs_se": gross["qrs"]["se"],
        "qrs_ppv": gross["qrs"]["ppv"],
        "f1_s": _f1(gross["sveb"]),
        "f1_v": _f1(gross["veb"]),
    }


METRICS = ("qrs_se", "qrs_ppv", "f1_s", "f1_v")


def print_table(result, n_seeds):
    spread = n_seeds > 1
    head = "mean ± sd over {} seeds".format(n_seeds) if spread else "one seed"
    print(f"\nDS2, own detector (detect_r_peaks), gross EC57 ({head}):")
    print("| condition | QRS Se | QRS +P | F1(S) | F1(V) |")
    print("|---|---|---|---|---|")
    for name, entry in result.items():
        cells = [
            f"{entry[m]['mean']:.3f} ± {entry[m]['sd']:.3f}"
            if spread
            else f"{entry[m]['mean']:.3f}"
            for m in METRICS
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


def plot(result, kinds, snrs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True, dpi=90)
    for ax, metric, title in zip(axes, ("f1_s", "f1_v"), ("F1(S)", "F1(V)")):
        for kind in kinds:
            ys = [result[f"{kind} {snr} dB"][metric]["mean"] for snr in snrs]
            ax.plot(snrs, ys, marker="o", label=kind)
        ax.axhline(
            result["clean MLII"][metric]["mean"],
            color="k",
            ls="--",
            lw=1,
            label="clean",
        )
        ax.axhline(
            result["other lead, clean"][metric]["mean"],
            color="grey",
            ls=":",
            lw=1.5,
            label="other lead",
        )
        ax.set_xlabel("SNR (dB)")
        ax.set_title(f"{title}, DS2")
        ax.set_xticks(list(snrs))
        ax.invert_xaxis()
        ax.grid(alpha=0.3)
    axes[0].set_ylim(0, 1)
    axes[0].set_ylabel("F1")
    axes[1].legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--max-epochs", type=int, default=12)
    parser.add_argument(
        "--kinds", nargs="*", default=list(NSTDB_RECORDS), choices=NSTDB_RECORDS
    )
    parser.add_argument("--snrs", type=float, nargs="+", default=list(SNRS))
    parser.add_argument(
        "--noise",
        choices=("synthetic", "nstdb"),
        default="synthetic",
        help="synthetic noise (make_ecg_noise) or the NSTDB noise records (load_nstdb)",
    )
    parser.add_argument(
        "--rates",
        type=float,
        nargs="*",
        default=[RATE],
        help="also annotate both leads, clean, resampled to these rates (Hz)",
    )
    parser.add_argument(
        "--intermittent",
        action="store_true",
        help="noise only where NSTDB's records carry it: from minute 5, two minutes on, "
        "two off",
    )
    parser.add_argument(
        "--quality-thresholds",
        type=float,
        nargs="*",
        default=[],
        metavar="AGREEMENT",
        help="also score every condition at the record's rate with the beats of lower "
        "qrs_agreement marked Q (as annotate --quality-threshold)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="6 DS1 records, 2 epochs, 4 DS2 records, 12 and 0 dB",
    )
    parser.add_argument("--jobs", type=int, default=2, help="records in parallel")
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads for training"
    )
    parser.add_argument(
        "--train-lead",
        choices=(LEAD, "all"),
        default=LEAD,
        help="train on MLII (default) or on both leads of every DS1 record",
    )
    parser.add_argument(
        "--feature-lead",
        default=None,
        help="with --train-lead all: the lead whose rows the ensemble's feature models "
        "learn from (e.g. MLII), its network learning from both leads",
    )
    parser.add_argument(
        "--augment-noise",
        type=int,
        default=0,
        metavar="COPIES",
        help="noisy copies of every DS1 record added to the training rows (default 0)",
    )
    parser.add_argument(
        "--lowpass",
        type=float,
        default=None,
        metavar="HZ",
        help="low-pass the feature models' beats at HZ before their morphology features "
        "(make_ensemble_pipeline(lowpass=...), train --lowpass)",
    )
    parser.add_argument(
        "--artifact-filter",
        type=int,
        default=0,
        metavar="COPIES",
        help="also train the artifact filter on DS1 with COPIES noisy copies per record and "
        "annotate with it (default 0: no filter)",
    )
    parser.add_argument(
        "--artifact-threshold",
        type=float,
        default=ARTIFACT_THRESHOLD,
        help="probability of artifact from which the filter drops a detection",
    )
    parser.add_argument(
        "--no-gate",
        action="store_true",
        help="annotate with the ensemble alone, not behind IrregularRhythmGate",
    )
    parser.add_argument("--cache-dir", default=".noise_robustness_cache")
    parser.add_argument("--json", default="noise_robustness.json")
    parser.add_argument(
        "--figure", default=None, help="write the F1-against-SNR PNG here"
    )
    args = parser.parse_args(argv)
    if args.feature_lead is not None and args.train_lead != "all":
        parser.error("--feature-lead needs --train-lead all")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()

    train_records, test_records = list(DS1), list(DS2)
    snrs = [int(s) if float(s).is_integer() else s for s in args.snrs]
    if args.quick:
        train_records, test_records = train_records[:6], ["100", "105", "200", "232"]
        args.max_epochs, snrs = min(args.max_epochs, 2), [12, 0]
    conds = conditions(args.kinds, snrs, args.rates)
    scored = [(*c, None) for c in conds] + [
        (marked(c[0], limit), *c[1:], limit)
        for c in conds
        if c[4] is None
        for limit in args.quality_thresholds
    ]
    mitdb = get_data_home(subdir="mitdb")
    noise = None
    if args.noise == "nstdb":
        recorded = load_nstdb(
            get_data_home(subdir="nstdb"), kinds=args.kinds, lead="noise1"
        )
        noise = {k: recorded.data[i, 0] for i, k in enumerate(recorded.kinds)}

    per_seed, train_seconds, eval_seconds, other_leads = [], [], [], {}
    for seed in args.seeds:
        model, seconds = train(
            seed,
            train_records,
            args.max_epochs,
            args.cache_dir,
            lead=args.train_lead,
            copies=args.augment_noise,
            feature_lead=args.feature_lead,
            lowpass=args.lowpass,
        )
        if not args.no_gate:
            model = behind_the_gate(model, train_records)
        artifact_model = None
        if args.artifact_filter:
            artifact_model, filter_seconds = train_filter(
                seed, train_records, args.artifact_filter, args.cache_dir
            )
            seconds += filter_seconds
        train_seconds.append(seconds)
        tick = time.perf_counter()
        out = joblib.Parallel(n_jobs=args.jobs)(
            joblib.delayed(annotate_conditions)(
                model,
                CARD,
                mitdb / name,
                conds,
                noise,
                seed,
                artifact_model,
                args.artifact_threshold,
                args.intermittent,
                args.quality_thresholds,
            )
            for name in test_records
        )
        eval_seconds.append(time.perf_counter() - tick)
        print(
            f"seed {seed}: {len(test_records)} records x {len(conds)} conditions annotated "
            f"in {eval_seconds[-1]:.0f} s",
            flush=True,
        )
        other_leads = {name: lead for name, _, lead in out}
        per_seed.append(
            {c[0]: summarise([res[c[0]] for _, res, _ in out]) for c in scored}
        )

    result = {}
    for name, kind, snr, lead, rate, limit in scored:
        entry = {"kind": kind, "snr": snr, "lead": lead, "fs": rate or FS}
        entry["quality_threshold"] = limit
        for metric in METRICS:
            values = [float(s[name][metric]) for s in per_seed]
            entry[metric] = {
                "mean": float(np.mean(values)),
                "sd": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
                "seeds": values,
            }
        result[name] = entry
    runtime = time.perf_counter() - start
    print_table(result, len(per_seed))
    if args.figure:
        plot(result, args.kinds, snrs, args.figure)
        print(f"Wrote {args.figure}")
    report = {
        "conditions": result,
        "seeds": args.seeds,
        "noise": args.noise,
        "train_records": train_records,
        "test_records": test_records,
        "other_lead": other_leads,
        "max_epochs": args.max_epochs,
        "train_lead": args.train_lead,
        "feature_lead": args.feature_lead,
        "augment_noise": args.augment_noise,
        "irregular_rhythm_gate": not args.no_gate,
        "artifact_filter": args.artifact_filter,
        "artifact_threshold": args.artifact_threshold if args.artifact_filter else None,
        "intermittent": args.intermittent,
        "quality_thresholds": args.quality_thresholds,
        "train_s": [round(s) for s in train_seconds],
        "annotate_s": [round(s) for s in eval_seconds],
        "runtime_s": round(runtime),
        "machine": f"{platform.machine()}, {args.jobs} job(s), {args.threads} torch thread(s)",
    }
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(f"Wrote {args.json}; runtime {runtime:.0f} s")
    return report


if __name__ == "__main__":
    main()
