"""Training on every lead of a record: ``lead="all"`` in the beat loaders and ``train --lead all``."""

import numpy as np
import pytest
from _helpers import beat_strip, write_annotation, write_record

from sklearn_ecg import read_model_card
from sklearn_ecg.__main__ import main
from sklearn_ecg.datasets import load_mitbih, load_wfdb_beats

FS = 360
N_BEATS = 30


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Records 100 (MLII, V1) and 101 (V5, MLII, as MIT-BIH 114 stores them), annotated."""
    folder = tmp_path_factory.mktemp("mitdb")
    symbols = {"N": "N", "S": "A", "V": "V"}
    for seed, (name, leads) in enumerate(
        (("100", ["MLII", "V1"]), ("101", ["V5", "MLII"]))
    ):
        signal, peaks, target = beat_strip(N_BEATS, seed, fs=FS)
        other = -0.5 * signal + 0.1  # another projection of the same heart
        two = np.c_[signal, other] if leads[0] == "MLII" else np.c_[other, signal]
        write_record(folder, name, two, fs=FS, sig_name=leads)
        write_annotation(folder, name, peaks, [symbols[t] for t in target], fs=FS)
    return folder


def _load(folder, **kwargs):
    return load_wfdb_beats(
        folder, window=2.0, context=True, n_rr=8, n_template=4, **kwargs
    )


def test_all_leads_is_one_block_per_record_and_lead(folder):
    beats = _load(folder, lead="all")
    assert beats.lead == ["MLII", "V1", "V5", "MLII"]
    assert beats.lead_names == ["MLII", "V1", "V5"]
    assert beats.records == ["100", "101"]
    assert beats.data.shape[0] == 4 * N_BEATS
    expected_groups = np.repeat(["100", "100", "101", "101"], N_BEATS)
    np.testing.assert_array_equal(beats.groups, expected_groups)
    np.testing.assert_array_equal(beats.row_lead, np.repeat(beats.lead, N_BEATS))
    # every block is exactly what loading that lead alone gives
    for name, lead in (("100", "MLII"), ("100", "V1"), ("101", "V5"), ("101", "MLII")):
        alone = _load(folder, records=[name], lead=lead)
        rows = (beats.groups == name) & (beats.row_lead == lead)
        np.testing.assert_array_equal(beats.data[rows], alone.data)
        for key in ("target", "symbol", "r_peak"):
            np.testing.assert_array_equal(beats[key][rows], alone[key])
        np.testing.assert_array_equal(alone.row_lead, np.full(N_BEATS, lead))
    # the leads differ, the labels and R-R history do not
    mlii, v1 = (
        (beats.groups == "100") & (beats.row_lead == "MLII"),
        beats.row_lead == "V1",
    )
    assert not np.allclose(beats.data[mlii], beats.data[v1])
    np.testing.assert_array_equal(beats.rr[mlii], beats.rr[v1])


def test_all_leads_with_noise_copies_and_detected_peaks(folder):
    beats = _load(folder, lead="all", noise={"copies": 1, "random_state": 0})
    n = 4 * N_BEATS
    assert beats.data.shape[0] == 2 * n
    np.testing.assert_array_equal(beats.row_lead, np.tile(beats.row_lead[:n], 2))
    np.testing.assert_array_equal(beats.groups, np.tile(beats.groups[:n], 2))
    assert (beats.noise_kind[:n] == "").all() and (beats.noise_kind[n:] != "").all()
    # one noise draw per record and lead: the two leads of a record get their own
    snr = beats.noise_snr[n:].reshape(4, N_BEATS)
    assert (snr == snr[:, :1]).all() and len(np.unique(snr[:, 0])) == 4
    # detected peaks come from the first signal and serve every lead of the record
    detected = _load(folder, lead="all", peaks="xqrs")
    for name in ("100", "101"):
        rows = detected.groups == name
        first, second = (
            detected.r_peak[rows & (detected.row_lead == lead)]
            for lead in dict.fromkeys(detected.row_lead[rows])
        )
        np.testing.assert_array_equal(first, second)


def test_load_mitbih_all_leads_and_a_lead_named_all_is_not_searched(folder):
    beats = load_mitbih(
        data_home=folder, records=["100", "101"], lead="all", window=2.0
    )
    assert beats.lead_names == ["MLII", "V1", "V5"]
    assert beats.data.shape == (4 * N_BEATS, 2 * FS)
    with pytest.raises(ValueError, match=r"has no lead \('all', 'V1'\)"):
        _load(folder, records=["101"], lead=["all", "V1"])


def test_train_lead_all_writes_every_lead_on_the_card(folder, tmp_path, monkeypatch):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    model = tmp_path / "leads.skecg"
    main(
        ["train", "--data-home", str(folder), "--records", "100,101", "--lead", "all"]
        + ["--recipe", "features", "--verbose", "0", "--out", str(model)]
    )
    card = read_model_card(model)
    assert card["leads"] == ["MLII", "V1", "V5"]
    assert sum(card["class_counts"].values()) == 4 * N_BEATS


@pytest.mark.parametrize("loader", ["beats", "detections"])
def test_records_without_the_lead_are_skipped_with_one_warning_at_the_caller(
    folder, loader
):
    from sklearn_ecg.datasets import load_wfdb_detections

    load = _load if loader == "beats" else load_wfdb_detections
    with pytest.warns(
        UserWarning, match=r"Records \['100'\] have no lead 'V5'"
    ) as seen:
        rows = load(folder, lead="V5")
    assert set(rows.groups) == {"101"}
    assert [w.filename for w in seen if "no lead" in str(w.message)] == [__file__]
    with pytest.raises(ValueError, match="Record 100 has no lead 'V5'"):
        load(folder, records=["100", "101"], lead="V5")
