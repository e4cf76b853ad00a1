import numpy as np
import pytest
import wfdb
from _helpers import write_annotation, write_record

from sklearn_ecg.datasets import AAMI_CLASSES, AAMI_SYMBOL_MAP, DS1, DS2, load_mitbih
from sklearn_ecg.datasets._mitbih import PACED_RECORDS, RECORDS, _mitbih_beats

FS = 360


def _write_record(
    folder, name, n_times, samples, symbols, sig_names=("MLII", "V1"), seed=0
):
    rng = np.random.default_rng(seed)
    signal = np.cumsum(rng.normal(scale=0.02, size=(n_times, len(sig_names))), axis=0)
    write_annotation(folder, name, samples, symbols)
    return write_record(
        folder, name, signal, fs=FS, sig_name=sig_names, fmt="212", adc_gain=200.0
    )


@pytest.fixture
def small_db(tmp_path):
    tmp_path = tmp_path / "db"
    tmp_path.mkdir()
    samples = [3, 400, 700, 900, 1300, 1500, 1790]
    symbols = ["N", "+", "A", "~", "V", "/", "F"]
    sig100 = _write_record(tmp_path, "100", 1800, samples, symbols)
    sig101 = _write_record(
        tmp_path, "101", 1000, [200, 500, 800], ["L", "E", "j"], seed=1
    )
    _write_record(
        tmp_path, "102", 1000, [300, 600], ["N", "N"], sig_names=("V5", "V2"), seed=2
    )
    return tmp_path, sig100, sig101


def test_symbol_map_covers_aami_classes():
    assert set(AAMI_SYMBOL_MAP.values()) == set(AAMI_CLASSES)
    assert (
        AAMI_SYMBOL_MAP["A"] == "S"
        and AAMI_SYMBOL_MAP["/"] == "Q"
        and AAMI_SYMBOL_MAP["E"] == "V"
    )
    assert "+" not in AAMI_SYMBOL_MAP and "~" not in AAMI_SYMBOL_MAP


def test_ds_lists():
    assert len(DS1) == len(DS2) == 22
    assert not set(DS1) & set(DS2)
    assert not set(PACED_RECORDS) & (set(DS1) | set(DS2))
    assert set(DS1) | set(DS2) | set(PACED_RECORDS) == set(RECORDS)


def test_small_records_mapping_centring_and_padding(small_db):
    folder, sig100, sig101 = small_db
    bunch = load_mitbih(data_home=folder, records=["100", "101"], window=1.0)
    n_window = FS
    center = n_window // 2
    assert bunch.center == center
    assert bunch.data.shape == (8, n_window) and bunch.data.dtype == np.float32
    # '+' and '~' are not beats
    assert bunch.symbol.tolist() == ["N", "A", "V", "/", "F", "L", "E", "j"]
    assert bunch.target.tolist() == ["N", "S", "V", "Q", "F", "N", "V", "N"]
    assert bunch.groups.tolist() == ["100"] * 5 + ["101"] * 3
    assert bunch.r_peak.tolist() == [3, 700, 1300, 1500, 1790, 200, 500, 800]
    assert (
        bunch.fs == FS
        and bunch.records == ["100", "101"]
        and bunch.lead == ["MLII"] * 2
    )
    # the annotated sample sits at the centre of its window
    for row, (group, r) in enumerate(zip(bunch.groups, bunch.r_peak)):
        signal = sig100[:, 0] if group == "100" else sig101[:, 0]
        assert bunch.data[row, center] == pytest.approx(signal[r], abs=1e-5)
    np.testing.assert_allclose(
        bunch.data[1], sig100[700 - center : 700 - center + n_window, 0], atol=1e-5
    )
    # beats near the edges are kept and padded with the edge sample
    np.testing.assert_allclose(bunch.data[0, : center - 3], sig100[0, 0], atol=1e-5)
    np.testing.assert_allclose(
        bunch.data[0, center - 3 :], sig100[: n_window - center + 3, 0], atol=1e-5
    )
    np.testing.assert_allclose(bunch.data[4, center + 10 :], sig100[-1, 0], atol=1e-5)
    assert "MIT-BIH" in bunch.DESCR

    X, y = load_mitbih(data_home=folder, records=100, window=1.0, return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data[:5])
    np.testing.assert_array_equal(y, bunch.target[:5])


def test_other_lead_and_missing_lead(small_db):
    folder, sig100, _ = small_db
    v1 = load_mitbih(data_home=folder, records=["100"], lead="V1", window=0.5)
    center = v1.center
    assert v1.data[2, center] == pytest.approx(sig100[1300, 1], abs=1e-5)
    with pytest.raises(ValueError, match=r"Record 102 has no lead 'MLII'"):
        load_mitbih(data_home=folder, records=["100", "102"])
    first = load_mitbih(data_home=folder, records=["102"], lead=None, window=0.5)
    assert first.lead == ["V5"] and len(first.target) == 2
    with pytest.raises(ValueError, match="MLIII"):
        load_mitbih(data_home=folder, records=["100"], lead="MLIII")


def test_unknown_record_and_bad_arguments(small_db):
    folder = small_db[0]
    with pytest.raises(ValueError, match=r"'999'.*Valid record names: 100, 101"):
        load_mitbih(data_home=folder, records=["100", "999"])
    with pytest.raises(ValueError, match="DS3"):
        load_mitbih(data_home=folder, records="DS3")
    with pytest.raises(ValueError, match="window"):
        load_mitbih(data_home=folder, records=["100"], window=0)
    with pytest.raises(FileNotFoundError, match=r"'103'.*download=True"):
        load_mitbih(data_home=folder, records=["103"])


def test_missing_folder_says_how_to_download(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=r"nowhere.*download=True"):
        load_mitbih(data_home=missing)


def test_default_data_home_from_environment(tmp_path, monkeypatch, small_db):
    folder = small_db[0]
    monkeypatch.setenv("SKLEARN_ECG_DATA", str(tmp_path / "root"))
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "root" / "mitdb")):
        load_mitbih(records=["100"])
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "mitdb").symlink_to(folder)
    assert len(load_mitbih(records=["100"], window=0.5).target) == 5


@pytest.mark.parametrize(
    "header",
    ["", "100 2 360\n100.dat 212 200 11 1024 0 0 0 MLII\n", "not a header at all\n"],
)
def test_corrupt_header_names_the_file(small_db, header):
    folder = small_db[0]
    (folder / "100.hea").write_text(header)
    with pytest.raises(ValueError, match=r"100\.hea"):
        load_mitbih(data_home=folder, records=["100"])


def test_truncated_signal_file_raises(small_db):
    folder = small_db[0]
    data = (folder / "100.dat").read_bytes()
    (folder / "100.dat").write_bytes(data[:100])
    with pytest.raises(ValueError, match="100"):
        load_mitbih(data_home=folder, records=["100"])


def test_download_calls_wfdb(tmp_path, monkeypatch, small_db):
    source = small_db[0]
    target = tmp_path / "fresh"
    calls = []

    def fake_dl_database(db_dir, dl_dir, **kwargs):
        calls.append((db_dir, dl_dir))
        for f in source.glob("10[01].*"):
            (target / f.name).write_bytes(f.read_bytes())

    monkeypatch.setattr(wfdb, "dl_database", fake_dl_database)
    bunch = load_mitbih(data_home=target, records=["101"], window=0.5, download=True)
    assert calls == [("mitdb", str(target))]
    assert bunch.target.tolist() == ["N", "V", "N"]
    load_mitbih(data_home=target, records=["101"], window=0.5, download=True)
    assert len(calls) == 1  # already there: no second download


def test_real_annotation_totals(mitdb_dir):
    beats = _mitbih_beats(mitdb_dir, RECORDS)
    targets = np.concatenate([b[1] for b in beats.values()])
    assert len(targets) == 109_494
    assert len(beats["100"][0]) == 2273
    counts = dict(zip(*np.unique(targets, return_counts=True)))
    assert counts == {"N": 90_631, "S": 2_781, "V": 7_236, "F": 803, "Q": 8_043}
    assert (
        sum(len(beats[r][0]) for r in DS1) + sum(len(beats[r][0]) for r in DS2)
        < 109_494
    )


def test_real_windows_are_centred_on_r_peaks(mitdb_dir):
    bunch = load_mitbih(data_home=mitdb_dir, records=["100", "233"])
    assert bunch.data.shape == (len(bunch.target), int(round(4.0 * 360)))
    assert (bunch.groups == "100").sum() == 2273
    assert set(bunch.groups) == {"100", "233"}
    center = bunch.center
    assert center == bunch.data.shape[1] // 2
    # in MLII the annotated R-peak is the extreme of its neighbourhood (within 30 ms)
    near = bunch.data[:, center - 11 : center + 12]
    offset = (
        np.abs(near - np.median(bunch.data, axis=1, keepdims=True)).argmax(axis=1) - 11
    )
    assert np.mean(np.abs(offset) <= 3) > 0.95


def test_real_all_records_skip_missing_lead(mitdb_dir):
    with pytest.warns(UserWarning, match=r"\['102', '104'\]"):
        bunch = load_mitbih(data_home=mitdb_dir, window=0.1)
    assert len(bunch.records) == 46
    beats = _mitbih_beats(mitdb_dir, ["102", "104"])
    assert len(bunch.target) == 109_494 - sum(len(b[0]) for b in beats.values())
    ds1 = load_mitbih(data_home=mitdb_dir, records="DS1", window=0.1)
    assert ds1.records == list(DS1) and set(ds1.groups) == set(DS1)
