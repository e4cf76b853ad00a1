import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import wfdb
from _helpers import write_annotation, write_record

from sklearn_ecg import load_model, read_model_card
from sklearn_ecg.__main__ import main
from sklearn_ecg.annotation import annotate_record
from sklearn_ecg.datasets import make_ecg_beats
from sklearn_ecg.metrics import compare_annotation_files, compare_annotations
from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.preprocessing import segment_recording
from sklearn_ecg.utils import resample

FS = 360


def _strip(n_beats, random_state):
    """A continuous synthetic strip at 360 Hz: generated beats joined 0.85 s apart."""
    beats = make_ecg_beats(
        n_samples=n_beats,
        classes=("N", "V"),
        weights=(0.8, 0.2),
        n_patients=1,
        random_state=random_state,
    )
    centre = beats.data.shape[1] // 2
    half = int(0.425 * FS)
    pieces = beats.data[:, centre - half : centre + half]
    signal = pieces.reshape(-1).astype(np.float64)
    peaks = np.arange(n_beats) * 2 * half + half
    return signal, peaks, beats.target


def _write_record(folder, name, signal, peaks, symbols, fs, sig_name="MLII"):
    """A WFDB record and its reference annotation, which opens with a rhythm (non-beat) annotation."""
    write_record(folder, name, signal, fs=fs, sig_name=sig_name)
    write_annotation(
        folder,
        name,
        np.r_[1, peaks],
        ["+", *symbols],
        aux_note=["(N", *[""] * len(peaks)],
        fs=fs,
    )
    return folder / name


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "model.skecg"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SKLEARN_ECG_DATA", raising=False)  # synthetic training
        main(
            [
                "train",
                "--out",
                str(path),
                "--n-synthetic",
                "300",
                "--max-epochs",
                "1",
                "--verbose",
                "0",
                "--threads",
                "1",
            ]
        )
    return path


@pytest.fixture
def records(tmp_path):
    signal, peaks, target = _strip(40, 0)
    rec360 = _write_record(tmp_path, "r360", signal, peaks, target, FS)
    signal128 = resample(signal.astype(np.float32), FS, 128).astype(np.float64)
    peaks128 = np.round(peaks * 128 / FS).astype(int)
    rec128 = _write_record(tmp_path, "r128", signal128, peaks128, target, 128)
    return rec360, rec128


def test_train_saves_a_model_with_its_card(model_file):
    card = read_model_card(model_file)
    assert card["fs"] == 360.0
    assert card["segment_recording"] == {
        "window": 4.0,
        "context": True,
        "n_rr": 512,
        "n_next": 1,
        "n_template": 64,
    }
    assert card["recipe"] == "ensemble" and card["records"] == []
    assert card["irregular_rhythm_gate"] == 0.05
    assert card["leads"] == [] and card["databases"] == []
    assert set(card["class_counts"]) == {"N", "S", "V", "F", "Q"}
    assert card["scores"]["epochs"] == 1 and "train_loss" in card["scores"]
    signal, peaks, _ = _strip(10, 0)
    rows, _ = segment_recording(
        signal, fs=360, peaks=peaks[[3, 4]], **card["segment_recording"]
    )
    assert load_model(model_file).predict(rows).shape == (2,)


def test_train_refuses_to_overwrite(model_file):
    with pytest.raises(FileExistsError, match="--overwrite"):
        main(
            [
                "train",
                "--out",
                str(model_file),
                "--n-synthetic",
                "100",
                "--max-epochs",
                "1",
            ]
        )


def test_annotate_with_reference_peaks_keeps_them_exactly(model_file, records):
    for record in records:
        main(
            [
                "annotate",
                str(record),
                "--model",
                str(model_file),
                "--peaks-from",
                "atr",
                "--extension",
                "tst",
            ]
        )
        ref = wfdb.rdann(str(record), "atr")
        test = wfdb.rdann(str(record), "tst")
        assert np.array_equal(
            test.sample, ref.sample[1:]
        )  # the beats, not the rhythm annotation
        assert set(test.symbol) <= {"N", "A", "V", "F", "Q"}
        assert test.fs == ref.fs


def test_annotate_detects_beats_at_another_sampling_frequency(model_file, records):
    rec360, rec128 = records
    main(["annotate", str(rec360), str(rec128), "--model", str(model_file)])
    for record in records:
        result = compare_annotation_files(record, test="skecg")
        # XQRS passes over some of the generator's smooth ventricular beats, not the normal ones
        assert result["qrs"]["ppv"] == 1.0
        assert result["qrs"]["se"] >= 0.75
        cm = np.asarray(result["confusion_matrix"])
        assert cm[0, -1] <= 2  # normal beats are found
    # the same beats at 128 Hz and 360 Hz: detections agree within the match window
    a = wfdb.rdann(str(rec360), "skecg")
    b = wfdb.rdann(str(rec128), "skecg")
    in_ms = [np.round(ann.sample * 1000 / ann.fs).astype(int) for ann in (a, b)]
    same = compare_annotations(in_ms[0], a.symbol, in_ms[1], b.symbol, fs=1000)
    assert same["qrs"]["tp"] >= 0.9 * len(a.sample)


def test_annotate_a_folder_and_overwrite(model_file, records):
    folder = records[0].parent
    written = main(
        ["annotate", str(folder), "--model", str(model_file), "--peaks-from", "atr"]
    )
    assert sorted(written) == sorted(str(r) for r in records)
    with pytest.raises(FileExistsError, match=r"r128\.skecg' exists; pass --overwrite"):
        main(["annotate", str(folder), "--model", str(model_file)])
    main(["annotate", str(folder), "--model", str(model_file), "--overwrite"])


def test_annotate_prints_warnings_for_the_user_not_dependencies_deprecations(
    model_file, records, monkeypatch, capsys
):
    import warnings

    import sklearn_ecg.annotation

    annotate_record = sklearn_ecg.annotation.annotate_record

    def warning_annotate_record(*args, **kwargs):
        warnings.warn("a dependency's argument is deprecated", DeprecationWarning)
        warnings.warn("soon deprecated", PendingDeprecationWarning)
        warnings.warn("lead 'V9' is not one the model was trained on", UserWarning)
        return annotate_record(*args, **kwargs)

    monkeypatch.setattr(
        sklearn_ecg.annotation, "annotate_record", warning_annotate_record
    )
    main(["annotate", str(records[0]), "--model", str(model_file), "--overwrite"])
    err = capsys.readouterr().err
    assert "warning: lead 'V9' is not one the model was trained on" in err
    assert "deprecated" not in err


def test_annotate_bad_input(model_file, records, tmp_path):
    rec360 = records[0]
    with pytest.raises(ValueError, match=r"has no lead 'V5'; its leads are \['MLII'\]"):
        main(["annotate", str(rec360), "--model", str(model_file), "--lead", "V5"])
    with pytest.raises(
        FileNotFoundError,
        match=r"r360'\.qrs does not exist\. Annotation files of this record: atr",
    ):
        main(
            ["annotate", str(rec360), "--model", str(model_file), "--peaks-from", "qrs"]
        )
    with pytest.raises(FileNotFoundError, match="no .*nothere.hea"):
        main(["annotate", str(tmp_path / "nothere"), "--model", str(model_file)])
    with pytest.raises(ValueError, match="letters only"):
        main(
            [
                "annotate",
                str(rec360),
                "--model",
                str(model_file),
                "--extension",
                "my_ext",
            ]
        )
    signal, peaks, target = _strip(3, 1)
    short = _write_record(tmp_path, "short", signal, peaks, target, FS)
    with pytest.raises(
        ValueError,
        match=r"short' holds 2.55 s of signal, shorter than the model's 4.0 s",
    ):
        main(["annotate", str(short), "--model", str(model_file)])
    text = tmp_path / "model.txt"
    text.write_text("not a model")
    with pytest.raises(ValueError, match="not a sklearn-ecg model file"):
        main(["annotate", str(rec360), "--model", str(text)])


def test_annotate_marks_unreadable_stretches_q(model_file, records, tmp_path):
    from sklearn_ecg.datasets import make_ecg_noise

    rec360 = records[0]
    main(["annotate", str(rec360), "--model", str(model_file), "--quality-threshold"])
    assert "Q" not in wfdb.rdann(str(rec360), "skecg").symbol
    signal, peaks, target = _strip(80, 2)
    half = signal.size // 2
    noise = make_ecg_noise(signal.size, kind="em", fs=FS, rms=0.6, random_state=0)
    noisy = signal + np.r_[np.zeros(half), noise[half:]]
    record = _write_record(tmp_path, "noisy", noisy, peaks, target, FS)
    main(
        [
            "annotate",
            str(record),
            "--model",
            str(model_file),
            "--quality-threshold",
            "0.7",
        ]
    )
    written = wfdb.rdann(str(record), "skecg")
    q = np.asarray(written.symbol) == "Q"
    assert q.any()
    assert np.all(written.sample[q] > half - 5 * FS)
    with pytest.raises(ValueError, match="--quality-threshold must be an agreement"):
        main(
            ["annotate", str(rec360), "--model", str(model_file), "--overwrite"]
            + ["--quality-threshold", "0"]
        )


def test_evaluate_prints_and_writes_the_python_numbers(
    model_file, records, tmp_path, capsys
):
    for record in records:
        main(
            [
                "annotate",
                str(record),
                "--model",
                str(model_file),
                "--peaks-from",
                "atr",
                "--extension",
                "tst",
            ]
        )
    out = tmp_path / "ec57.json"
    report = main(["evaluate", *map(str, records), "--test", "tst", "--json", str(out)])
    assert json.loads(out.read_text()) == report
    for record in records:
        assert report["records"][record.name] == compare_annotation_files(
            record, test="tst"
        )
    assert report["gross"]["qrs"]["se"] == 1.0
    printed = capsys.readouterr().out
    assert (
        "r360" in printed and "gross" in printed and "Gross confusion matrix" in printed
    )
    with pytest.raises(
        FileNotFoundError, match="Annotation files of this record: atr, tst"
    ):
        main(["evaluate", str(records[0]), "--test", "nope"])


def test_default_command_is_the_main_job(monkeypatch, tmp_path):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    out = tmp_path / "main.skecg"
    report = main(
        [
            "--n-synthetic",
            "300",
            "--max-epochs",
            "1",
            "--verbose",
            "0",
            "--out",
            str(out),
            "--data-home",
            "",
        ]
    )
    assert set(report) == {"accuracy", "macro_f1", "per_class"}
    assert read_model_card(out)["scores"]["test"] == report


def test_missing_data_folder_is_an_error_not_a_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv("SKLEARN_ECG_DATA", str(tmp_path / "misspelled"))
    with pytest.raises(
        FileNotFoundError,
        match=r"SKLEARN_ECG_DATA=.*misspelled.*unset it to use synthetic",
    ):
        main(["--max-epochs", "1"])
    with pytest.raises(FileNotFoundError, match="--data-home"):
        main(
            ["train", "--data-home", str(tmp_path), "--out", str(tmp_path / "m.skecg")]
        )


def test_help_explains_every_option():
    for command in ("run", "train", "annotate", "evaluate"):
        result = subprocess.run(
            [sys.executable, "-m", "sklearn_ecg", command, "--help"],
            capture_output=True,
            text=True,
            check=True,
        )
        options = [
            w for w in result.stdout.split() if w.startswith("--") and w != "--help"
        ]
        assert options
        assert "None)" not in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_ecg", "evaluate", "missing", "--test", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        result.returncode == 1
        and "error: WFDB record 'missing' not found" in result.stderr
    )


def test_features_recipe_on_synthetic_data(tmp_path, monkeypatch, records):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    model = tmp_path / "features.skecg"
    main(["train", "--recipe", "features", "--n-synthetic", "300", "--out", str(model)])
    assert read_model_card(model)["recipe"] == "features"
    assert isinstance(load_model(model), IrregularRhythmGate)
    bare = tmp_path / "bare.skecg"
    main(
        ["train", "--recipe", "features", "--n-synthetic", "300", "--no-gate"]
        + ["--out", str(bare)]
    )
    assert read_model_card(bare)["irregular_rhythm_gate"] is None
    assert not isinstance(load_model(bare), IrregularRhythmGate)
    with pytest.raises(ValueError, match="--no-gate applies to the beat recipes"):
        main(
            ["train", "--recipe", "artifacts", "--no-gate", "--out", str(bare)]
            + ["--overwrite"]
        )
    with pytest.raises(
        ValueError, match="--checkpoint-dir applies to the network recipes"
    ):
        main(
            [
                "train",
                "--recipe",
                "features",
                "--checkpoint-dir",
                str(tmp_path),
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )
    with pytest.raises(ValueError, match="--max-epochs applies to the network recipes"):
        main(
            [
                "train",
                "--recipe",
                "features",
                "--max-epochs",
                "2",
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )
    main(["annotate", str(records[1]), "--model", str(model), "--peaks-from", "atr"])
    assert len(wfdb.rdann(str(records[1]), "skecg").sample) == 40


def test_ensemble_recipe_holds_out_patients_and_annotates(
    tmp_path, monkeypatch, records
):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    model = tmp_path / "vote.skecg"
    main(
        [
            "train",
            "--recipe",
            "ensemble",
            "--n-synthetic",
            "300",
            "--max-epochs",
            "1",
            "--out",
            str(model),
        ]
    )
    card = read_model_card(model)
    assert card["recipe"] == "ensemble"
    gate = load_model(model)
    assert isinstance(gate, IrregularRhythmGate) and gate.n_rr == 512
    assert list(gate.estimator_.estimator_.named_estimators_) == ["features", "network"]
    assert card["scores"]["epochs"] == 1
    assert card["scores"]["valid_scoring"] == "f1_macro"
    main(["annotate", str(records[1]), "--model", str(model), "--peaks-from", "atr"])
    assert len(wfdb.rdann(str(records[1]), "skecg").sample) == 40


@pytest.mark.parametrize("recipe", ["beat", "features"])
def test_mitbih_train_annotate_evaluate(recipe, mitdb_dir, tmp_path):
    """Train on two DS1 records (one epoch), annotate DS2 record 100 and evaluate it."""
    model = tmp_path / "mitbih.skecg"
    options = ["--max-epochs", "1"] if recipe == "beat" else []
    main(
        [
            "train",
            "--data-home",
            str(mitdb_dir),
            "--records",
            "101,106",
            "--recipe",
            recipe,
            *options,
            "--out",
            str(model),
            "--verbose",
            "0",
        ]
    )
    card = read_model_card(model)
    assert card["records"] == ["101", "106"] and card["leads"] == ["MLII"]
    assert card["databases"] == ["mitdb"]
    assert card["segment_recording"]["context"] is True and card["recipe"] == recipe
    for ext in ("hea", "dat", "atr"):
        shutil.copy(mitdb_dir / f"100.{ext}", tmp_path / f"100.{ext}")
    main(["annotate", str(tmp_path / "100"), "--model", str(model)])
    report = main(["evaluate", str(tmp_path / "100"), "--test", "skecg"])
    assert report["gross"]["qrs"]["se"] > 0.99 and report["gross"]["qrs"]["ppv"] > 0.99
    assert report["gross"]["n_reference"] == 2273


def test_annotate_with_a_model_saved_from_python(model_file, records, tmp_path):
    from sklearn_ecg import save_model

    rows = read_model_card(model_file)["segment_recording"]
    bare = save_model(
        load_model(model_file),
        tmp_path / "bare.skecg",
        card={"fs": 360, "segment_recording": rows},
    )
    main(
        [
            "annotate",
            str(records[0]),
            "--model",
            str(bare),
            "--peaks-from",
            "atr",
            "--extension",
            "py",
        ]
    )
    assert len(wfdb.rdann(str(records[0]), "py").sample) == 40
    no_fs = save_model(load_model(model_file), tmp_path / "nofs.skecg")
    with pytest.raises(ValueError, match="does not record the sampling frequency"):
        main(["annotate", str(records[0]), "--model", str(no_fs)])


def test_train_resumes_from_a_checkpoint(tmp_path, monkeypatch):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    checkpoints = tmp_path / "checkpoints"
    common = [
        "train",
        "--n-synthetic",
        "200",
        "--verbose",
        "0",
        "--checkpoint-dir",
        str(checkpoints),
    ]
    main([*common, "--max-epochs", "1", "--out", str(tmp_path / "a.skecg")])
    assert any(checkpoints.iterdir())
    main([*common, "--max-epochs", "2", "--out", str(tmp_path / "b.skecg")])
    assert read_model_card(tmp_path / "b.skecg")["scores"]["epochs"] == 2


def test_train_on_any_wfdb_database_and_annotate_another_lead(
    tmp_path, monkeypatch, capsys
):
    """Records of other databases, at 128 and 250 Hz, with their own names and lead."""
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    holter, wearable = tmp_path / "holter", tmp_path / "wearable"
    holter.mkdir(), wearable.mkdir()
    signal, peaks, target = _strip(60, 2)
    for folder, name, fs, lead in (
        (holter, "rec_a", 128, "II"),
        (holter, "rec_b", 250, "II"),
        (wearable, "w01", 250, "II"),
        (tmp_path, "chest", 250, "V1"),
    ):
        at_fs = resample(signal.astype(np.float32), FS, fs).astype(np.float64)
        at_peaks = np.round(peaks * fs / FS).astype(int)
        _write_record(folder, name, at_fs, at_peaks, target, fs, sig_name=lead)
    model = tmp_path / "holter.skecg"
    common = ["--recipe", "features", "--verbose", "0"]
    main(
        ["train", "--data-home", str(holter), "--records", "rec_a,rec_b"]
        + ["--lead", "MLII,II", *common, "--out", str(model)]
    )
    card = read_model_card(model)
    assert card["records"] == ["rec_a", "rec_b"] and card["databases"] == ["holter"]
    assert card["leads"] == ["II"] and card["fs"] == 360.0
    assert card["class_counts"] == dict(
        zip(*np.unique(np.r_[target, target], return_counts=True))
    )
    # no S beat in these records: the gate, which needs S and N, stays off
    assert "S" not in card["class_counts"] and card["irregular_rhythm_gate"] is None
    assert "Gate: off" in capsys.readouterr().out
    # several folders, every annotated record of each, at the rate asked for
    both = tmp_path / "both.skecg"
    main(
        ["train", "--data-home", str(holter), str(wearable), "--fs", "250"]
        + ["--lead", "II", *common, "--out", str(both)]
    )
    card = read_model_card(both)
    assert card["databases"] == ["holter", "wearable"] and card["fs"] == 250.0
    assert card["records"] == ["holter/rec_a", "holter/rec_b", "wearable/w01"]
    assert sum(card["class_counts"].values()) == 3 * 60
    # a lead the model never saw: annotated, with a warning naming it
    capsys.readouterr()
    main(
        [
            "annotate",
            str(tmp_path / "chest"),
            "--model",
            str(model),
            "--peaks-from",
            "atr",
        ]
    )
    printed = capsys.readouterr()
    assert "warning: Record" in printed.err
    assert "lead 'V1' is not one the model was trained on (II)" in printed.err
    assert "60 beats" in printed.out and "lead V1" in printed.out
    with pytest.raises(ValueError, match=r"has no lead 'II'; its leads are \['V1'\]"):
        main(
            ["annotate", str(tmp_path / "chest"), "--model", str(model), "--lead", "II"]
            + ["--overwrite"]
        )
    with pytest.raises(ValueError, match="--records DS1 names MIT-BIH records"):
        main(
            [
                "train",
                "--data-home",
                str(holter),
                "--records",
                "DS1",
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )
    with pytest.raises(FileNotFoundError, match=r"Record\(s\) \['nope'\] not found"):
        main(
            [
                "train",
                "--data-home",
                str(holter),
                "--records",
                "rec_a,nope",
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )
    with pytest.raises(ValueError, match="has no lead 'V5'"):
        main(
            [
                "train",
                "--data-home",
                str(holter),
                "--records",
                "rec_a",
                "--lead",
                "V5",
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )


def test_train_augment_noise(tmp_path, monkeypatch, capsys):
    """--augment-noise trains on noisy copies of every record too, and the card says so."""
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    signal, peaks, target = _strip(40, 5)
    for name in ("rec_a", "rec_b"):
        _write_record(tmp_path, name, signal, peaks, target, FS)
    common = ["train", "--data-home", str(tmp_path), "--lead", "MLII"]
    common += ["--recipe", "features", "--verbose", "0", "--random-state", "3"]
    model = tmp_path / "noisy.skecg"
    main([*common, "--augment-noise", "2", "--out", str(model)])
    assert (
        "Noise augmentation: 2 noisy copies of every record" in capsys.readouterr().out
    )
    card = read_model_card(model)
    assert card["noise_augmentation"] == {
        "kinds": ["bw", "em", "ma"],
        "snr": [6.0, 24.0],
        "copies": 2,
        "random_state": 3,
    }
    assert card["records"] == ["rec_a", "rec_b"]
    counts = dict(zip(*np.unique(np.r_[target, target], return_counts=True)))
    assert card["class_counts"] == {c: 3 * n for c, n in counts.items()}
    # off by default: no copies, no card entry
    plain = tmp_path / "plain.skecg"
    main([*common, "--out", str(plain)])
    card = read_model_card(plain)
    assert "noise_augmentation" not in card
    assert card["feature_lowpass"] is None  # --lowpass off by default, too
    assert _morphology_lowpass(load_model(plain)) == {None}
    assert card["class_counts"] == counts
    with pytest.raises(ValueError, match="--augment-noise must be a positive number"):
        main([*common, "--augment-noise", "0", "--out", str(tmp_path / "x.skecg")])
    with pytest.raises(ValueError, match="--augment-noise adds noise to recordings"):
        main(["train", "--augment-noise", "--out", str(tmp_path / "x.skecg")])


def _morphology_lowpass(model):
    """The ``lowpass`` values of every MorphologyFeatures in ``model``."""
    params = model.get_params()
    return {v for k, v in params.items() if k.endswith("morphology__lowpass")}


def test_train_lowpass_filters_the_feature_models_and_says_so(tmp_path, monkeypatch):
    """--lowpass HZ reaches the features recipe's MorphologyFeatures and the card."""
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    signal, peaks, target = _strip(40, 5)
    for name in ("rec_a", "rec_b"):
        _write_record(tmp_path, name, signal, peaks, target, FS)
    common = ["train", "--data-home", str(tmp_path), "--lead", "MLII"]
    common += ["--recipe", "features", "--verbose", "0"]
    model = tmp_path / "lowpass.skecg"
    main([*common, "--lowpass", "25", "--out", str(model)])
    assert read_model_card(model)["feature_lowpass"] == 25.0
    assert _morphology_lowpass(load_model(model)) == {25.0}
    out = str(tmp_path / "x.skecg")
    with pytest.raises(ValueError, match=r"--lowpass must lie below half .*\(180 Hz\)"):
        main([*common, "--lowpass", "180", "--out", out])
    with pytest.raises(ValueError, match="--lowpass must be a positive number"):
        main([*common, "--lowpass", "0", "--out", out])
    with pytest.raises(
        ValueError, match="--lowpass applies to the features and ensemble"
    ):
        main(["train", "--recipe", "beat", "--lowpass", "25", "--out", out])


def test_train_feature_lead_keeps_the_ensembles_feature_models_to_one_lead(
    tmp_path, monkeypatch, capsys
):
    """--lead all --feature-lead MLII: the network learns from both leads, the feature models from MLII."""
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    signal, peaks, target = _strip(60, 7)
    two = np.c_[signal, -0.5 * signal]
    for name in ("rec_a", "rec_b"):
        write_record(tmp_path, name, two, fs=FS, sig_name=["MLII", "V1"])
        write_annotation(tmp_path, name, peaks, list(target), fs=FS)
    common = ["train", "--data-home", str(tmp_path), "--recipe", "ensemble"]
    common += ["--max-epochs", "1", "--verbose", "0", "--no-gate"]
    model_path = tmp_path / "mixed.skecg"
    main([*common, "--lead", "all", "--feature-lead", "MLII", "--out", str(model_path)])
    assert "Feature models: the rows of lead MLII; network: every lead (MLII, V1)" in (
        capsys.readouterr().out
    )
    model, card = load_model(model_path, return_card=True)
    assert card["feature_leads"] == ["MLII"] and card["leads"] == ["MLII", "V1"]
    assert model.estimator_.named_estimators_["features"].n_rows_fit_ == 2 * 60
    assert sum(card["class_counts"].values()) == 4 * 60  # what the network learned from
    # annotating V1: the network knows it, the feature models do not, and a warning says so
    write_record(tmp_path, "v1_only", -0.5 * signal, fs=FS, sig_name="V1")
    write_annotation(tmp_path, "v1_only", peaks, list(target), fs=FS)
    capsys.readouterr()
    main(["annotate", str(tmp_path / "v1_only"), "--model", str(model_path)])
    err = capsys.readouterr().err
    assert (
        "lead 'V1' is not one the model's feature models were trained on (MLII)" in err
    )
    assert "the model was trained on" not in err
    # without it every model learns from every lead, and the card says so
    plain = tmp_path / "plain.skecg"
    main([*common, "--lead", "all", "--out", str(plain)])
    assert read_model_card(plain)["feature_leads"] is None
    with pytest.raises(ValueError, match="--feature-lead names V9, which no training"):
        main(
            [*common, "--lead", "all", "--feature-lead", "V9", "--out", str(plain)]
            + ["--overwrite"]
        )
    with pytest.raises(ValueError, match="rows' leads are MLII \\(load more leads"):
        main(
            [*common, "--lead", "MLII", "--feature-lead", "V1"]
            + ["--out", str(plain), "--overwrite"]
        )
    with pytest.raises(ValueError, match="--feature-lead applies to the ensemble"):
        main(
            [*common, "--recipe", "features", "--feature-lead", "MLII"]
            + ["--out", str(plain), "--overwrite"]
        )


def test_train_defaults_build_the_main_commands_ensemble(tmp_path, monkeypatch, capsys):
    """Left at its defaults, the ensemble learns as the main command's: network every lead, features MLII."""
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    signal, peaks, target = _strip(60, 7)
    for folder in ("mit", "other", "one"):
        (tmp_path / folder).mkdir()
    for folder, leads in (("mit", ["MLII", "V1"]), ("other", ["ECG1", "ECG2"])):
        for name in ("rec_a", "rec_b"):
            write_record(
                tmp_path / folder,
                name,
                np.c_[signal, -0.5 * signal],
                fs=FS,
                sig_name=leads,
            )
            write_annotation(tmp_path / folder, name, peaks, list(target), fs=FS)
    for name in ("rec_c", "rec_d"):
        write_record(tmp_path / "one", name, signal, fs=FS, sig_name="ECG1")
        write_annotation(tmp_path / "one", name, peaks, list(target), fs=FS)
    common = ["train", "--max-epochs", "1", "--verbose", "0", "--no-gate"]
    model_path = tmp_path / "default.skecg"
    main([*common, "--data-home", str(tmp_path / "mit"), "--out", str(model_path)])
    assert "Feature models: the rows of lead MLII; network: every lead (MLII, V1)" in (
        capsys.readouterr().out
    )
    model, card = load_model(model_path, return_card=True)
    assert card["recipe"] == "ensemble" and card["leads"] == ["MLII", "V1"]
    assert card["feature_leads"] == ["MLII"]
    assert model.estimator_.named_estimators_["features"].n_rows_fit_ == 2 * 60
    # annotate reads the feature models' lead first, whatever the record's order
    write_record(
        tmp_path,
        "v1_first",
        np.c_[-0.5 * signal, signal],
        fs=FS,
        sig_name=["V1", "MLII"],
    )
    capsys.readouterr()
    main(["annotate", str(tmp_path / "v1_first"), "--model", str(model_path)])
    out, err = capsys.readouterr()
    assert "lead MLII ->" in out and "is not one" not in err
    v1_listed_first = {**card, "leads": ["V1", "MLII"]}
    beats = annotate_record(tmp_path / "v1_first", model, v1_listed_first)
    assert beats.lead == "MLII"
    beats = annotate_record(
        tmp_path / "v1_first", model, {**v1_listed_first, "feature_leads": None}
    )
    assert beats.lead == "V1"
    # the other recipes keep to MLII
    features_path = tmp_path / "features.skecg"
    main(
        ["train", "--data-home", str(tmp_path / "mit"), "--recipe", "features"]
        + ["--verbose", "0", "--no-gate", "--out", str(features_path)]
    )
    card = read_model_card(features_path)
    assert card["leads"] == ["MLII"] and card["feature_leads"] is None
    # one lead of another name: every model learns from it
    one_path = tmp_path / "one.skecg"
    main([*common, "--data-home", str(tmp_path / "one"), "--out", str(one_path)])
    card = read_model_card(one_path)
    assert card["leads"] == ["ECG1"] and card["feature_leads"] is None
    # several leads, none MLII: an error before training that says what to give
    with pytest.raises(
        ValueError, match="learn from lead MLII by default .* leads are ECG1, ECG2"
    ):
        main(
            [
                *common,
                "--data-home",
                str(tmp_path / "other"),
                "--out",
                str(tmp_path / "x.skecg"),
            ]
        )
    assert not (tmp_path / "x.skecg").exists()
    main(
        [*common, "--data-home", str(tmp_path / "other"), "--feature-lead", "ECG1"]
        + ["--out", str(tmp_path / "x.skecg")]
    )
    assert read_model_card(tmp_path / "x.skecg")["feature_leads"] == ["ECG1"]


def test_main_job_on_mitbih_trains_the_network_on_every_lead_the_features_on_mlii(
    tmp_path, monkeypatch, capsys
):
    """The main job reads DS1 with every lead and keeps the feature models to MLII.

    The loader is replaced by synthetic two-lead rows: what is checked is what
    the job asks of it and what it does with the rows' leads.
    """
    import sklearn_ecg.datasets

    (tmp_path / "mitdb").mkdir()
    (tmp_path / "mitdb" / "100.hea").write_text("100 1 360 10\n")
    asked = {}

    def fake_load_mitbih(*, records, lead="MLII", **rows):
        asked[records] = lead
        beats = make_ecg_beats(
            n_samples=200, n_patients=4, random_state=0, context=True, n_rr=rows["n_rr"]
        )
        if lead != "all":
            beats.update(row_lead=np.full(200, "MLII"), lead_names=["MLII"])
            return beats
        other = beats.data.copy()
        other[:, : -(rows["n_rr"] + rows["n_next"])] *= -0.5
        beats.update(
            data=np.r_[beats.data, other],
            target=np.r_[beats.target, beats.target],
            groups=np.r_[beats.groups, beats.groups],
            row_lead=np.repeat(["MLII", "V1"], 200),
            lead_names=["MLII", "V1"],
        )
        return beats

    monkeypatch.setattr(sklearn_ecg.datasets, "load_mitbih", fake_load_mitbih)
    out = tmp_path / "main.skecg"
    main(
        ["--data-home", str(tmp_path), "--max-epochs", "1", "--verbose", "0"]
        + ["--out", str(out)]
    )
    assert asked == {"DS1": "all", "DS2": "MLII"}
    printed = capsys.readouterr().out
    assert "the network on leads MLII, V1, the feature models on MLII" in printed
    assert "Train: 400 rows (one per beat and lead), test: 200 beats" in printed
    model, card = load_model(out, return_card=True)
    assert card["feature_leads"] == ["MLII"] and card["leads"] == ["MLII", "V1"]
    vote = model.estimator_.estimator_
    assert vote.named_estimators_["features"].n_rows_fit_ == 200
