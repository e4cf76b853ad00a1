import numpy as np
import pytest
from _helpers import write_record
from scipy.signal import resample_poly

from sklearn_ecg.datasets import load_ptbdb

LEADS = [
    "i",
    "ii",
    "iii",
    "avr",
    "avl",
    "avf",
    "v1",
    "v2",
    "v3",
    "v4",
    "v5",
    "v6",
    "vx",
    "vy",
    "vz",
]
RECORDS = [
    ("patient001", "s0010_re", "Myocardial infarction", "81", "female", 3000),
    ("patient001", "s0014lre", "Myocardial infarction", "81", "female", 2500),
    ("patient104", "s0306lre", "Healthy control", "n/a", "male", 3000),
    ("patient105", "s0303lre", "Cardiomyopathy", "62", "male", 3000),
    ("patient106", "s0030_re", "n/a", "55", "male", 3000),
]


@pytest.fixture(scope="module")
def ptbdb_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("ptbdb")
    rng = np.random.default_rng(0)
    signals = {}
    for patient, record, reason, age, sex, n in RECORDS:
        (root / patient).mkdir(exist_ok=True)
        sig = np.round(rng.normal(scale=0.5, size=(n, 15)), 3)
        write_record(
            root / patient,
            record,
            sig,
            fs=1000,
            sig_name=LEADS,
            comments=[
                f"age: {age}",
                f"sex: {sex}",
                "ECG date: 01/10/1990",
                "Diagnose:",
                f"Reason for admission: {reason}",
                "Smoker: no",
            ],
        )
        signals[record] = sig
    return root, signals


def test_mi_vs_healthy(ptbdb_dir):
    root, signals = ptbdb_dir
    b = load_ptbdb(data_home=root, duration=2.0)
    assert b.record.tolist() == ["s0010_re", "s0014lre", "s0306lre"]
    assert b.target.tolist() == ["Myocardial infarction"] * 2 + ["Healthy control"]
    assert b.groups.tolist() == ["patient001", "patient001", "patient104"]
    assert b.data.shape == (3, 15, 2000) and b.data.dtype == np.float32
    np.testing.assert_allclose(b.data[0], signals["s0010_re"][:2000].T, atol=1e-6)
    assert b.age[0] == 81 and np.isnan(b.age[2])
    assert b.sex.tolist() == ["Female", "Female", "Male"]
    assert b.fs == 1000 and b.lead_names == LEADS
    assert "PTB" in b.DESCR


def test_options(ptbdb_dir):
    root, signals = ptbdb_dir
    X, y = load_ptbdb(
        data_home=root,
        diagnoses=None,
        leads=["II", "vz"],
        fs=500,
        duration=2.8,
        return_X_y=True,
    )
    assert X.shape == (5, 2, 1400) and len(y) == 5
    assert sorted(set(y)) == [
        "Cardiomyopathy",
        "Healthy control",
        "Myocardial infarction",
        "n/a",
    ]
    expected = resample_poly(signals["s0014lre"][:, [1, 14]].T, 1, 2, axis=-1)
    np.testing.assert_allclose(X[1, :, :1250], expected, atol=1e-5)
    assert np.all(X[1, :, 1250:] == 0)  # the 2.5 s record is zero-padded
    only = load_ptbdb(data_home=root, diagnoses="cardiomyopathy", duration=1)
    assert only.groups.tolist() == ["patient105"]
    with pytest.raises(ValueError, match="different lengths"):
        load_ptbdb(data_home=root, duration=None)
    same = load_ptbdb(data_home=root, diagnoses=["Healthy control"], duration=None)
    assert same.data.shape == (1, 15, 3000)


def test_errors(ptbdb_dir, tmp_path):
    root = ptbdb_dir[0]
    with pytest.raises(ValueError, match="Stable angina"):
        load_ptbdb(data_home=root, diagnoses=["Stable angina"])
    with pytest.raises(ValueError, match="no lead"):
        load_ptbdb(data_home=root, leads=["v7"])
    with pytest.raises(ValueError, match="duration"):
        load_ptbdb(data_home=root, duration=-1)
    with pytest.raises(FileNotFoundError, match="ptbdb"):
        load_ptbdb(data_home=tmp_path / "none")
