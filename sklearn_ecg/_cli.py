"""The command line: ``python -m sklearn_ecg [run|train|annotate|evaluate] ...``.

- ``run`` (the default when no command is given): train the recommended beat
  classifier (the ensemble recipe) and evaluate it patient-wise (MIT-BIH
  DS1 -> DS2, or synthetic patients).
- ``train``: train a recipe on annotated records and save a model file.
- ``annotate``: detect and classify the beats of WFDB records with a model
  file and write WFDB annotation files next to them.
- ``evaluate``: compare a test annotation with the reference beat by beat
  (ANSI/AAMI EC57, PhysioNet's ``bxb``), per record and gross.

The commands only parse options and compose the package's public parts.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["main"]

PROG = "python -m sklearn_ecg"
COMMANDS = ("run", "train", "annotate", "evaluate")
RECIPES = ("beat", "features", "ensemble")
DEFAULT_EXTENSION = "skecg"

# Symbol written for each AAMI class: WFDB's standard beat codes (A, an atrial
# premature beat, stands for S).
_WRITTEN_SYMBOL = {"N": "N", "S": "A", "V": "V", "F": "F", "Q": "Q"}
_SORTED_CLASSES = np.array(sorted(_WRITTEN_SYMBOL))
_SYMBOL_OF_CLASS = np.array([_WRITTEN_SYMBOL[c] for c in _SORTED_CLASSES])


class _Bunch(dict):
    __getattr__ = dict.__getitem__


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows defaults that say something (not None, not False)."""

    def _get_help_string(self, action):
        if action.default in (None, False) or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


# -- shared helpers ---------------------------------------------------------------
def _default_threads():
    """Half the CPU cores (one on two cores): torch threads fight other work for the rest."""
    return max(1, (os.cpu_count() or 2) // 2)


def _set_threads(n):
    import torch

    torch.set_num_threads(int(n))


def _find_mitdb(data_home):
    """The MIT-BIH folder from ``data_home`` (itself or its ``mitdb/``) or ``$SKLEARN_ECG_DATA``.

    None when neither is given; an error when one is given but holds no records.
    """
    from .datasets._base import DATA_ENV

    if data_home:
        source = f"--data-home {data_home!r}"
        root = Path(data_home).expanduser()
    elif os.environ.get(DATA_ENV):
        source = f"{DATA_ENV}={os.environ[DATA_ENV]!r}"
        root = Path(os.environ[DATA_ENV]).expanduser()
    else:
        return None
    for path in (root, root / "mitdb"):
        if (path / "100.hea").is_file():
            return path
    raise FileNotFoundError(
        f"No MIT-BIH records (100.hea) in {str(root)!r} or {str(root / 'mitdb')!r} (from {source}). "
        "Point it at the folder holding mitdb/ or at mitdb/ itself (download with "
        "sklearn_ecg.datasets.load_mitbih(download=True)), or unset it to use synthetic data."
    )


def _parse_records(text):
    if text in ("DS1", "DS2"):
        return text
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError(
            f"--records must be DS1, DS2 or a comma-separated list of record names; got {text!r}."
        )
    return names


def _record_paths(arguments):
    """WFDB record paths (no extension) from record paths and folders."""
    paths = []
    for arg in arguments:
        path = Path(arg)
        if path.suffix in (".hea", ".dat") and path.is_file():
            path = path.with_suffix("")
        if path.is_dir():
            listing = path / "RECORDS"
            if listing.is_file():
                names = [
                    line.strip()
                    for line in listing.read_text().splitlines()
                    if line.strip()
                ]
            else:
                names = sorted(p.stem for p in path.glob("*.hea"))
            if not names:
                raise FileNotFoundError(
                    f"Folder {str(path)!r} holds no WFDB record (no .hea file)."
                )
            paths += [path / name for name in names]
        elif Path(f"{path}.hea").is_file():
            paths.append(path)
        else:
            raise FileNotFoundError(
                f"WFDB record {str(path)!r} not found: no {path!s}.hea. Give a record path without "
                "extension (e.g. data/mitdb/100) or a folder of records."
            )
    return paths


def _check_extension(
    ext, option, *, pattern=r"[A-Za-z0-9_]+", what="letters, digits or underscores"
):
    if not re.fullmatch(pattern, ext or ""):
        raise ValueError(
            f"{option} must be {what} (a WFDB annotator name such as atr); got {ext!r}."
        )
    return ext


# -- rows and recipes --------------------------------------------------------------
def _rows(window):
    """The rows the recipes learn from: context rows, as keyword arguments of the loaders.

    ``load_mitbih`` and ``segment_recording`` share them, so ``annotate`` cuts
    rows from a new record exactly as the model card says the training rows were.
    """
    from ._context import DEFAULT_N_RR, DEFAULT_N_TEMPLATE

    return {
        "window": float(window),
        "context": True,
        "n_rr": DEFAULT_N_RR,
        "n_next": 1,
        "n_template": DEFAULT_N_TEMPLATE,
    }


def _synthetic(n_samples, rows, random_state):
    from .datasets import make_ecg_beats

    return make_ecg_beats(
        n_samples=n_samples,
        n_patients=20,
        weights=(0.7, 0.1, 0.1, 0.05, 0.05),
        window=rows["window"],
        context=True,
        n_rr=rows["n_rr"],
        n_next=rows["n_next"],
        random_state=random_state,
    )


def _make_recipe(recipe, fs, rows, random_state):
    from .pipelines import (
        make_beat_pipeline,
        make_ensemble_pipeline,
        make_feature_pipeline,
    )

    context = dict(fs=fs, n_rr=rows["n_rr"], n_next=rows["n_next"])
    if recipe == "beat":
        return make_beat_pipeline(**context, random_state=random_state)
    if recipe == "ensemble":
        return make_ensemble_pipeline(**context, random_state=random_state)
    return make_feature_pipeline(**context, random_state=random_state)


def _fit(pipe, beats, *, verbose, max_epochs, checkpoint_dir=None):
    """Fit a recipe; a network that validates holds out whole patients (``groups``)."""
    params = pipe.get_params()
    network = next(
        (p for p in ("clf__", "network__clf__") if f"{p}max_epochs" in params), None
    )
    for option, key, value in (
        ("--max-epochs", "max_epochs", max_epochs),
        ("--checkpoint-dir", "checkpoint_dir", checkpoint_dir),
    ):
        if value is not None:
            if network is None:
                raise ValueError(
                    f"{option} applies to the network recipes (beat, ensemble) only."
                )
            pipe.set_params(**{network + key: value})
    if network is not None:
        pipe.set_params(**{network + "verbose": verbose})
    if network is None or params.get(network + "validation_fraction") is None:
        return pipe.fit(beats.data, beats.target)
    if network == "clf__":
        return pipe.fit(beats.data, beats.target, clf__groups=beats.groups)
    from sklearn import config_context

    # the vote hands the groups to the network through metadata routing
    with config_context(enable_metadata_routing=True):
        return pipe.fit(beats.data, beats.target, groups=beats.groups)


def _card(beats, rows, recipe, lead, scores):
    classes, counts = np.unique(beats.target, return_counts=True)
    return {
        "fs": float(beats.fs),
        "lead": lead,
        "recipe": recipe,
        "segment_recording": rows,
        "records": [str(r) for r in beats.get("records", [])],
        "class_counts": {str(c): int(n) for c, n in zip(classes, counts)},
        "scores": scores,
    }


# -- run: the main job ------------------------------------------------------------
def _load_main_job(args, rows):
    from sklearn.model_selection import GroupShuffleSplit

    from .datasets import load_mitbih

    mitdb = _find_mitdb(args.data_home)
    if mitdb is not None:
        train = load_mitbih(data_home=mitdb, records="DS1", **rows)
        test = load_mitbih(data_home=mitdb, records="DS2", **rows)
        source = (
            f"MIT-BIH ({mitdb}): train DS1 ({len(set(train.groups))} records), "
            f"test DS2 ({len(set(test.groups))} records)"
        )
        return train, test, source
    beats = _synthetic(args.n_synthetic, rows, args.random_state)
    split = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=args.random_state)
    train_idx, test_idx = next(split.split(beats.data, beats.target, beats.groups))

    def subset(idx):
        return _Bunch(
            {key: beats[key][idx] for key in ("data", "target", "groups")}
            | {"fs": beats.fs}
        )

    source = "synthetic beats (make_ecg_beats), split by patient: no patient in both train and test"
    return subset(train_idx), subset(test_idx), source


def _run(args):
    from .metrics import aami_report

    _set_threads(args.threads)
    if args.out:
        _check_out(args.out, overwrite=True)  # before training, not after
    start = time.perf_counter()
    rows = _rows(4.0)
    train, test, source = _load_main_job(args, rows)
    print(f"Data: {source}")
    print(f"Train: {len(train.target)} beats, test: {len(test.target)} beats")
    pipe = _make_recipe("ensemble", train.fs, rows, args.random_state)
    _fit(pipe, train, verbose=args.verbose, max_epochs=args.max_epochs)
    y_pred = pipe.predict(test.data)
    print()
    print(aami_report(test.target, y_pred))
    report = aami_report(test.target, y_pred, output_dict=True)
    if args.out:
        from ._persistence import save_model

        leads = train.get("lead")
        card = _card(
            train, rows, "ensemble", leads[0] if leads else None, {"test": report}
        )
        save_model(pipe, args.out, card=card)
        print(f"Model saved to {args.out}")
    print(f"Finished in {time.perf_counter() - start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


# -- train ------------------------------------------------------------------------
def _train(args):
    from ._persistence import save_model
    from .datasets import load_mitbih

    _set_threads(args.threads)
    _check_out(args.out, args.overwrite)
    start = time.perf_counter()
    rows = _rows(args.window)
    mitdb = _find_mitdb(args.data_home)
    if mitdb is not None:
        beats = load_mitbih(
            data_home=mitdb,
            records=_parse_records(args.records),
            lead=args.lead,
            **rows,
        )
        print(
            f"Data: MIT-BIH ({mitdb}), lead {args.lead}, {len(beats.records)} records: "
            f"{', '.join(map(str, beats.records))}"
        )
    else:
        beats = _synthetic(args.n_synthetic, rows, args.random_state)
        beats.records = []
        print(
            "Data: synthetic beats (make_ecg_beats); give --data-home to train on MIT-BIH"
        )
    classes, counts = np.unique(beats.target, return_counts=True)
    print(
        f"Train: {len(beats.target)} beats ({', '.join(f'{c} {n}' for c, n in zip(classes, counts))})"
    )
    pipe = _make_recipe(args.recipe, beats.fs, rows, args.random_state)
    _fit(
        pipe,
        beats,
        verbose=args.verbose,
        max_epochs=args.max_epochs,
        checkpoint_dir=args.checkpoint_dir,
    )
    card = _card(
        beats,
        rows,
        args.recipe,
        args.lead if mitdb is not None else None,
        _history_scores(pipe),
    )
    save_model(pipe, args.out, card=card)
    print(f"Model saved to {args.out} ({time.perf_counter() - start:.0f} s)")
    return Path(args.out)


def _history_scores(pipe):
    """Training figures of the pipeline's network, if it has one: epochs, last and best losses and scores."""
    if hasattr(pipe, "named_estimators_"):  # the vote: its network member
        pipe = pipe.named_estimators_["network"]
    clf = pipe[-1]
    net = getattr(clf, "net_", None)
    if net is None or not len(net.history):
        return {}
    history = net.history
    scores = {"epochs": len(history), "train_loss": float(history[-1, "train_loss"])}
    if "valid_loss" in history[-1]:
        scores["valid_loss_best"] = float(min(history[:, "valid_loss"]))
    if "valid_score" in history[-1]:
        scores["valid_score_best"] = float(max(history[:, "valid_score"]))
        scores["valid_scoring"] = str(clf.early_stopping_scoring)
    return scores


def _check_out(path, overwrite):
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(
            f"{str(path)!r} exists; pass --overwrite to replace it, or choose another --out."
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"Cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist."
        )


# -- annotate ---------------------------------------------------------------------
def _choose_channel(record, header, lead):
    names = list(header.sig_name)
    if lead is None:
        return 0
    if lead in names:
        return names.index(lead)
    raise ValueError(
        f"Record {str(record)!r} has no lead {lead!r}; its leads are {names}. Pass --lead with one of them."
    )


def annotate_record(
    record,
    model,
    card,
    *,
    extension=DEFAULT_EXTENSION,
    peaks_from=None,
    lead=None,
    overwrite=False,
):
    """Classify every beat of one WFDB record and write ``record.<extension>``.

    Returns ``(path, sample, symbol)``: the annotation file written, the beat
    positions at the record's sampling frequency and their WFDB symbols.
    """
    import wfdb

    from .datasets import AAMI_SYMBOL_MAP
    from .datasets._base import read_header, read_signal, resample
    from .metrics._ec57 import read_beat_annotation
    from .preprocessing import segment_recording

    record = Path(record)
    out = Path(f"{record}.{extension}")
    if out.exists() and not overwrite:
        raise FileExistsError(
            f"{str(out)!r} exists; pass --overwrite to replace it, or choose another --extension."
        )
    header = read_header(record)
    fs_record, fs_model = float(header.fs), float(card["fs"])
    if lead is None and card.get("lead") in header.sig_name:
        lead = card["lead"]
    channel = _choose_channel(record, header, lead)
    segment = dict(card.get("segment_recording") or {})
    if "window" not in segment and card.get("window"):
        segment["window"] = float(card["window"])
    window = float(segment.get("window", 4.0))
    if header.sig_len < window * fs_record:
        raise ValueError(
            f"Record {str(record)!r} holds {header.sig_len / fs_record:.2f} s of signal, shorter than the "
            f"model's {window} s context window; annotate longer records."
        )
    signal = resample(read_signal(record, [channel])[0], fs_record, fs_model)
    peaks = given = None
    if peaks_from is not None:
        given, symbol, _ = read_beat_annotation(record, peaks_from)
        given = given[
            np.isin(symbol, list(AAMI_SYMBOL_MAP))
            & (given >= 0)
            & (given < header.sig_len)
        ]
        peaks = np.minimum(
            np.round(given * fs_model / fs_record).astype(np.int64), signal.size - 1
        )
    windows, peaks = segment_recording(signal, fs=fs_model, peaks=peaks, **segment)
    if len(peaks):
        labels = np.asarray(model.predict(windows)).astype(str)
    else:
        labels = np.empty(0, dtype=str)
    unknown = sorted(set(labels) - set(_WRITTEN_SYMBOL))
    if unknown:
        raise ValueError(
            f"The model predicts {unknown}, which are not AAMI classes (N, S, V, F, Q)."
        )
    symbols = _SYMBOL_OF_CLASS[np.searchsorted(_SORTED_CLASSES, labels)]
    if given is not None:
        sample = given
    else:
        sample = np.clip(
            np.round(peaks * fs_record / fs_model).astype(np.int64),
            0,
            header.sig_len - 1,
        )
    try:
        wfdb.wrann(
            record.name,
            extension,
            sample,
            symbols,
            fs=fs_record,
            write_dir=str(record.parent or "."),
        )
    except OSError as exc:
        raise OSError(f"Cannot write {str(out)!r}: {exc.strerror or exc}.") from exc
    return out, sample, symbols


def _annotate(args):
    from ._persistence import load_model

    # wfdb.wrann accepts letters only
    _check_extension(
        args.extension, "--extension", pattern="[A-Za-z]+", what="letters only"
    )
    if args.peaks_from is not None:
        _check_extension(args.peaks_from, "--peaks-from")
    _set_threads(args.threads)
    records = _record_paths(args.records)
    model, card = load_model(args.model, return_card=True)
    if not card.get("fs"):
        raise ValueError(
            f"Model file {args.model!r} does not record the sampling frequency (card field fs) "
            "its model expects; train it with `train`, or save it with card={'fs': ...}."
        )
    written = {}
    for record in records:
        start = time.perf_counter()
        path, _, symbols = annotate_record(
            record,
            model,
            card,
            extension=args.extension,
            peaks_from=args.peaks_from,
            lead=args.lead,
            overwrite=args.overwrite,
        )
        kinds, counts = np.unique(symbols, return_counts=True)
        summary = ", ".join(f"{k} {n}" for k, n in zip(kinds, counts)) or "no beats"
        print(
            f"{record}: {len(symbols)} beats ({summary}) -> {path} ({time.perf_counter() - start:.1f} s)"
        )
        written[str(record)] = path
    return written


# -- evaluate ---------------------------------------------------------------------
def _evaluate(args):
    from .metrics import compare_annotation_files, ec57_report

    _check_extension(args.reference, "--reference")
    _check_extension(args.test, "--test")
    results = {}
    for record in _record_paths(args.records):
        results[record.name if record.name not in results else str(record)] = (
            compare_annotation_files(
                record,
                reference=args.reference,
                test=args.test,
                window=args.window,
                start=args.start,
                end=args.end,
            )
        )
    print(
        f"Beat-by-beat comparison of {args.test!r} against {args.reference!r} "
        f"(match window {args.window * 1000:g} ms, from {args.start:g} s)"
    )
    print(ec57_report(results))
    report = ec57_report(results, output_dict=True)
    if args.json:
        try:
            Path(args.json).write_text(json.dumps(report, indent=2))
        except OSError as exc:
            raise OSError(
                f"Cannot write {args.json!r}: {exc.strerror or exc}."
            ) from exc
    return report


# -- parser -------------------------------------------------------------------------
def _build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="ECG beat classification with scikit-learn: train, annotate WFDB records, evaluate "
        "them beat by beat. Without a command, runs `run` (the main job).",
        formatter_class=_HelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, help_text):
        return sub.add_parser(
            name, help=help_text, description=help_text, formatter_class=_HelpFormatter
        )

    def threads(p):
        p.add_argument(
            "--threads",
            type=int,
            default=_default_threads(),
            help="torch CPU threads (half the cores: more threads fight other work for them)",
        )

    def data_home(p):
        p.add_argument(
            "--data-home",
            default=None,
            help="folder holding mitdb/ (or the mitdb folder itself); default: $SKLEARN_ECG_DATA; "
            "with neither, synthetic data. A folder that holds no records is an error",
        )

    run = add(
        "run",
        "Train the recommended beat pipeline and evaluate it patient-wise: MIT-BIH DS1 -> DS2 "
        "with data, else synthetic patients; prints the AAMI report.",
    )
    data_home(run)
    run.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        help="training epochs (default: the pipeline's)",
    )
    run.add_argument(
        "--n-synthetic",
        type=int,
        default=3000,
        help="number of synthetic beats when no data is given",
    )
    run.add_argument(
        "--random-state", type=int, default=0, help="seed of the split and the network"
    )
    run.add_argument(
        "--json", default=None, help="also write the AAMI report as JSON to this path"
    )
    run.add_argument(
        "--out", default=None, help="also save the trained model to this model file"
    )
    run.add_argument(
        "--verbose",
        type=int,
        default=1,
        help="1 prints the per-epoch training table, 0 is quiet",
    )
    threads(run)

    train = add(
        "train",
        "Train a recipe on annotated records and save it as a model file (with its card: "
        "sampling frequency, window, records, versions).",
    )
    data_home(train)
    train.add_argument(
        "--records",
        default="DS1",
        help="DS1, DS2 or comma-separated MIT-BIH record names (e.g. 101,106)",
    )
    train.add_argument(
        "--lead",
        default="MLII",
        help="lead to train on (records without it are skipped)",
    )
    train.add_argument(
        "--window",
        type=float,
        default=4.0,
        help="context window around each beat, seconds",
    )
    train.add_argument(
        "--recipe",
        choices=RECIPES,
        default="ensemble",
        help="beat: sklearn_ecg.pipelines.make_beat_pipeline (network); features: "
        "make_feature_pipeline (logistic regression and random forest on rhythm and "
        "morphology features); ensemble: make_ensemble_pipeline (soft vote of the "
        "two); all learn from context rows (window, running template, R-R history)",
    )
    train.add_argument(
        "--max-epochs",
        type=int,
        default=None,
        help="training epochs (default: the recipe's)",
    )
    train.add_argument(
        "--checkpoint-dir",
        default=None,
        help="save the network's state here after every epoch; rerunning the same command "
        "with the same folder resumes an interrupted training",
    )
    train.add_argument(
        "--out", required=True, help="model file to write (e.g. model.skecg)"
    )
    train.add_argument(
        "--overwrite", action="store_true", help="replace --out if it exists"
    )
    train.add_argument(
        "--n-synthetic",
        type=int,
        default=3000,
        help="number of synthetic beats when no data is given",
    )
    train.add_argument(
        "--random-state", type=int, default=0, help="seed of the network"
    )
    train.add_argument(
        "--verbose",
        type=int,
        default=1,
        help="1 prints the per-epoch training table, 0 is quiet",
    )
    threads(train)

    annotate = add(
        "annotate",
        "Detect (wfdb XQRS) and classify every beat of WFDB records with a model file, "
        "and write RECORD.EXT annotation files (symbols N, A for S, V, F, Q) at the "
        "record's sampling frequency.",
    )
    annotate.add_argument(
        "records",
        nargs="+",
        metavar="RECORD",
        help="WFDB record path without extension, or a folder (all its records)",
    )
    annotate.add_argument(
        "--model", required=True, help="model file written by `train` or save_model"
    )
    annotate.add_argument(
        "--extension",
        default=DEFAULT_EXTENSION,
        help="annotator name of the written files (letters only)",
    )
    annotate.add_argument(
        "--peaks-from",
        default=None,
        metavar="EXT",
        help="take R-peaks from this annotation (e.g. atr) instead of detecting them, to "
        "separate classification errors from detection errors",
    )
    annotate.add_argument(
        "--lead",
        default=None,
        help="lead to read (default: the model's training lead if the record has it, else "
        "the first signal)",
    )
    annotate.add_argument(
        "--overwrite", action="store_true", help="replace existing annotation files"
    )
    threads(annotate)

    evaluate = add(
        "evaluate",
        "Compare a test annotation with the reference beat by beat (ANSI/AAMI EC57, "
        "like PhysioNet's bxb): QRS Se/+P, VEB and SVEB Se/+P and the AAMI confusion "
        "matrix, per record and gross.",
    )
    evaluate.add_argument(
        "records",
        nargs="+",
        metavar="RECORD",
        help="WFDB record path without extension, or a folder (all its records)",
    )
    evaluate.add_argument(
        "--reference", default="atr", help="extension of the reference annotation"
    )
    evaluate.add_argument(
        "--test", required=True, help="extension of the annotation under test"
    )
    evaluate.add_argument(
        "--json",
        default=None,
        help="also write the per-record and gross results as JSON",
    )
    evaluate.add_argument(
        "--window", type=float, default=0.15, help="match window in seconds"
    )
    evaluate.add_argument(
        "--start",
        type=float,
        default=0.0,
        help="seconds left out at the start of each record (bxb leaves out 300)",
    )
    evaluate.add_argument(
        "--end", type=float, default=None, help="seconds after which beats are left out"
    )
    return parser


_HANDLERS = {"run": _run, "train": _train, "annotate": _annotate, "evaluate": _evaluate}


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the command's result.

    Errors in the input (missing files, bad options) raise; :func:`console`
    turns them into a message and exit status 1.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["run", *argv]
    args = _build_parser().parse_args(argv)
    if getattr(args, "data_home", None) == "":
        args.data_home = None
    if getattr(args, "threads", 1) < 1:
        raise ValueError(f"--threads must be at least 1; got {args.threads}.")
    return _HANDLERS[args.command](args)


def console(argv=None):
    """Entry point of ``sklearn-ecg`` and ``python -m sklearn_ecg``: errors become one line and status 1."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(
            line_buffering=True
        )  # progress shows up in logs and pipes as it happens
    try:
        main(argv)
    except (ValueError, TypeError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    return 0
