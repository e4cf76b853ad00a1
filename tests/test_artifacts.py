"""The artifact filter: detections labelled beat or artifact, the filter, and annotate using it."""

import numpy as np
import pytest
import wfdb
from _helpers import beat_strip, write_annotation, write_record
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from sklearn_ecg import read_model_card
from sklearn_ecg.__main__ import main
from sklearn_ecg.annotation import (
    ARTIFACT_SYMBOL,
    annotate_record,
    annotate_signal,
)
from sklearn_ecg.datasets import DETECTION_CLASSES, load_wfdb_detections
from sklearn_ecg.metrics import compare_annotation_files
from sklearn_ecg.pipelines import make_artifact_pipeline
from sklearn_ecg.preprocessing import segment_recording

FS = 360
N_BEATS = 60
ROWS = {"window": 2.0, "n_rr": 8, "n_template": 4}
CARD = {"fs": FS, "segment_recording": {**ROWS, "context": True}}
N_WINDOW = int(round(ROWS["window"] * FS))
WIDTH = N_WINDOW + 252 + ROWS["n_rr"] + 1  # window | template (0.7 s) | rr


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Records r0, r1 (MLII, V1) whose reference annotation leaves out every 4th beat.

    XQRS finds the left-out beats, so their detections have no reference beat:
    they are the "artifacts" the tests know in advance.
    """
    folder = tmp_path_factory.mktemp("detections")
    for seed, name in enumerate(("r0", "r1")):
        signal, peaks, target = beat_strip(N_BEATS, seed, fs=FS)
        write_record(
            folder, name, np.c_[signal, -signal], fs=FS, sig_name=["MLII", "V1"]
        )
        kept = np.arange(N_BEATS) % 4 != 3
        symbols = np.where(target == "S", "A", target)
        write_annotation(folder, name, peaks[kept], symbols[kept], fs=FS)
        np.save(folder / f"{name}_left_out.npy", peaks[~kept])
    return folder


def _load(folder, **kwargs):
    return load_wfdb_detections(folder, lead="MLII", **ROWS, **kwargs)


def test_detections_are_labelled_by_the_reference(folder):
    rows = _load(folder)
    assert rows.records == ["r0", "r1"]
    assert rows.lead == ["MLII", "MLII"] and rows.lead_names == ["MLII"]
    assert list(rows.target_names) == list(DETECTION_CLASSES)
    assert rows.data.shape[1] == rows.layout.rr.stop
    for name in rows.records:
        mine = rows.groups == name
        left_out = np.load(folder / f"{name}_left_out.npy")
        near = np.abs(rows.r_peak[mine][:, None] - left_out[None, :]).min(axis=1) <= 54
        # exactly the detections of left-out beats are artifacts
        np.testing.assert_array_equal(rows.target[mine] == "artifact", near)
        assert near.sum() >= 10
        assert np.all(rows.symbol[mine][near] == "")
        assert set(rows.symbol[mine][~near]) <= {"N", "A", "V"}
    assert np.all(rows.noise_kind == "") and np.all(np.isnan(rows.noise_snr))
    X, y = _load(folder, return_X_y=True)
    np.testing.assert_array_equal(X, rows.data)
    np.testing.assert_array_equal(y, rows.target)


def test_noisy_copies_get_their_own_detections(folder):
    noise = {"kinds": "em", "snr": 0, "copies": 2, "random_state": 3}
    rows = _load(folder, noise=noise)
    clean = rows.noise_kind == ""
    np.testing.assert_array_equal(rows.data[clean], _load(folder).data)
    assert set(rows.noise_kind[~clean]) == {"em"}
    np.testing.assert_array_equal(rows.noise_snr[~clean], 0.0)
    # at 0 dB of electrode motion the detector finds other peaks than on the clean signal
    copy = rows.r_peak[~clean & (rows.groups == "r0")]
    assert not np.array_equal(copy, rows.r_peak[clean & (rows.groups == "r0")])
    again = _load(folder, noise=noise)
    np.testing.assert_array_equal(again.data, rows.data)
    np.testing.assert_array_equal(again.target, rows.target)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lead": "all"}, 'lead="all" is not supported'),
        ({"lead": "V5", "records": ["r0"]}, "has no lead 'V5'"),
        ({"noise": {"copies": 1, "colour": "pink"}}, "unknown key"),
        ({"window": np.nan}, "window"),
    ],
)
def test_bad_input(folder, kwargs, message):
    kwargs = {"lead": "MLII", **kwargs}
    with pytest.raises(ValueError, match=message):
        load_wfdb_detections(folder, **kwargs)


def test_artifact_pipeline_learns_false_detections(folder):
    rows = _load(folder, noise={"copies": 1, "random_state": 0})
    pipe = make_artifact_pipeline(fs=FS, n_rr=ROWS["n_rr"], random_state=0)
    assert [name for name, _ in pipe.steps] == ["features", "clf"]
    pipe.fit(rows.data, rows.target)
    assert list(pipe.classes_) == ["artifact", "beat"]
    proba = pipe.predict_proba(rows.data)[:, 0]
    # a learned filter: artifacts score above beats on the rows it saw
    assert proba[rows.target == "artifact"].mean() > proba[rows.target == "beat"].mean()
    twin = clone(pipe).fit(rows.data, rows.target)
    np.testing.assert_array_equal(twin.predict_proba(rows.data)[:, 0], proba)


class _FlagPeaks(ClassifierMixin, BaseEstimator):
    """A stand-in filter: "artifact" for the rows whose window centre is above ``level``."""

    def fit(self, X, y):
        self.classes_ = np.array(["artifact", "beat"])
        return self

    def predict_proba(self, X):
        centre = X[:, N_WINDOW // 2]
        flagged = (centre > self.level).astype(float)
        return np.c_[flagged, 1 - flagged]

    def __init__(self, level=1e9):
        self.level = level


class _AllNormal(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.array(["N"])
        self.width_ = X.shape[1]
        return self

    def predict(self, X):
        assert X.shape[1] == self.width_
        return np.full(len(X), "N")


def _spiky_strip():
    """A strip with tall spikes half-way between some beats, where XQRS finds extra peaks."""
    signal, peaks, _ = beat_strip(N_BEATS, 0, fs=FS)
    spikes = ((peaks[10:-5:6] + peaks[11:-4:6]) // 2).astype(np.int64)
    signal = signal.copy()
    for at in spikes:
        signal[at - 3 : at + 4] += 4.0 * np.hanning(7)
    return signal, peaks, spikes


def test_annotate_signal_drops_what_the_filter_flags():
    signal, peaks, spikes = _spiky_strip()
    model = _AllNormal().fit(np.zeros((1, WIDTH)), ["N"])
    plain = annotate_signal(signal, FS, model, CARD)
    near = np.abs(plain.sample[:, None] - spikes[None, :]).min(axis=1) <= 10
    assert near.sum() == spikes.size  # the detector took every spike for a beat
    assert plain.artifact.size == 0
    flagger = _FlagPeaks(level=2.0).fit(None, None)
    filtered = annotate_signal(signal, FS, model, CARD, artifact_model=flagger)
    np.testing.assert_array_equal(filtered.sample, plain.sample[~near])
    np.testing.assert_array_equal(filtered.artifact, plain.sample[near])
    assert filtered.label.size == filtered.sample.size
    # a probability of 1 reaches even the highest threshold
    kept = annotate_signal(
        signal, FS, model, CARD, artifact_model=flagger, artifact_threshold=1.0
    )
    np.testing.assert_array_equal(kept.artifact, plain.sample[near])
    none = annotate_signal(
        signal, FS, model, CARD, artifact_model=_FlagPeaks().fit(None, None)
    )
    np.testing.assert_array_equal(none.sample, plain.sample)


def test_annotate_signal_bad_artifact_model():
    signal, peaks, _ = _spiky_strip()
    model = _AllNormal().fit(np.zeros((1, WIDTH)), ["N"])
    flagger = _FlagPeaks().fit(None, None)
    with pytest.raises(ValueError, match="given peaks are kept exactly"):
        annotate_signal(signal, FS, model, CARD, peaks=peaks, artifact_model=flagger)
    no_class = _FlagPeaks().fit(None, None)
    no_class.classes_ = np.array(["N", "V"])
    with pytest.raises(ValueError, match="class 'artifact'"):
        annotate_signal(signal, FS, model, CARD, artifact_model=no_class)
    with pytest.raises(ValueError, match="artifact_threshold"):
        annotate_signal(
            signal, FS, model, CARD, artifact_model=flagger, artifact_threshold=0
        )


def test_annotate_record_writes_artifacts_that_evaluation_ignores(tmp_path):
    signal, peaks, spikes = _spiky_strip()
    write_record(tmp_path, "spiky", signal[:, None], fs=FS)
    write_annotation(tmp_path, "spiky", peaks, ["N"] * peaks.size, fs=FS)
    model = _AllNormal().fit(np.zeros((1, WIDTH)), ["N"])
    record = tmp_path / "spiky"
    annotate_record(record, model, CARD, extension="plain")
    beats = annotate_record(
        record,
        model,
        CARD,
        extension="filt",
        artifact_model=_FlagPeaks(level=2.0).fit(None, None),
    )
    written = wfdb.rdann(str(record), "filt")
    assert written.symbol.count(ARTIFACT_SYMBOL) == spikes.size == beats.artifact.size
    assert np.all(np.diff(written.sample) > 0)
    plain = compare_annotation_files(record, reference="atr", test="plain")
    filtered = compare_annotation_files(record, reference="atr", test="filt")
    assert plain["qrs"]["fp"] >= spikes.size
    assert filtered["qrs"]["fp"] == plain["qrs"]["fp"] - spikes.size
    assert filtered["qrs"]["tp"] == plain["qrs"]["tp"]


def test_cli_trains_and_uses_an_artifact_filter(folder, tmp_path, capsys):
    out = tmp_path / "filter.skecg"
    common = ["--data-home", str(folder), "--window", "2.0", "--verbose", "0"]
    main(["train", *common, "--recipe", "artifacts", "--out", str(out)])
    card = read_model_card(out)
    assert card["recipe"] == "artifacts"
    assert set(card["class_counts"]) == {"artifact", "beat"}
    assert card["noise_augmentation"]["copies"] == 2
    assert card["leads"] == ["MLII"] and card["records"] == ["r0", "r1"]
    assert card["irregular_rhythm_gate"] is None  # a filter of detections has no gate
    printed = capsys.readouterr().out
    assert "detections (artifact" in printed and "Gate" not in printed

    beats_model = tmp_path / "beats.skecg"
    main(["train", *common, "--recipe", "features", "--out", str(beats_model)])
    written = main(
        [
            "annotate",
            str(folder / "r0"),
            "--model",
            str(beats_model),
            "--artifact-model",
            str(out),
            "--extension",
            "filt",
        ]
    )
    assert "artifacts dropped" in capsys.readouterr().out
    annotation = wfdb.rdann(str(folder / "r0"), "filt")
    assert annotation.symbol  # beats (and any artifacts) written
    assert written[str(folder / "r0")].name == "r0.filt"

    main(
        [
            "annotate",
            str(folder / "r1"),
            "--model",
            str(beats_model),
            "--artifact-model",
            str(out),
            "--lead",
            "V1",
        ]
    )
    assert "lead 'V1' is not one the artifact filter was trained on (MLII)" in (
        capsys.readouterr().err
    )

    other = tmp_path / "other.skecg"
    main(
        [
            "train",
            *common[:2],
            "--window",
            "3.0",
            "--recipe",
            "artifacts",
            "--out",
            str(other),
        ]
    )
    with pytest.raises(ValueError, match="same --fs and --window"):
        main(
            [
                "annotate",
                str(folder / "r0"),
                "--model",
                str(beats_model),
                "--artifact-model",
                str(other),
            ]
        )
    with pytest.raises(ValueError, match="--peaks-from"):
        main(
            [
                "annotate",
                str(folder / "r0"),
                "--model",
                str(beats_model),
                "--artifact-model",
                str(out),
                "--peaks-from",
                "atr",
            ]
        )
    with pytest.raises(ValueError, match="--artifact-threshold"):
        main(
            [
                "annotate",
                str(folder / "r0"),
                "--model",
                str(beats_model),
                "--artifact-threshold",
                "1.5",
            ]
        )


def test_cli_artifacts_recipe_needs_recordings(tmp_path, monkeypatch):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    with pytest.raises(ValueError, match="--recipe artifacts learns from"):
        main(["train", "--recipe", "artifacts", "--out", str(tmp_path / "f.skecg")])


def test_a_recording_without_beats_gives_no_rows():
    rows, found = segment_recording(
        np.zeros(10 * FS), fs=FS, peaks=[], context=True, **ROWS
    )
    assert rows.shape == (0, WIDTH) and found.shape == (0,)
    model = _AllNormal().fit(np.zeros((1, WIDTH)), ["N"])
    flat = annotate_signal(np.zeros(10 * FS), FS, model, CARD)
    assert flat.sample.size == flat.label.size == flat.artifact.size == 0


def test_a_filter_may_drop_every_detection():
    signal, _, _ = _spiky_strip()
    model = _AllNormal().fit(np.zeros((1, WIDTH)), ["N"])
    everything = _FlagPeaks(level=-1e9).fit(None, None)
    plain = annotate_signal(signal, FS, model, CARD)
    beats = annotate_signal(signal, FS, model, CARD, artifact_model=everything)
    assert beats.sample.size == beats.label.size == 0
    np.testing.assert_array_equal(beats.artifact, plain.sample)
