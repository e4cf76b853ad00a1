"""The public annotation API and the WFDB readers it is composed of."""

import warnings
from pathlib import Path

import numpy as np
import pytest
import wfdb
from _helpers import write_annotation, write_record
from sklearn.dummy import DummyClassifier

import sklearn_ecg
from sklearn_ecg import save_model
from sklearn_ecg.annotation import (
    CLASS_SYMBOL,
    annotate_record,
    annotate_signal,
    trained_leads,
)
from sklearn_ecg.datasets import (
    make_ecg_beats,
    read_wfdb_annotation,
    read_wfdb_header,
    read_wfdb_record,
)
from sklearn_ecg.metrics import compare_annotations
from sklearn_ecg.preprocessing import segment_recording
from sklearn_ecg.utils import resample

ROOT = Path(sklearn_ecg.__file__).parent
FS = 360
ROWS = {"window": 2.0, "context": True, "n_rr": 16, "n_next": 1, "n_template": 8}
CARD = {"fs": FS, "segment_recording": ROWS, "leads": ["MLII"]}


class CyclicModel:
    """Predicts N, S, V, N, S, V ... and keeps the rows it was given."""

    classes = np.array(["N", "S", "V"])

    def predict(self, X):
        self.rows_ = np.asarray(X)
        return self.classes[np.arange(len(X)) % 3]


def _strip(n_beats=30, random_state=0):
    """A continuous synthetic strip at 360 Hz: generated beats joined 0.85 s apart."""
    beats = make_ecg_beats(
        n_samples=n_beats,
        classes=("N", "V"),
        weights=(0.8, 0.2),
        n_patients=1,
        random_state=random_state,
    )
    centre, half = beats.data.shape[1] // 2, int(0.425 * FS)
    signal = beats.data[:, centre - half : centre + half].reshape(-1)
    return signal.astype(np.float64), np.arange(n_beats) * 2 * half + half


def _write(folder, name, fs, *, leads=("MLII",), n_beats=30):
    """Record ``folder/name`` at ``fs`` (every lead a scaled copy of one strip) and its .atr."""
    signal, peaks = _strip(n_beats)
    signal = resample(signal, FS, fs)
    peaks = np.round(peaks * fs / FS).astype(np.int64)
    p_signal = np.stack([signal * (1 + 0.1 * i) for i in range(len(leads))], axis=1)
    write_record(folder, name, p_signal, fs=fs, sig_name=list(leads))
    write_annotation(
        folder,
        name,
        np.r_[1, peaks],
        ["+", *["N"] * len(peaks)],
        aux_note=["(N", *[""] * len(peaks)],
        fs=fs,
    )
    return folder / name, signal, peaks


@pytest.mark.parametrize("fs", [128, 250])
def test_annotate_record_keeps_given_peaks_and_writes_them(tmp_path, fs):
    record, signal, peaks = _write(tmp_path, f"holter{fs}", fs)
    model = CyclicModel()
    beats = annotate_record(record, model, CARD, peaks_from="atr", extension="tst")
    assert np.array_equal(beats.sample, peaks)  # the beats, not the rhythm annotation
    assert beats.fs == fs and beats.lead == "MLII"
    assert beats.label.tolist() == model.classes[np.arange(len(peaks)) % 3].tolist()
    assert beats.symbol.tolist() == [CLASS_SYMBOL[c] for c in beats.label]
    assert beats.path == tmp_path / f"holter{fs}.tst"
    written = wfdb.rdann(str(record), "tst")
    assert np.array_equal(written.sample, peaks) and written.fs == fs
    assert written.symbol == beats.symbol.tolist()
    # the model saw the rows segment_recording cuts at its own rate from the same peaks
    at_model = resample(signal.astype(np.float32), fs, FS)
    expected, _ = segment_recording(
        at_model,
        fs=FS,
        peaks=np.minimum(np.round(peaks * FS / fs).astype(int), at_model.size - 1),
        **ROWS,
    )
    assert model.rows_.shape == expected.shape
    np.testing.assert_allclose(model.rows_, expected, atol=2e-3)


def test_annotate_record_detects_beats_at_the_record_rate(tmp_path):
    record, _, peaks = _write(tmp_path, "rec250", 250)
    beats = annotate_record(record, CyclicModel(), CARD)
    assert beats.path is None and not (tmp_path / "rec250.skecg").exists()
    same = compare_annotations(
        peaks, ["N"] * len(peaks), beats.sample, beats.symbol, fs=250
    )
    assert same["qrs"]["ppv"] == 1.0 and same["qrs"]["se"] >= 0.75


def test_annotate_record_from_a_model_file(tmp_path):
    record, _, peaks = _write(tmp_path, "rec", 250)
    model = DummyClassifier(strategy="constant", constant="V").fit(
        [[0], [1]], ["N", "V"]
    )
    path = save_model(
        model, tmp_path / "v.skecg", card={"fs": FS, "segment_recording": ROWS}
    )
    beats = annotate_record(record, path, peaks_from="atr")
    assert beats.symbol.tolist() == ["V"] * len(peaks)
    # a card given with a file replaces the file's
    with pytest.raises(ValueError, match="does not record the sampling frequency"):
        annotate_record(record, path, {"segment_recording": ROWS})


def test_lead_choice_and_warning(tmp_path):
    record, _, _ = _write(tmp_path, "twolead", 250, leads=("V1", "MLII"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (
            annotate_record(record, CyclicModel(), CARD).lead == "MLII"
        )  # the trained lead
        # a card without leads: the first signal, and nothing to warn about
        bare = {"fs": FS, "segment_recording": ROWS}
        assert annotate_record(record, CyclicModel(), bare).lead == "V1"
    with pytest.warns(
        UserWarning, match=r"lead 'V1' is not one the model was trained on \(MLII\)"
    ):
        assert annotate_record(record, CyclicModel(), CARD, lead="V1").lead == "V1"
    with pytest.warns(
        UserWarning, match="lead 'V1' is not one the model was trained on"
    ):
        annotate_record(record, CyclicModel(), {**CARD, "leads": ["II"]})
    with pytest.raises(
        ValueError, match=r"has no lead 'V5'; its leads are \['V1', 'MLII'\]"
    ):
        annotate_record(record, CyclicModel(), CARD, lead="V5")
    assert (
        annotate_record(record, CyclicModel(), CARD, lead=["II", "MLII"]).lead == "MLII"
    )


def test_trained_leads_reads_new_and_old_cards():
    assert trained_leads({"leads": ["MLII", "V1"]}) == ["MLII", "V1"]
    assert trained_leads({"lead": "II"}) == ["II"]
    assert trained_leads({"lead": None}) == [] and trained_leads({}) == []


def test_annotate_record_bad_input(tmp_path):
    record, _, _ = _write(tmp_path, "rec", 250)
    with pytest.raises(ValueError, match="extension must be letters only"):
        annotate_record(record, CyclicModel(), CARD, extension="my_ext")
    (tmp_path / "rec.tst").write_text("")
    with pytest.raises(FileExistsError, match=r"rec\.tst' exists; pass --overwrite"):
        annotate_record(record, CyclicModel(), CARD, extension="tst")
    annotate_record(record, CyclicModel(), CARD, extension="tst", overwrite=True)
    with pytest.raises(ValueError, match="card is required with a fitted estimator"):
        annotate_record(record, CyclicModel())
    with pytest.raises(
        ValueError, match=r"does not record the sampling frequency.*fs=None"
    ):
        annotate_record(record, CyclicModel(), {"segment_recording": ROWS})
    with pytest.raises(
        FileNotFoundError, match=r"rec'\.qrs does not exist\. .*: atr, tst"
    ):
        annotate_record(record, CyclicModel(), CARD, peaks_from="qrs")
    with pytest.raises(FileNotFoundError, match="nothere.hea"):
        annotate_record(tmp_path / "nothere", CyclicModel(), CARD)
    model = DummyClassifier(strategy="constant", constant="X").fit([[0]], ["X"])
    with pytest.raises(
        ValueError, match=r"predicts \['X'\], which are not AAMI classes"
    ):
        annotate_record(record, model, CARD, peaks_from="atr")
    short, _, _ = _write(tmp_path, "short", 250, n_beats=2)
    with pytest.raises(
        ValueError,
        match=r"short' holds 1.70 s of signal, shorter than the model's 2.0 s",
    ):
        annotate_record(short, CyclicModel(), CARD)


def test_annotate_signal_maps_peaks_between_rates():
    signal, peaks = _strip()
    at_128 = resample(signal, FS, 128)
    given = np.round(peaks * 128 / FS).astype(int)
    beats = annotate_signal(at_128, 128, CyclicModel(), CARD, peaks=given)
    assert np.array_equal(beats.sample, given) and beats.fs == 128.0
    detected = annotate_signal(at_128, 128, CyclicModel(), CARD)
    assert detected.sample.max() < at_128.size and detected.fs == 128.0
    with pytest.raises(ValueError, match=r"one lead, a 1-D array"):
        annotate_signal(np.zeros((2, 5000)), 360, CyclicModel(), CARD)
    with pytest.raises(ValueError, match=r"peaks must lie in \[0, 3264\)"):
        annotate_signal(at_128, 128, CyclicModel(), CARD, peaks=[10, 5000])


def test_read_wfdb_record_header_and_annotation(tmp_path):
    record, signal, peaks = _write(tmp_path, "pair", 250, leads=("V1", "II"))
    header = read_wfdb_header(record)
    assert (header.name, header.fs, header.sig_len) == ("pair", 250.0, signal.size)
    assert header.sig_name == ["V1", "II"]
    rec = read_wfdb_record(record, lead=["MLII", "II"], fs=FS)
    assert rec.lead == "II" and rec.fs == FS and rec.record_fs == 250.0
    assert rec.signal.dtype == np.float32
    assert rec.signal.size == round(signal.size * FS / 250)
    first = read_wfdb_record(record)
    assert first.lead == "V1" and first.fs == 250.0
    np.testing.assert_allclose(first.signal, signal, atol=2e-3)
    with pytest.raises(
        ValueError,
        match=r"has none of the leads \['MLII', 'V5'\]; its leads are \['V1', 'II'\]",
    ):
        read_wfdb_record(record, lead=["MLII", "V5"])
    every = read_wfdb_annotation(record)
    assert every.symbol[0] == "+" and every.fs == 250.0
    beats = read_wfdb_annotation(record, beats_only=True)
    assert np.array_equal(beats.sample, peaks) and set(beats.symbol) == {"N"}
    with pytest.raises(FileNotFoundError, match="Annotation files of this record: atr"):
        read_wfdb_annotation(record, "qrs")


def _imports(path):
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    import ast

    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, (base, node.module)))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_house_keeps_its_arrows():
    """Rooms never import the annotation API or the command line; only __main__ imports _cli."""
    above = {"sklearn_ecg.annotation", "sklearn_ecg._cli"}
    for room in ("datasets", "preprocessing", "nn", "models", "metrics", "utils"):
        for path in (ROOT / room).rglob("*.py"):
            assert not _imports(path) & above, (
                f"{path} imports {_imports(path) & above}"
            )
    others = ("benchmarks", "examples", "tests")
    for path in [
        *ROOT.rglob("*.py"),
        *(p for d in others for p in (ROOT.parent / d).glob("*.py")),
    ]:
        if path.name not in ("__main__.py", "_cli.py"):
            assert "sklearn_ecg._cli" not in _imports(path), path
    assert "sklearn_ecg._cli" not in _imports(ROOT / "annotation.py")
