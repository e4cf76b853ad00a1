import numpy as np
import pytest
import wfdb
from _helpers import write_record
from scipy.io import savemat
from scipy.signal import resample_poly

from sklearn_ecg.datasets import (
    CHALLENGE_SOURCES,
    SNOMED_CT_NAMES,
    load_physionet_challenge,
)

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def _write_mat_record(folder, name, fs, n_samples, dx, age="63", sex="Female", seed=0):
    rng = np.random.default_rng(seed)
    val = rng.integers(-2000, 2000, size=(12, n_samples)).astype(np.int16)
    savemat(folder / f"{name}.mat", {"val": val}, format="4")
    lines = [f"{name} 12 {fs} {n_samples} 05-May-2020 14:50:55"]
    lines += [
        f"{name}.mat 16+24 1000/mV 16 0 {val[i, 0]} 0 0 {lead}"
        for i, lead in enumerate(LEADS)
    ]
    lines += [
        f"#Age: {age}",
        f"#Sex: {sex}",
        f"#Dx: {dx}",
        "#Rx: Unknown",
        "#Hx: Unknown",
    ]
    (folder / f"{name}.hea").write_text("\n".join(lines) + "\n")
    return val.astype(np.float32) / 1000


@pytest.fixture(scope="module")
def small_challenge(tmp_path_factory):
    folder = tmp_path_factory.mktemp("challenge")
    signals = {
        "A0001": _write_mat_record(folder, "A0001", 500, 2500, "426783006", seed=1),
        "E00002": _write_mat_record(
            folder,
            "E00002",
            500,
            3000,
            "164889003,59118001",
            age="NaN",
            sex="Male",
            seed=2,
        ),
    }
    sub = folder / "ptb"
    sub.mkdir()
    signals["S0003"] = _write_mat_record(
        sub, "S0003", 1000, 6000, "164865005,426783006", seed=3
    )
    return folder, signals


def test_small_layout(small_challenge):
    folder, signals = small_challenge
    b = load_physionet_challenge(data_home=folder, duration=4)
    assert b.data.shape == (3, 12, 2000) and b.data.dtype == np.float32
    assert b.record.tolist() == ["A0001", "E00002", "S0003"]
    assert b.source.tolist() == ["A", "E", "S"]
    assert b.target_names.tolist() == [
        "59118001",
        "164865005",
        "164889003",
        "426783006",
    ]
    with pytest.warns(FutureWarning, match="'classes' is deprecated.*'target_names'"):
        assert b.classes is b.target_names
    np.testing.assert_array_equal(b.target, [[0, 0, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
    assert b.class_names.tolist()[:2] == [
        "right bundle branch block",
        "myocardial infarction",
    ]
    assert b.sex.tolist() == ["Female", "Male", "Female"]
    assert b.age[0] == 63 and np.isnan(b.age[1])
    assert b.record_fs.tolist() == [500, 500, 1000]
    assert b.fs == 500 and b.lead_names == LEADS
    # 500 Hz records are copied (and zero-padded past their 5 s / 6 s), the 1000 Hz one resampled
    np.testing.assert_allclose(
        b.data[0, :, :2000], signals["A0001"][:, :2000], atol=1e-6
    )
    np.testing.assert_allclose(
        b.data[1, :, :2000], signals["E00002"][:, :2000], atol=1e-6
    )
    expected = resample_poly(signals["S0003"][:, :4000], 1, 2, axis=-1)
    np.testing.assert_allclose(b.data[2], expected, atol=1e-5)
    # a stretch that is longer than the record is zero-padded
    longer = load_physionet_challenge(data_home=folder, duration=7, leads=["ii"])
    assert longer.data.shape == (3, 1, 3500)
    assert np.all(longer.data[0, 0, 2500:] == 0) and longer.lead_names == ["ii"]
    np.testing.assert_allclose(longer.data[0, 0, :2500], signals["A0001"][1], atol=1e-6)


def test_values_match_wfdb(small_challenge):
    folder = small_challenge[0]
    b = load_physionet_challenge(data_home=folder, duration=5)
    record = wfdb.rdrecord(str(folder / "A0001"))
    np.testing.assert_allclose(b.data[0], record.p_signal.T, atol=1e-6)


def test_classes_fs_and_errors(small_challenge, tmp_path):
    folder = small_challenge[0]
    X, y = load_physionet_challenge(
        data_home=folder,
        fs=250,
        duration=2,
        classes=[426783006, "999"],
        return_X_y=True,
    )
    assert X.shape == (3, 12, 500)
    np.testing.assert_array_equal(y, [[1, 0], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match="duration"):
        load_physionet_challenge(data_home=folder)
    with pytest.raises(ValueError, match="no lead"):
        load_physionet_challenge(data_home=folder, duration=1, leads=["V7"])
    with pytest.raises(ValueError, match="classes"):
        load_physionet_challenge(data_home=folder, duration=1, classes=["sinus"])
    with pytest.raises(FileNotFoundError, match="physionet"):
        load_physionet_challenge(data_home=tmp_path / "none")
    (tmp_path / "X0001.hea").write_text("X0001 12 500\n")
    with pytest.raises(ValueError, match="X0001.hea"):
        load_physionet_challenge(data_home=tmp_path, duration=1)


def test_same_length_without_duration(tmp_path):
    _write_mat_record(tmp_path, "JS00001", 500, 1000, "426177001")
    _write_mat_record(tmp_path, "JS00002", 500, 1000, "426177001,164934002")
    b = load_physionet_challenge(data_home=tmp_path)
    assert b.data.shape == (2, 12, 1000)
    assert b.target.tolist() == [[0, 1], [1, 1]]


def test_other_wfdb_formats(tmp_path):
    signal = np.round(np.random.default_rng(0).normal(size=(2000, 12)), 3)
    write_record(
        tmp_path,
        "I0001",
        signal,
        fs=1000,
        sig_name=LEADS,
        comments=["Age: 50", "Sex: M", "Dx: 164884008"],
    )
    b = load_physionet_challenge(data_home=tmp_path, fs=1000, duration=2)
    np.testing.assert_allclose(b.data[0], signal.T, atol=1e-6)
    assert b.source.tolist() == ["I"] and b.sex.tolist() == ["Male"]
    assert b.class_names.tolist() == ["ventricular ectopics"]


@pytest.fixture(scope="module")
def cinc(cinc_dir):
    return load_physionet_challenge(data_home=cinc_dir, duration=10)


def test_real_sample(cinc, cinc_dir):
    assert cinc.data.shape == (226, 12, 5000) and cinc.data.dtype == np.float32
    sources, counts = np.unique(cinc.source, return_counts=True)
    expected = {"JS": 85, "E": 70, "HR": 37, "A": 14, "Q": 10, "S": 10}
    assert dict(zip(sources.tolist(), counts.tolist())) == expected
    assert set(sources) <= set(CHALLENGE_SOURCES)
    sinus = cinc.target[:, cinc.target_names.tolist().index("426783006")]
    assert sinus.sum() == 71
    assert (
        cinc.class_names[cinc.target_names.tolist().index("426783006")]
        == SNOMED_CT_NAMES["426783006"]
    )
    assert set(cinc.sex) <= {"Male", "Female", "Unknown"}
    assert np.nanmax(cinc.age) < 110
    assert cinc.target.sum(axis=1).min() >= 1


def test_real_ptb_records_are_resampled(cinc, cinc_dir):
    is_s = cinc.source == "S"
    assert np.all(cinc.record_fs[is_s] == 1000) and np.all(cinc.record_fs[~is_s] == 500)
    i = int(np.flatnonzero(is_s)[0])
    record = wfdb.rdrecord(str(cinc_dir / cinc.record[i]), sampto=10_000)
    expected = resample_poly(record.p_signal.T, 1, 2, axis=-1)
    np.testing.assert_allclose(cinc.data[i], expected, atol=1e-4)
    with pytest.raises(ValueError, match="duration"):
        load_physionet_challenge(data_home=cinc_dir)
