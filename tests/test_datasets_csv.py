import numpy as np
import pytest

from sklearn_ecg.datasets import AAMI_CLASSES, load_heartbeat_csv


def _write(path, n=6, labels=None, seed=0):
    rng = np.random.default_rng(seed)
    beats = rng.uniform(size=(n, 187))
    labels = np.arange(n) % 5 if labels is None else np.asarray(labels)
    np.savetxt(path, np.hstack([beats, labels[:, None]]), delimiter=",", fmt="%.18e")
    return beats, labels


def test_mitbih_file(tmp_path):
    beats, labels = _write(tmp_path / "mitbih_train.csv")
    b = load_heartbeat_csv(tmp_path / "mitbih_train.csv")
    assert b.data.shape == (6, 187) and b.data.dtype == np.float32
    np.testing.assert_allclose(b.data, beats, rtol=1e-6)
    assert b.target.dtype == np.int64 and b.target.tolist() == labels.tolist()
    assert b.target_names == AAMI_CLASSES and b.fs == 125
    assert "187" in b.DESCR
    X, y = load_heartbeat_csv(str(tmp_path / "mitbih_train.csv"), return_X_y=True)
    np.testing.assert_array_equal(X, b.data)
    np.testing.assert_array_equal(y, b.target)


def test_ptbdb_and_other_names(tmp_path):
    _write(tmp_path / "ptbdb_abnormal.csv", n=3, labels=[1, 1, 1])
    b = load_heartbeat_csv(tmp_path / "ptbdb_abnormal.csv")
    assert b.target_names == ("normal", "abnormal") and b.target.tolist() == [1, 1, 1]
    _write(tmp_path / "beats.csv", n=1, labels=[0])
    one = load_heartbeat_csv(tmp_path / "beats.csv")
    assert one.data.shape == (1, 187) and one.target_names is None


@pytest.mark.parametrize(
    "text, match",
    [
        (
            ",".join(["0.5"] * 187) + ",0\n" + ",".join(["0.5"] * 100) + ",1\n",
            "beats.csv",
        ),
        (",".join(["0.5"] * 100) + ",1\n", "101 columns"),
        ("a,b,c\n", "heartbeat CSV"),
        (",".join(["0.5"] * 187) + ",0.5\n", "line 1"),
        (",".join(["0.5"] * 187) + ",-1\n", "non-negative integer"),
        (",".join(["nan"] * 187) + ",1\n", "non-finite"),
        ("", "no rows"),
    ],
)
def test_malformed_files(tmp_path, text, match):
    path = tmp_path / "beats.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        load_heartbeat_csv(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.csv"):
        load_heartbeat_csv(tmp_path / "nothing.csv")
