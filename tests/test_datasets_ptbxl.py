import csv

import numpy as np
import pytest
from _helpers import write_record

from sklearn_ecg.datasets import PTBXL_TASKS, load_ptbxl

LEADS = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]

STATEMENTS = [
    # code, diagnostic, form, rhythm, class, subclass
    ("NORM", "1.0", "", "", "NORM", "NORM"),
    ("IMI", "1.0", "", "", "MI", "IMI"),
    ("ASMI", "1.0", "", "", "MI", "AMI"),
    ("LVH", "1.0", "", "", "HYP", "LVH"),
    ("NDT", "1.0", "1.0", "", "STTC", "STTC"),
    ("PVC", "", "1.0", "", "", ""),
    ("SR", "", "", "1.0", "", ""),
    ("AFIB", "", "", "1.0", "", ""),
]

RECORDS = [
    # ecg_id, patient_id, scp_codes, strat_fold
    (1, 15709.0, "{'NORM': 100.0, 'SR': 0.0}", 3),
    (2, 13243.0, "{'IMI': 80.0, 'ASMI': 50.0, 'SR': 0.0}", 9),
    (3, 20372.0, "{'LVH': 100.0, 'NDT': 50.0, 'AFIB': 0.0}", 10),
    (4, 17014.0, "{'PVC': 100.0}", 1),
    (5, 17014.0, "{'SR': 0.0}", 1),
]


def _write_ptbxl(root):
    rng = np.random.default_rng(0)
    signals = {}
    for ecg_id, *_ in RECORDS:
        for fs, suffix, folder in (
            (100, "lr", "records100"),
            (500, "hr", "records500"),
        ):
            sig = np.round(rng.normal(scale=0.3, size=(10 * fs, 12)), 3)
            out = root / folder / "00000"
            out.mkdir(parents=True, exist_ok=True)
            write_record(out, f"{ecg_id:05d}_{suffix}", sig, fs=fs, sig_name=LEADS)
            signals[ecg_id, fs] = sig
    with open(root / "scp_statements.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "",
                "description",
                "diagnostic",
                "form",
                "rhythm",
                "diagnostic_class",
                "diagnostic_subclass",
                "Statement Category",
            ]
        )
        for code, diag, form, rhythm, cls, sub in STATEMENTS:
            w.writerow([code, f"{code} statement", diag, form, rhythm, cls, sub, "x"])
    with open(root / "ptbxl_database.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "ecg_id",
                "patient_id",
                "age",
                "sex",
                "report",
                "scp_codes",
                "strat_fold",
                "filename_lr",
                "filename_hr",
            ]
        )
        for ecg_id, patient, codes, fold in RECORDS:
            w.writerow(
                [
                    ecg_id,
                    patient,
                    50,
                    0,
                    "report, with a comma",
                    codes,
                    fold,
                    f"records100/00000/{ecg_id:05d}_lr",
                    f"records500/00000/{ecg_id:05d}_hr",
                ]
            )
    return signals


@pytest.fixture(scope="module")
def ptbxl_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("ptbxl")
    return root, _write_ptbxl(root)


def test_superdiagnostic(ptbxl_dir):
    root, signals = ptbxl_dir
    b = load_ptbxl(data_home=root)
    assert b.target_names.tolist() == ["HYP", "MI", "NORM", "STTC"]
    with pytest.warns(FutureWarning, match="'classes' is deprecated.*'target_names'"):
        assert b["classes"] is b.target_names
    assert b.ecg_id.tolist() == [
        1,
        2,
        3,
    ]  # records 4 and 5 have no diagnostic statement
    np.testing.assert_array_equal(b.target, [[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 1]])
    assert b.target.dtype == np.int64
    assert b.data.shape == (3, 12, 1000) and b.data.dtype == np.float32
    np.testing.assert_allclose(b.data[1], signals[2, 100].T, atol=1e-3)
    assert b.strat_fold.tolist() == [3, 9, 10]
    assert b.patient_id.tolist() == [15709, 13243, 20372]
    assert b.fs == 100 and b.lead_names == LEADS
    assert "PTB-XL" in b.DESCR


@pytest.mark.parametrize(
    "task, classes, ecg_ids",
    [
        (
            "all",
            ["AFIB", "ASMI", "IMI", "LVH", "NDT", "NORM", "PVC", "SR"],
            [1, 2, 3, 4, 5],
        ),
        ("diagnostic", ["ASMI", "IMI", "LVH", "NDT", "NORM"], [1, 2, 3]),
        ("subdiagnostic", ["AMI", "IMI", "LVH", "NORM", "STTC"], [1, 2, 3]),
        ("form", ["NDT", "PVC"], [3, 4]),
        ("rhythm", ["AFIB", "SR"], [1, 2, 3, 5]),
    ],
)
def test_tasks(ptbxl_dir, task, classes, ecg_ids):
    b = load_ptbxl(data_home=ptbxl_dir[0], task=task)
    assert b.target_names.tolist() == classes
    assert b.ecg_id.tolist() == ecg_ids
    assert b.target.shape == (len(ecg_ids), len(classes))
    assert b.target.sum(axis=1).min() >= 1


def test_subdiagnostic_two_labels(ptbxl_dir):
    b = load_ptbxl(data_home=ptbxl_dir[0], task="subdiagnostic")
    row = b.target[b.ecg_id.tolist().index(2)]
    assert b.target_names[row == 1].tolist() == ["AMI", "IMI"]


def test_500hz_and_leads(ptbxl_dir):
    root, signals = ptbxl_dir
    X, y = load_ptbxl(
        data_home=root, sampling_rate=500, leads=["v1", "II"], return_X_y=True
    )
    assert X.shape == (3, 2, 5000) and y.shape == (3, 4)
    np.testing.assert_allclose(X[0, 0], signals[1, 500][:, 6], atol=1e-3)
    np.testing.assert_allclose(X[0, 1], signals[1, 500][:, 1], atol=1e-3)


def test_bad_arguments(ptbxl_dir, tmp_path):
    root = ptbxl_dir[0]
    assert "superdiagnostic" in PTBXL_TASKS
    with pytest.raises(ValueError, match="task"):
        load_ptbxl(data_home=root, task="super")
    with pytest.raises(ValueError, match="sampling_rate"):
        load_ptbxl(data_home=root, sampling_rate=250)
    with pytest.raises(ValueError, match="leads"):
        load_ptbxl(data_home=root, leads=["V7"])
    with pytest.raises(FileNotFoundError, match="physionet"):
        load_ptbxl(data_home=tmp_path / "none")


def test_malformed_database(tmp_path):
    root = tmp_path
    _write_ptbxl(root)
    text = (
        (root / "ptbxl_database.csv")
        .read_text()
        .replace("{'PVC': 100.0}", "{'PVC': 100.0")
    )
    (root / "ptbxl_database.csv").write_text(text)
    with pytest.raises(ValueError, match="line 5"):
        load_ptbxl(data_home=root)
    (root / "scp_statements.csv").write_text("code,description\nNORM,normal\n")
    with pytest.raises(ValueError, match="scp_statements"):
        load_ptbxl(data_home=root)
