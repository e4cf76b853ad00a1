"""The command line: ``python -m sklearn_ecg [run|train|annotate|evaluate] ...``.

- ``run`` (the default when no command is given): train the recommended beat
  classifier (the ensemble recipe) and evaluate it patient-wise (MIT-BIH
  DS1 -> DS2, or synthetic patients).
- ``train``: train a recipe on the annotated beats of any WFDB records
  (MIT-BIH's DS1 by default) and save a model file.
- ``annotate``: detect and classify the beats of WFDB records with a model
  file and write WFDB annotation files next to them
  (:func:`sklearn_ecg.annotation.annotate_record`).
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
import warnings
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .annotation import ARTIFACT_THRESHOLD, QUALITY_THRESHOLD

__all__ = ["main"]

PROG = "python -m sklearn_ecg"
COMMANDS = ("run", "train", "annotate", "evaluate")
RECIPES = ("beat", "features", "ensemble", "artifacts")
ARTIFACT_COPIES = 2  # noisy copies per record the artifacts recipe trains on by default
# The main job's feature models learn from MLII alone, its network from both leads of
# each DS1 record: chosen on DS1 leave-one-record-out (see the evaluation page).
MAIN_FEATURE_LEADS = ("MLII",)
DEFAULT_EXTENSION = "skecg"
DEFAULT_FS = 360.0


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


def _data_root(data_home):
    """``(folder, source)`` from ``--data-home`` or ``$SKLEARN_ECG_DATA``; None when neither is set."""
    from .datasets._base import DATA_ENV

    if data_home:
        return Path(data_home).expanduser(), f"--data-home {data_home!r}"
    if os.environ.get(DATA_ENV):
        return Path(
            os.environ[DATA_ENV]
        ).expanduser(), f"{DATA_ENV}={os.environ[DATA_ENV]!r}"
    return None


def _find_mitdb(data_home):
    """The MIT-BIH folder from ``data_home`` (itself or its ``mitdb/``) or ``$SKLEARN_ECG_DATA``.

    None when neither is given; an error when one is given but holds no records.
    """
    found = _data_root(data_home)
    if found is None:
        return None
    root, source = found
    for path in (root, root / "mitdb"):
        if (path / "100.hea").is_file():
            return path
    raise FileNotFoundError(
        f"No MIT-BIH records (100.hea) in {str(root)!r} or {str(root / 'mitdb')!r} (from {source}). "
        "Point it at the folder holding mitdb/ or at mitdb/ itself (download with "
        "sklearn_ecg.datasets.load_mitbih(download=True)), or unset it to use synthetic data."
    )


def _database_folder(root, source):
    """The folder of WFDB records ``root`` names: itself, or its ``mitdb/`` (MIT-BIH)."""
    if any(root.glob("*.hea")):
        return root
    if (root / "mitdb" / "100.hea").is_file():
        return root / "mitdb"
    raise FileNotFoundError(
        f"No WFDB records (.hea files) in {str(root)!r} or {str(root / 'mitdb')!r} (from {source}). "
        "Point it at a folder of beat-annotated WFDB records (or at the folder holding mitdb/), "
        "or unset it to use synthetic data."
    )


def _is_mitbih(folder):
    from .datasets import DS1, DS2

    return all((folder / f"{name}.hea").is_file() for name in (*DS1, *DS2))


def _split_names(text, option):
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError(f"{option} must name at least one; got {text!r}.")
    return names


def _parse_records(text):
    if text is None or text in ("DS1", "DS2"):
        return text
    return _split_names(text, "--records (DS1, DS2 or comma-separated record names)")


def _parse_lead(text):
    """None, one lead name, or a tuple of names in order of preference."""
    if text is None:
        return None
    names = _split_names(text, "--lead (a lead name, or comma-separated names)")
    return names[0] if len(names) == 1 else tuple(names)


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


# -- rows and recipes --------------------------------------------------------------
def _rows(window):
    """The rows the recipes learn from: context rows, as keyword arguments of the loaders.

    ``load_wfdb_beats`` and ``segment_recording`` share them, so ``annotate``
    cuts rows from a new record exactly as the model card says the training
    rows were.
    """
    from ._context import DEFAULT_N_RR, DEFAULT_N_TEMPLATE

    return {
        "window": float(window),
        "context": True,
        "n_rr": DEFAULT_N_RR,
        "n_next": 1,
        "n_template": DEFAULT_N_TEMPLATE,
    }


def _synthetic(n_samples, rows, random_state, fs=DEFAULT_FS):
    from .datasets import make_ecg_beats

    beats = make_ecg_beats(
        n_samples=n_samples,
        n_patients=20,
        weights=(0.7, 0.1, 0.1, 0.05, 0.05),
        fs=fs,
        window=rows["window"],
        context=True,
        n_rr=rows["n_rr"],
        n_next=rows["n_next"],
        random_state=random_state,
    )
    beats.update(records=[], lead_names=[], databases=[])
    return beats


def _make_recipe(
    recipe, fs, rows, random_state, *, gate, feature_leads=None, lowpass=None
):
    """The recipe's model, behind the irregular-rhythm gate where ``gate``.

    ``feature_leads`` (the ensemble only): the leads its feature models learn from;
    ``lowpass`` (features and ensemble): their morphology features' low-pass.
    """
    from .models import IrregularRhythmGate
    from .pipelines import (
        make_artifact_pipeline,
        make_beat_pipeline,
        make_ensemble_pipeline,
        make_feature_pipeline,
    )

    make = {
        "artifacts": make_artifact_pipeline,
        "beat": make_beat_pipeline,
        "ensemble": make_ensemble_pipeline,
        "features": make_feature_pipeline,
    }[recipe]
    extra = {} if feature_leads is None else {"feature_leads": feature_leads}
    if lowpass is not None:
        extra["lowpass"] = lowpass
    model = make(
        fs=fs,
        n_rr=rows["n_rr"],
        n_next=rows["n_next"],
        random_state=random_state,
        **extra,
    )
    if not gate:
        return model
    return IrregularRhythmGate(model, n_rr=rows["n_rr"], n_next=rows["n_next"])


def _use_gate(args, recipe, beats):
    """Whether a beat recipe goes behind the gate: unless ``--no-gate``, where S and N are labels."""
    if args.no_gate or recipe == "artifacts":
        return False
    if not {"S", "N"} <= set(np.unique(beats.target).tolist()):
        print(
            "Gate: off (the irregular-rhythm gate needs both S and N beats to train on)"
        )
        return False
    return True


def _gate_threshold(pipe):
    """The irregular-rhythm gate's threshold, None for a model without the gate."""
    from .models import IrregularRhythmGate

    return float(pipe.threshold) if isinstance(pipe, IrregularRhythmGate) else None


def _network_steps(pipe):
    """Parameter names of the network estimators inside a recipe, found by type."""
    from .models._base import BaseNetworkClassifier

    return [
        name
        for name, value in pipe.get_params(deep=True).items()
        if isinstance(value, BaseNetworkClassifier)
    ]


def _lead_subsets(pipe):
    """Whether a recipe holds members that learn from the rows of some leads alone."""
    from .models import LeadSubsetClassifier

    return any(
        isinstance(value, LeadSubsetClassifier) and value.leads is not None
        for value in pipe.get_params(deep=True).values()
    )


def _fit(pipe, beats, *, verbose, max_epochs, checkpoint_dir=None):
    """Fit a recipe; a network that validates holds out whole patients (``groups``),
    members that learn from some leads get each row's lead (``lead``)."""
    networks = _network_steps(pipe)
    for option, key, value in (
        ("--max-epochs", "max_epochs", max_epochs),
        ("--checkpoint-dir", "checkpoint_dir", checkpoint_dir),
    ):
        if value is not None and not networks:
            raise ValueError(
                f"{option} applies to the network recipes (beat, ensemble) only."
            )
        if value is not None:
            pipe.set_params(**{f"{name}__{key}": value for name in networks})
    pipe.set_params(**{f"{name}__verbose": verbose for name in networks})
    params = pipe.get_params(deep=True)
    validating = [
        n for n in networks if params.get(f"{n}__validation_fraction") is not None
    ]
    by_lead = _lead_subsets(pipe)
    if not validating and not by_lead:
        return pipe.fit(beats.data, beats.target)
    if not by_lead and all("__" not in name for name in validating):  # own steps
        routed = {f"{name}__groups": beats.groups for name in validating}
        return pipe.fit(beats.data, beats.target, **routed)
    from sklearn import config_context

    # a nested network (the vote's) gets the groups through metadata routing
    metadata = {"groups": beats.groups} if validating else {}
    if by_lead:
        metadata["lead"] = np.asarray(beats.row_lead)
    with config_context(enable_metadata_routing=True):
        return pipe.fit(beats.data, beats.target, **metadata)


def _history_scores(pipe):
    """Training figures of the recipe's network, if it has one: epochs, last and best losses and scores."""
    from ._persistence import _networks

    fitted = _networks(pipe)
    if not fitted or not len(fitted[0].net_.history):
        return {}
    clf = fitted[0]
    history = clf.net_.history
    scores = {"epochs": len(history), "train_loss": float(history[-1, "train_loss"])}
    if "valid_loss" in history[-1]:
        scores["valid_loss_best"] = float(min(history[:, "valid_loss"]))
    if "valid_score" in history[-1]:
        scores["valid_score_best"] = float(max(history[:, "valid_score"]))
        scores["valid_scoring"] = str(clf.early_stopping_scoring)
    return scores


def _card(
    beats, rows, recipe, scores, noise=None, gate=None, feature_leads=None, lowpass=None
):
    """The model card: what annotating needs (fs, rows, leads) and what the model learned from."""
    classes, counts = np.unique(beats.target, return_counts=True)
    card = {
        "fs": float(beats.fs),
        "segment_recording": rows,
        "leads": [str(lead) for lead in beats.get("lead_names", [])],
        "databases": [str(name) for name in beats.get("databases", [])],
        "records": [str(r) for r in beats.get("records", [])],
        "recipe": recipe,
        "feature_leads": None if feature_leads is None else list(feature_leads),
        "feature_lowpass": lowpass,
        "irregular_rhythm_gate": gate,
        "class_counts": {str(c): int(n) for c, n in zip(classes, counts)},
        "scores": scores,
    }
    if noise is not None:  # the training rows' noise augmentation
        card["noise_augmentation"] = {
            "kinds": list(noise["kinds"]),
            "snr": list(noise["snr"]),
            "copies": noise["copies"],
            "random_state": noise["random_state"],
        }
    return card


# -- run: the main job ------------------------------------------------------------
def _load_main_job(args, rows):
    from sklearn.model_selection import GroupShuffleSplit

    from .datasets import load_mitbih

    mitdb = _find_mitdb(args.data_home)
    if mitdb is not None:
        # every lead for the network; the feature models keep to MLII (MAIN_FEATURE_LEADS)
        train = load_mitbih(data_home=mitdb, records="DS1", lead="all", **rows)
        test = load_mitbih(data_home=mitdb, records="DS2", **rows)
        train.databases = [mitdb.name]
        source = (
            f"MIT-BIH ({mitdb}): train DS1 ({len(set(train.groups))} records; the network "
            f"on leads {', '.join(train.lead_names)}, the feature models on "
            f"{', '.join(MAIN_FEATURE_LEADS)}), test DS2 ({len(set(test.groups))} records, MLII)"
        )
        return train, test, source
    beats = _synthetic(args.n_synthetic, rows, args.random_state)
    split = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=args.random_state)
    train_idx, test_idx = next(split.split(beats.data, beats.target, beats.groups))

    def subset(idx):
        return Bunch(
            **{key: beats[key][idx] for key in ("data", "target", "groups")},
            fs=beats.fs,
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
    per = " (one per beat and lead)" if "row_lead" in train else ""
    print(f"Train: {len(train.target)} rows{per}, test: {len(test.target)} beats")
    feature_leads = MAIN_FEATURE_LEADS if "row_lead" in train else None
    pipe = _make_recipe(
        "ensemble",
        train.fs,
        rows,
        args.random_state,
        gate=_use_gate(args, "ensemble", train),
        feature_leads=feature_leads,
    )
    _fit(pipe, train, verbose=args.verbose, max_epochs=args.max_epochs)
    y_pred = pipe.predict(test.data)
    print()
    print(aami_report(test.target, y_pred))
    report = aami_report(test.target, y_pred, output_dict=True)
    if args.out:
        from ._persistence import save_model

        save_model(
            pipe,
            args.out,
            card=_card(
                train,
                rows,
                "ensemble",
                {"test": report},
                gate=_gate_threshold(pipe),
                feature_leads=feature_leads,
            ),
        )
        print(f"Model saved to {args.out}")
    print(f"Finished in {time.perf_counter() - start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


# -- train ------------------------------------------------------------------------
def _load_folder(folder, records, *, lead, fs, rows, noise=None, detections=False):
    """The beats of one folder: MIT-BIH's DS1/DS2 by name, or any records of any database.

    With ``detections``, the rows at the XQRS detections instead, labelled beat or artifact.
    """
    from .datasets import DS1, DS2, load_mitbih, load_wfdb_beats, load_wfdb_detections

    mitbih = _is_mitbih(folder)
    if records in ("DS1", "DS2") or (records is None and mitbih):
        if not mitbih:
            raise ValueError(
                f"--records {records} names MIT-BIH records, but {str(folder)!r} does not hold the "
                "MIT-BIH Arrhythmia Database. Name the records to train on (e.g. --records "
                "rec1,rec2), or leave --records out to train on every annotated record."
            )
        if detections:
            records = list(DS2 if records == "DS2" else DS1)
    if isinstance(records, list):
        records = [name for name in records if (folder / f"{name}.hea").is_file()]
    if detections:
        settings = {key: value for key, value in rows.items() if key != "context"}
        return load_wfdb_detections(
            folder, records=records, lead=lead, target_fs=fs, noise=noise, **settings
        )
    if records in ("DS1", "DS2") or (records is None and mitbih):
        return load_mitbih(
            data_home=folder,
            records=records or "DS1",
            lead=lead,
            target_fs=fs,
            noise=noise,
            **rows,
        )
    return load_wfdb_beats(
        folder, records=records, lead=lead, target_fs=fs, noise=noise, **rows
    )


def _concatenate(parts):
    """One training set from the beats of several folders; records named ``folder/record``."""
    if len(parts) == 1:
        ((folder, beats),) = parts.items()
        beats.databases = [folder.name]
        return beats

    def qualified(folder, names):
        return [f"{folder.name}/{name}" for name in names]

    first = next(iter(parts.values()))
    return Bunch(
        data=np.concatenate([b.data for b in parts.values()]),
        target=np.concatenate([b.target for b in parts.values()]),
        groups=np.concatenate(
            [np.asarray(qualified(f, b.groups)) for f, b in parts.items()]
        ),
        fs=first.fs,
        records=[r for f, b in parts.items() for r in qualified(f, b.records)],
        lead_names=list(
            dict.fromkeys(lead for b in parts.values() for lead in b.lead_names)
        ),
        row_lead=np.concatenate(
            [
                np.asarray(b.get("row_lead", [""] * len(b.target)))
                for b in parts.values()
            ]
        ),
        databases=[folder.name for folder in parts],
    )


def _noise_spec(args):
    """The noise augmentation of ``--augment-noise COPIES``: NSTDB kinds at 6-24 dB, seeded.

    The artifacts recipe learns what noise makes the detector find, so it
    takes ``ARTIFACT_COPIES`` noisy copies unless told otherwise.
    """
    if args.augment_noise is None and args.recipe == "artifacts":
        args.augment_noise = ARTIFACT_COPIES
    if args.augment_noise is None:
        return None
    if args.augment_noise < 1:
        raise ValueError(
            f"--augment-noise must be a positive number of noisy copies; got {args.augment_noise}."
        )
    from .datasets._noise import NOISE_AUGMENTATION

    return {
        **NOISE_AUGMENTATION,
        "copies": args.augment_noise,
        "random_state": args.random_state,
    }


def _load_training(args, rows, noise=None):
    """The training beats from ``--data-home`` and ``--records``, or synthetic ones."""
    homes = [home for home in (args.data_home or []) if home]
    roots = [_data_root(home) for home in homes] or [_data_root(None)]
    detections = args.recipe == "artifacts"
    if roots == [None] and detections:
        raise ValueError(
            "--recipe artifacts learns from the detector's output on recordings; give "
            "--data-home (the synthetic beats have no recording)."
        )
    if roots == [None]:
        if noise is not None:
            raise ValueError(
                "--augment-noise adds noise to recordings before their rows are cut; give "
                "--data-home (the synthetic beats have no recording)."
            )
        beats = _synthetic(args.n_synthetic, rows, args.random_state, fs=args.fs)
        return (
            beats,
            "synthetic beats (make_ecg_beats); give --data-home to train on records",
        )
    folders = [_database_folder(root, source) for root, source in roots]
    if len(set(folders)) < len(folders):
        raise ValueError(
            f"--data-home names a folder twice: {[str(f) for f in folders]}."
        )
    records = _parse_records(args.records)
    if isinstance(records, list):
        missing = [
            name
            for name in records
            if not any((folder / f"{name}.hea").is_file() for folder in folders)
        ]
        if missing:
            raise FileNotFoundError(
                f"Record(s) {missing} not found in {[str(f) for f in folders]} (no .hea file)."
            )
        folders = [
            f for f in folders if any((f / f"{name}.hea").is_file() for name in records)
        ]
    lead = _parse_lead(args.lead)
    parts = {
        folder: _load_folder(
            folder,
            records,
            lead=lead,
            fs=args.fs,
            rows=rows,
            noise=noise,
            detections=detections,
        )
        for folder in folders
    }
    beats = _concatenate(parts)
    source = (
        f"{', '.join(str(f) for f in folders)}: lead {', '.join(beats.lead_names)}, "
        f"{len(beats.records)} records ({', '.join(map(str, beats.records))}) at {beats.fs:g} Hz"
    )
    return beats, source


def _resolve_leads(args):
    """``--lead`` and ``--feature-lead`` with the recipe's defaults filled in.

    Left at their defaults, the ensemble recipe is trained as the main
    command trains it (chosen on DS1 leave-one-record-out): its network on
    every lead of the records, its feature models on ``MAIN_FEATURE_LEADS``.
    The other recipes learn from MLII.  Returns whether the feature leads are
    that default, not the user's.
    """
    default = (
        args.recipe == "ensemble" and args.lead is None and args.feature_lead is None
    )
    if args.lead is None:
        args.lead = "all" if args.recipe == "ensemble" else "MLII"
    if default:
        args.feature_lead = ",".join(MAIN_FEATURE_LEADS)
    return default


def _feature_leads(text, beats, *, default=False):
    """The leads of ``--feature-lead``, each one the training rows hold; None without it.

    ``default``: the leads are the ensemble's default, not named by the user;
    rows of one lead (or without lead names) are then every model's.
    """
    if text is None:
        return None
    loaded = sorted(set(np.asarray(beats.get("row_lead", [])).astype(str).tolist()))
    if default and len(loaded) < 2:
        return None
    names = _split_names(text, "--feature-lead (a lead name, or comma-separated names)")
    missing = [name for name in names if name not in loaded]
    if missing and default:
        raise ValueError(
            f"The ensemble recipe's feature models learn from lead {', '.join(missing)} by "
            f"default (its network from every lead), and no training row is of it: the "
            f"rows' leads are {', '.join(loaded)}. Name their lead(s) with --feature-lead "
            f"(e.g. --feature-lead {loaded[0]}), or train every model on one lead with --lead."
        )
    if missing:
        raise ValueError(
            f"--feature-lead names {', '.join(missing)}, which no training row is of: the "
            f"rows' leads are {', '.join(loaded)} (load more leads with --lead, e.g. all)."
        )
    print(
        f"Feature models: the rows of lead {', '.join(names)}; network: every lead "
        f"({', '.join(loaded)})"
    )
    return tuple(names)


def _train(args):
    from ._persistence import save_model

    _set_threads(args.threads)
    _check_out(args.out, args.overwrite)
    if not args.fs > 0:
        raise ValueError(f"--fs must be a positive number of Hz; got {args.fs}.")
    if args.no_gate and args.recipe == "artifacts":
        raise ValueError(
            "--no-gate applies to the beat recipes (beat, features, ensemble) only."
        )
    if args.feature_lead is not None and args.recipe != "ensemble":
        raise ValueError("--feature-lead applies to the ensemble recipe only.")
    if args.lowpass is not None:
        if args.recipe not in ("features", "ensemble"):
            raise ValueError(
                "--lowpass applies to the features and ensemble recipes only."
            )
        if not (np.isfinite(args.lowpass) and args.lowpass > 0):
            raise ValueError(
                f"--lowpass must be a positive number of Hz; got {args.lowpass}."
            )
    start = time.perf_counter()
    rows = _rows(args.window)
    noise = _noise_spec(args)
    default_leads = _resolve_leads(args)
    beats, source = _load_training(args, rows, noise)
    print(f"Data: {source}")
    feature_leads = _feature_leads(args.feature_lead, beats, default=default_leads)
    if args.lowpass is not None and not args.lowpass < beats.fs / 2:
        raise ValueError(
            f"--lowpass must lie below half the records' sampling frequency "
            f"({beats.fs / 2:g} Hz); got {args.lowpass:g}."
        )
    if noise is not None:
        print(
            f"Noise augmentation: {noise['copies']} noisy cop{'y' if noise['copies'] == 1 else 'ies'} "
            f"of every record ({', '.join(noise['kinds'])} at {noise['snr'][0]:g}-"
            f"{noise['snr'][1]:g} dB), counted in the beats below"
        )
    classes, counts = np.unique(beats.target, return_counts=True)
    what = "detections" if args.recipe == "artifacts" else "beats"
    print(
        f"Train: {len(beats.target)} {what} "
        f"({', '.join(f'{c} {n}' for c, n in zip(classes, counts))})"
    )
    pipe = _make_recipe(
        args.recipe,
        beats.fs,
        rows,
        args.random_state,
        gate=_use_gate(args, args.recipe, beats),
        feature_leads=feature_leads,
        lowpass=args.lowpass,
    )
    _fit(
        pipe,
        beats,
        verbose=args.verbose,
        max_epochs=args.max_epochs,
        checkpoint_dir=args.checkpoint_dir,
    )
    save_model(
        pipe,
        args.out,
        card=_card(
            beats,
            rows,
            args.recipe,
            _history_scores(pipe),
            noise,
            gate=_gate_threshold(pipe),
            feature_leads=feature_leads,
            lowpass=args.lowpass,
        ),
    )
    print(f"Model saved to {args.out} ({time.perf_counter() - start:.0f} s)")
    return Path(args.out)


# -- annotate ---------------------------------------------------------------------
def _annotate(args):
    from ._persistence import load_model
    from .annotation import annotate_record

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
    if not 0 < args.artifact_threshold <= 1:
        raise ValueError(
            f"--artifact-threshold must be a probability in (0, 1]; got {args.artifact_threshold}."
        )
    if args.quality_threshold is not None and not 0 < args.quality_threshold <= 1:
        raise ValueError(
            f"--quality-threshold must be an agreement in (0, 1]; got {args.quality_threshold}."
        )
    if args.artifact_model is not None and args.peaks_from is not None:
        raise ValueError(
            "--artifact-model filters detected R-peaks; --peaks-from keeps given ones. "
            "Use one of them."
        )
    written = {}
    for record in records:
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            beats = annotate_record(
                record,
                model,
                card,
                lead=_parse_lead(args.lead),
                peaks_from=args.peaks_from,
                extension=args.extension,
                overwrite=args.overwrite,
                artifact_model=args.artifact_model,
                artifact_threshold=args.artifact_threshold,
                quality_threshold=args.quality_threshold,
            )
        for warning in caught:
            # a dependency's deprecation is for its callers' authors, not for this user
            if not issubclass(
                warning.category, (DeprecationWarning, PendingDeprecationWarning)
            ):
                print(f"{PROG}: warning: {warning.message}", file=sys.stderr)
        kinds, counts = np.unique(beats.symbol, return_counts=True)
        summary = ", ".join(f"{k} {n}" for k, n in zip(kinds, counts)) or "no beats"
        if args.artifact_model is not None:
            summary += f"; {beats.artifact.size} artifacts dropped"
        print(
            f"{record}: {len(beats.symbol)} beats ({summary}), lead {beats.lead} -> "
            f"{beats.path} ({time.perf_counter() - start:.1f} s)"
        )
        written[str(record)] = beats.path
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
def _options():
    """The options several commands share: flags -> ``add_argument`` keywords.

    A ``{what}`` in a help text is filled in per command.
    """
    return {
        "--data-home": dict(
            default=None,
            help="folder holding mitdb/ (or the mitdb folder itself); default: $SKLEARN_ECG_DATA; "
            "with neither, synthetic data. A folder that holds no records is an error",
        ),
        "--max-epochs": dict(
            type=int, default=None, help="training epochs (default: the recipe's)"
        ),
        "--n-synthetic": dict(
            type=int,
            default=3000,
            help="number of synthetic beats when no data is given",
        ),
        "--random-state": dict(type=int, default=0, help="seed of {what}"),
        "--verbose": dict(
            type=int,
            default=1,
            help="1 prints the per-epoch training table, 0 is quiet",
        ),
        "--threads": dict(
            type=int,
            default=_default_threads(),
            help="torch CPU threads (half the cores: more threads fight other work for them)",
        ),
        "--json": dict(default=None, help="also write {what} as JSON to this path"),
        "--overwrite": dict(action="store_true", help="replace {what}"),
        "--lead": dict(default=None, help="{what}"),
        "--no-gate": dict(
            action="store_true",
            help="train {what} without the irregular-rhythm gate (IrregularRhythmGate: no S "
            "label where the rhythm before the beat is irregular, as in atrial fibrillation)",
        ),
        "--augment-noise": dict(
            type=int,
            nargs="?",
            const=1,
            default=None,
            metavar="COPIES",
            help="{what}",
        ),
        "records": dict(
            nargs="+",
            metavar="RECORD",
            help="WFDB record path without extension, or a folder (all its records)",
        ),
    }


def _add_options(parser, *flags, **what):
    """Add the shared options ``flags`` to ``parser``; ``what`` fills their help texts.

    ``what`` maps an option's name as a keyword (``random_state``) to its text.
    """
    options = _options()
    for flag in flags:
        spec = dict(options[flag])
        key = flag.lstrip("-").replace("-", "_")
        spec["help"] = spec["help"].format(what=what.get(key, ""))
        parser.add_argument(flag, **spec)


def _build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="ECG beat classification with scikit-learn: train, annotate WFDB records, evaluate "
        "them beat by beat. Without a command, runs `run` (the main job).",
        formatter_class=_HelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, help_text):
        return sub.add_parser(
            name, help=help_text, description=help_text, formatter_class=_HelpFormatter
        )

    training = ("--max-epochs", "--n-synthetic", "--random-state", "--verbose")

    run = command(
        "run",
        "Train the recommended beat pipeline and evaluate it patient-wise: MIT-BIH DS1 -> DS2 "
        "with data, else synthetic patients; prints the AAMI report.",
    )
    _add_options(
        run, "--data-home", *training, random_state="the split and the network"
    )
    _add_options(run, "--json", json="the AAMI report")
    run.add_argument(
        "--out", default=None, help="also save the trained model to this model file"
    )
    _add_options(run, "--no-gate", "--threads", no_gate="the ensemble")

    train = command(
        "train",
        "Train a recipe on the annotated beats of WFDB records (any database, lead and "
        "sampling frequency) and save it as a model file (with its card: sampling "
        "frequency, window, leads, databases, records, versions).",
    )
    train.add_argument(
        "--data-home",
        nargs="+",
        default=None,
        metavar="DIR",
        help="folder(s) of beat-annotated WFDB records (.hea, signal and .atr files), or the "
        "folder holding mitdb/; default: $SKLEARN_ECG_DATA; with neither, synthetic data",
    )
    train.add_argument(
        "--records",
        default=None,
        help="comma-separated record names of the --data-home folder(s) (e.g. 101,106 or "
        "I01,I02), or DS1 / DS2 (MIT-BIH's inter-patient sets); default: DS1 for MIT-BIH, "
        "else every annotated record of the folder(s)",
    )
    _add_options(
        train,
        "--lead",
        lead="lead to train on, or comma-separated leads in order of preference (e.g. "
        "MLII,II: each record's first one it holds), or 'all' for every lead of each record "
        "(one set of rows per lead); named records without it are an error, others are "
        "skipped (default: all for the ensemble recipe, its feature models on MLII as "
        "--feature-lead says; MLII for the others)",
    )
    train.add_argument(
        "--fs",
        type=float,
        default=DEFAULT_FS,
        help="sampling frequency of the model, Hz: records at other rates are resampled to it",
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
        "morphology features, S and V told apart by a forest of S and V beats); ensemble: "
        "make_ensemble_pipeline (soft vote of the two); artifacts: make_artifact_pipeline, a filter of the detector's false "
        "detections for `annotate --artifact-model` (learns from XQRS detections on the "
        "records and on --augment-noise copies, 2 by default); all learn from context rows "
        "(window, running template, R-R history)",
    )
    _add_options(
        train,
        "--augment-noise",
        augment_noise="also train on COPIES (default 1) noisy copies of every record: "
        "synthetic baseline wander, electrode motion or muscle noise (one kind drawn per "
        "copy) at an SNR drawn from 6-24 dB, added to the recording before its rows are cut, "
        "seeded by --random-state; recorded in the model card. Off by default",
    )
    train.add_argument(
        "--feature-lead",
        default=None,
        help="ensemble recipe: its feature models (classical vote, S/V forest) learn from "
        "the rows of this lead (or comma-separated leads) only, its network from every lead "
        "loaded (with --lead all); default: MLII where --lead is left at its default (the "
        "main command's recipe), else every model from every lead loaded",
    )
    train.add_argument(
        "--lowpass",
        type=float,
        default=None,
        metavar="HZ",
        help="features and ensemble recipes: low-pass each beat and its template at HZ "
        "(zero-phase Butterworth) before the morphology features, for recordings with "
        "muscle noise (25 Hz was measured on DS1); recorded in the model card. Off by default",
    )
    _add_options(train, "--no-gate", no_gate="a beat recipe")
    train.add_argument(
        "--checkpoint-dir",
        default=None,
        help="save the network's state here after every epoch; rerunning the same command "
        "with the same folder resumes an interrupted training",
    )
    train.add_argument(
        "--out", required=True, help="model file to write (e.g. model.skecg)"
    )
    _add_options(
        train,
        "--overwrite",
        *training,
        "--threads",
        overwrite="--out if it exists",
        random_state="the network",
    )

    annotate = command(
        "annotate",
        "Detect (wfdb XQRS and GQRS) and classify every beat of WFDB records with a model file, "
        "and write RECORD.EXT annotation files (symbols N, A for S, V, F, Q) at the "
        "record's sampling frequency.",
    )
    _add_options(annotate, "records")
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
        "--artifact-model",
        default=None,
        metavar="FILE",
        help="model file of an artifact filter (`train --recipe artifacts`, same --fs and "
        "--window): detections it calls artifacts are dropped before the beats are "
        "classified, and written as | (artifact) annotations, which `evaluate` ignores",
    )
    annotate.add_argument(
        "--artifact-threshold",
        type=float,
        default=ARTIFACT_THRESHOLD,
        help="probability of artifact from which --artifact-model drops a detection",
    )
    annotate.add_argument(
        "--quality-threshold",
        type=float,
        nargs="?",
        const=QUALITY_THRESHOLD,
        default=None,
        metavar="AGREEMENT",
        help="write beats where the signal is unreadable as Q (unclassifiable) instead of "
        "guessing: those where two QRS detectors agree less than this over the 10 s "
        "around the beat (qrs_agreement; the flag alone: %(const)s)",
    )
    _add_options(
        annotate,
        "--lead",
        "--overwrite",
        "--threads",
        lead="lead to read, or comma-separated leads in order of preference (default: the "
        "first lead the model's feature models, else the model, were trained on that the "
        "record holds, else its first signal); a lead the model was not trained on prints "
        "a warning",
        overwrite="existing annotation files",
    )

    evaluate = command(
        "evaluate",
        "Compare a test annotation with the reference beat by beat (ANSI/AAMI EC57, "
        "like PhysioNet's bxb): QRS Se/+P, VEB and SVEB Se/+P and the AAMI confusion "
        "matrix, per record and gross.",
    )
    _add_options(evaluate, "records")
    evaluate.add_argument(
        "--reference", default="atr", help="extension of the reference annotation"
    )
    evaluate.add_argument(
        "--test", required=True, help="extension of the annotation under test"
    )
    _add_options(evaluate, "--json", json="the per-record and gross results")
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
