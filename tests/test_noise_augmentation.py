"""Noise augmentation of the beat loaders: noisy copies of every record, cut like the clean rows."""

import numpy as np
import pytest
from _helpers import beat_strip, write_annotation, write_record

from sklearn_ecg.datasets import load_mitbih, load_wfdb_beats

FS = 360
N_BEATS = 40
SPEC = {"kinds": ("bw", "em", "ma"), "snr": (6, 24), "copies": 2, "random_state": 0}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two MIT-BIH-named records (100, 101) with their reference annotations."""
    folder = tmp_path_factory.mktemp("mitdb")
    symbols = {"N": "N", "S": "A", "V": "V"}
    for seed, name in enumerate(("100", "101")):
        signal, peaks, target = beat_strip(N_BEATS, seed, fs=FS)
        write_record(folder, name, signal, fs=FS)
        write_annotation(folder, name, peaks, [symbols[t] for t in target], fs=FS)
    return folder


def _load(folder, **kwargs):
    return load_wfdb_beats(
        folder, window=2.0, context=True, n_rr=8, n_template=4, **kwargs
    )


def test_copies_follow_the_clean_rows_with_the_same_labels_groups_and_rr(folder):
    clean = _load(folder)
    beats = _load(folder, noise=SPEC)
    n = clean.data.shape[0]
    assert n == 2 * N_BEATS
    assert beats.data.shape == (3 * n, clean.data.shape[1])
    np.testing.assert_array_equal(beats.data[:n], clean.data)
    for key in ("target", "groups", "symbol", "r_peak"):
        np.testing.assert_array_equal(beats[key], np.tile(clean[key], 3))
    assert beats.records == clean.records == ["100", "101"]
    # which rows are noisy
    assert (beats.noise_kind[:n] == "").all() and np.isnan(beats.noise_snr[:n]).all()
    assert set(beats.noise_kind[n:]) <= {"bw", "em", "ma"}
    assert ((beats.noise_snr[n:] >= 6) & (beats.noise_snr[n:] <= 24)).all()
    # one kind and SNR per record and copy
    for c in (1, 2):
        block = slice(c * n, (c + 1) * n)
        for record in ("100", "101"):
            rows = beats.groups[block] == record
            assert np.unique(beats.noise_kind[block][rows]).size == 1
            assert np.unique(beats.noise_snr[block][rows]).size == 1
    assert beats.noise == {**SPEC, "snr": (6.0, 24.0)}
    layout = beats.layout
    for c in (1, 2):
        copy = beats.data[c * n : (c + 1) * n]
        # same R-peaks, so the same R-R history; the window and template carry the noise
        np.testing.assert_array_equal(copy[:, layout.rr], clean.data[:, layout.rr])
        assert not np.allclose(copy[:, layout.window], clean.data[:, layout.window])
        assert not np.allclose(copy[:, layout.template], clean.data[:, layout.template])
    # the two copies of a record are different draws
    assert not np.allclose(beats.data[n : 2 * n], beats.data[2 * n :])


@pytest.mark.parametrize("kind", ["bw", "em", "ma"])
def test_copies_have_the_nstdb_snr_drawn(folder, kind):
    """Windows longer than twice the record show all of it: the SNR is measured on the rows."""
    signal, peaks, _ = beat_strip(N_BEATS, 0, fs=FS)
    n_times = signal.size
    spec = {"kinds": kind, "snr": (3, 15), "random_state": 1}
    clean = load_wfdb_beats(folder, "100", window=2.5 * n_times / FS)
    beats = load_wfdb_beats(folder, "100", window=2.5 * n_times / FS, noise=spec)
    n = clean.data.shape[0]
    offset = beats.center - beats.r_peak[0]
    whole = slice(offset, offset + n_times)
    clean_signal = clean.data[0, whole].astype(np.float64)
    noisy_signal = beats.data[n, whole].astype(np.float64)
    half = int(round(0.06 * FS))
    pp = np.median([np.ptp(clean_signal[p - half : p + half + 1]) for p in peaks])
    snr = 10 * np.log10((pp**2 / 8) / np.var(noisy_signal - clean_signal))
    assert beats.noise_kind[n] == kind
    assert 3 <= beats.noise_snr[n] <= 15
    assert snr == pytest.approx(beats.noise_snr[n], abs=0.05)


def test_seeded_and_reproducible(folder):
    spec = {"copies": 1, "random_state": 3}
    first, second = _load(folder, noise=spec), _load(folder, noise=spec)
    np.testing.assert_array_equal(first.data, second.data)
    np.testing.assert_array_equal(first.noise_snr, second.noise_snr)
    other = _load(folder, noise={**spec, "random_state": 4})
    assert not np.allclose(first.data[2 * N_BEATS :], other.data[2 * N_BEATS :])
    # a fixed SNR and the defaults: one copy of one of the NSTDB kinds
    fixed = _load(folder, noise={"snr": 12, "random_state": 0})
    assert fixed.data.shape[0] == 2 * 2 * N_BEATS
    assert (fixed.noise_snr[2 * N_BEATS :] == 12).all()
    assert fixed.noise == {
        "kinds": ("bw", "em", "ma"),
        "snr": (12.0, 12.0),
        "copies": 1,
        "random_state": 0,
    }


def test_load_mitbih_passes_noise_and_return_X_y(folder):
    X, y = load_mitbih(
        data_home=folder, records=["100"], window=2.0, return_X_y=True, noise=SPEC
    )
    X_clean, y_clean = load_mitbih(
        data_home=folder, records=["100"], window=2.0, return_X_y=True
    )
    assert X.shape == (3 * N_BEATS, X_clean.shape[1])
    np.testing.assert_array_equal(y, np.tile(y_clean, 3))
    beats = load_mitbih(data_home=folder, records=["100"], window=2.0, noise=SPEC)
    np.testing.assert_array_equal(beats.data, X)
    assert "noise_snr" not in load_mitbih(data_home=folder, records=["100"])


def test_xqrs_peaks_copies_are_cut_at_the_clean_rows_peaks(folder):
    clean = _load(folder, peaks="xqrs")
    beats = _load(folder, peaks="xqrs", noise={"random_state": 0})
    n = clean.data.shape[0]
    assert n > N_BEATS and beats.data.shape[0] == 2 * n
    np.testing.assert_array_equal(beats.data[:n], clean.data)
    np.testing.assert_array_equal(beats.r_peak[n:], clean.r_peak)
    np.testing.assert_array_equal(
        beats.data[n:, beats.layout.rr], clean.data[:, clean.layout.rr]
    )


@pytest.mark.parametrize(
    "noise, match",
    [
        ({"kind": "em"}, r"noise has unknown key\(s\) \['kind'\]"),
        ({"kinds": "pink"}, r"noise\['kinds'\] must be one of"),
        ({"kinds": ()}, r"noise\['kinds'\]"),
        ({"kinds": ("em", "em")}, r"noise\['kinds'\].*each once"),
        ({"snr": np.inf}, r"noise\['snr'\] must be a finite number"),
        ({"snr": (24, 6)}, r"noise\['snr'\].*low <= high"),
        ({"snr": (1, 2, 3)}, r"noise\['snr'\]"),
        ({"snr": "12"}, r"noise\['snr'\]"),
        ({"copies": 0}, r"noise\['copies'\] must be a positive int"),
        ({"copies": 1.5}, r"noise\['copies'\]"),
        ({"random_state": "seed"}, r"noise\['random_state'\]"),
        ("em", r"'noise' parameter of load_wfdb_beats must be"),
    ],
)
def test_bad_noise_specs_raise_naming_the_parameter(folder, noise, match):
    with pytest.raises(ValueError, match=match):
        load_wfdb_beats(folder, noise=noise)
