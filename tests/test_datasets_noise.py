"""Noise for stress tests: make_ecg_noise, add_noise (NSTDB SNR), load_nstdb."""

import numpy as np
import pytest
import wfdb
from scipy.signal import welch

from sklearn_ecg.datasets import (
    NOISE_KINDS,
    NOISE_RMS,
    add_noise,
    load_nstdb,
    make_ecg_noise,
)

FS = 360.0


def _band_share(x, fs, lo, hi):
    """Share of the power of ``x`` between ``lo`` and ``hi`` Hz (Welch, 20 s segments)."""
    f, p = welch(x, fs=fs, nperseg=min(int(20 * fs), len(x)))
    return p[(f >= lo) & (f < hi)].sum() / p.sum()


def _ecg(n_seconds=60, fs=FS, rr=0.8, amplitude=1.2):
    """A spiky ECG-like signal: a Gaussian QRS of known peak-to-peak height every ``rr`` s."""
    t = np.arange(int(n_seconds * fs)) / fs
    peaks = np.round(np.arange(0.5, n_seconds - 0.5, rr) * fs).astype(int)
    x = 0.1 * np.sin(2 * np.pi * 0.2 * t)  # a little wander in the clean signal too
    idx = np.arange(-int(0.05 * fs), int(0.05 * fs) + 1)
    qrs = amplitude * np.exp(-0.5 * (idx / (0.012 * fs)) ** 2)
    for p in peaks:  # test helper, a few dozen beats
        x[p + idx] += qrs
    return x, peaks


def _nst_snr(clean, noisy, peaks, fs):
    """The NSTDB SNR computed here independently: median QRS pp over 60 ms either side, S = pp²/8."""
    half = int(round(0.06 * fs))
    pp = np.median([np.ptp(clean[max(p - half, 0) : p + half + 1]) for p in peaks])
    noise = noisy - clean
    return 10 * np.log10((pp**2 / 8) / np.var(noise))


# -- make_ecg_noise ---------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, lo, hi, share",
    [
        ("bw", 0.0, 1.0, 0.99),  # baseline wander: below 1 Hz
        ("em", 0.5, 20.0, 0.95),  # electrode motion: the QRS band
        ("ma", 15.0, 180.0, 0.99),  # muscle: above 15 Hz
        (
            "mains",
            59.0,
            61.0,
            0.98,
        ),  # 60 Hz mains (third harmonic at 180 Hz = Nyquist, left out)
    ],
)
def test_make_ecg_noise_spectrum_and_level(kind, lo, hi, share):
    noise = make_ecg_noise(int(120 * FS), kind, fs=FS, random_state=0)
    assert noise.shape == (int(120 * FS),)
    assert noise.dtype == np.float64
    assert abs(noise.mean()) < 1e-9
    np.testing.assert_allclose(np.sqrt(np.mean(noise**2)), NOISE_RMS[kind], rtol=1e-9)
    assert _band_share(noise, FS, lo, hi) > share


def test_make_ecg_noise_mains_50_hz_with_harmonic():
    noise = make_ecg_noise(int(60 * FS), "mains", fs=FS, mains_freq=50, random_state=0)
    assert _band_share(noise, FS, 49, 51) > 0.95
    assert 0.001 < _band_share(noise, FS, 149, 151) < 0.05  # the third harmonic


def test_make_ecg_noise_em_is_bursty():
    # electrode motion comes in bursts: its short-term power varies far more than muscle noise's
    def spread(x):
        power = (x[: x.size // 360 * 360].reshape(-1, 360) ** 2).mean(axis=1)
        return power.std() / power.mean()

    em = make_ecg_noise(int(300 * FS), "em", random_state=1)
    white = np.random.default_rng(1).standard_normal(em.size)
    assert spread(em) > 3 * spread(white)


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_make_ecg_noise_seeding(kind):
    a = make_ecg_noise(5000, kind, random_state=3)
    b = make_ecg_noise(5000, kind, random_state=3)
    c = make_ecg_noise(5000, kind, random_state=4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_make_ecg_noise_rms_and_fs():
    noise = make_ecg_noise(2500, "ma", fs=250, rms=0.5, random_state=0)
    np.testing.assert_allclose(np.sqrt(np.mean(noise**2)), 0.5)
    # muscle band capped below the Nyquist frequency of 250 Hz sampling
    assert _band_share(noise, 250, 15, 125) > 0.99


def test_make_ecg_noise_bad_input():
    with pytest.raises(ValueError, match="kind"):
        make_ecg_noise(100, "hum")
    with pytest.raises(ValueError, match="n_samples"):
        make_ecg_noise(0, "bw")
    with pytest.raises(ValueError, match="mains_freq=60.*Nyquist"):
        make_ecg_noise(100, "mains", fs=100)


# -- add_noise ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", NOISE_KINDS)
@pytest.mark.parametrize("snr", [24, 12, 0, -6])
def test_add_noise_reaches_the_snr(kind, snr):
    clean, peaks = _ecg()
    noisy = add_noise(clean, kind, snr, fs=FS, peaks=peaks, random_state=0)
    assert noisy.shape == clean.shape
    assert abs(_nst_snr(clean, noisy, peaks, FS) - snr) < 0.01


def test_add_noise_level_follows_the_qrs_not_the_noise():
    clean, peaks = _ecg(amplitude=2.0)
    # pp = 2 mV (the Gaussian's height over a small wander): noise RMS = pp / sqrt(8) / 10^(snr/20)
    noise = add_noise(clean, "ma", 6, fs=FS, peaks=peaks, random_state=0) - clean
    expected = 2.0 / np.sqrt(8) / 10 ** (6 / 20)
    np.testing.assert_allclose(noise.std(), expected, rtol=0.03)
    # a louder source noise gives the same result
    source = make_ecg_noise(clean.size, "ma", random_state=0)
    a = add_noise(clean, source, 6, fs=FS, peaks=peaks)
    b = add_noise(clean, 10 * source, 6, fs=FS, peaks=peaks)
    np.testing.assert_allclose(a, b)


def test_add_noise_seeding_and_dtype():
    clean, peaks = _ecg()
    a = add_noise(
        clean.astype(np.float32), "em", 12, fs=FS, peaks=peaks, random_state=5
    )
    b = add_noise(
        clean.astype(np.float32), "em", 12, fs=FS, peaks=peaks, random_state=5
    )
    c = add_noise(
        clean.astype(np.float32), "em", 12, fs=FS, peaks=peaks, random_state=6
    )
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # the same draw at two SNRs differs only by its level
    lo = add_noise(clean, "em", 12, fs=FS, peaks=peaks, random_state=5) - clean
    hi = add_noise(clean, "em", 0, fs=FS, peaks=peaks, random_state=5) - clean
    np.testing.assert_allclose(hi, lo * 10 ** (12 / 20), rtol=1e-6, atol=1e-9)


def test_add_noise_two_channels_each_at_the_snr():
    clean, peaks = _ecg()
    signal = np.stack([clean, 0.3 * clean])
    noisy = add_noise(signal, "ma", 12, fs=FS, peaks=peaks, random_state=0)
    assert noisy.shape == signal.shape
    for ch in range(2):
        assert abs(_nst_snr(signal[ch], noisy[ch], peaks, FS) - 12) < 0.01
    # independent draws per channel
    n0, n1 = noisy[0] - signal[0], noisy[1] - signal[1]
    assert abs(np.corrcoef(n0, n1)[0, 1]) < 0.1


def test_add_noise_detects_peaks_when_none_given():
    clean, peaks = _ecg(n_seconds=30)
    noisy = add_noise(clean, "bw", 18, fs=FS, random_state=0)
    assert abs(_nst_snr(clean, noisy, peaks, FS) - 18) < 0.1


def test_add_noise_short_noise_is_repeated_with_a_warning():
    clean, peaks = _ecg()
    short = make_ecg_noise(1000, "ma", random_state=0)
    with pytest.warns(UserWarning, match="1000 samples, fewer than the signal's 21600"):
        noisy = add_noise(clean, short, 12, fs=FS, peaks=peaks)
    added = noisy - clean
    np.testing.assert_allclose(added[:1000], added[1000:2000])
    assert abs(_nst_snr(clean, noisy, peaks, FS) - 12) < 0.01


@pytest.mark.parametrize("snr", [np.inf, -np.inf, np.nan])
def test_add_noise_snr_must_be_finite(snr):
    clean, peaks = _ecg(n_seconds=5)
    with pytest.raises(ValueError, match="snr must be a finite number of decibels"):
        add_noise(clean, "ma", snr, fs=FS, peaks=peaks)


def test_add_noise_bad_input():
    clean, peaks = _ecg(n_seconds=5)
    with pytest.raises(ValueError, match="snr"):
        add_noise(clean, "ma", "12", fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="noise"):
        add_noise(clean, "hum", 12, fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="signal contains NaN"):
        add_noise(np.r_[clean, np.nan], "ma", 12, fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="signal must be a 1-D"):
        add_noise(clean.reshape(1, 1, -1), "ma", 12, fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="peaks is empty"):
        add_noise(clean, "ma", 12, fs=FS, peaks=np.array([], dtype=int))
    with pytest.raises(ValueError, match="peaks must lie in"):
        add_noise(clean, "ma", 12, fs=FS, peaks=[10, clean.size])
    with pytest.raises(ValueError, match="zero power"):
        add_noise(clean, np.ones(clean.size), 12, fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="noise contains NaN"):
        add_noise(clean, np.full(clean.size, np.nan), 12, fs=FS, peaks=peaks)
    with pytest.raises(ValueError, match="QRS peak-to-peak amplitude"):
        add_noise(np.zeros(clean.size), "ma", 12, fs=FS, peaks=peaks)


# -- load_nstdb ---------------------------------------------------------------------
def _write_noise(
    folder, name, n_times=7200, fs=360, sig_name=("noise1", "noise2"), seed=0
):
    rng = np.random.default_rng(seed)
    signal = rng.normal(0, 0.2, size=(n_times, len(sig_name)))
    wfdb.wrsamp(
        name,
        fs=fs,
        units=["mV"] * len(sig_name),
        sig_name=list(sig_name),
        p_signal=signal,
        fmt=["16"] * len(sig_name),
        adc_gain=[1000.0] * len(sig_name),
        baseline=[0] * len(sig_name),
        write_dir=str(folder),
    )
    return signal.T


def test_load_nstdb_reads_the_written_records(tmp_path):
    written = {
        k: _write_noise(tmp_path, k, seed=i) for i, k in enumerate(("bw", "em", "ma"))
    }
    noise = load_nstdb(tmp_path)
    assert noise.data.shape == (3, 2, 7200)
    assert noise.data.dtype == np.float32
    assert noise.kinds == ["bw", "em", "ma"]
    assert noise.lead == ["noise1", "noise2"]
    assert noise.fs == 360.0
    assert "Noise Stress Test" in noise.DESCR
    for i, kind in enumerate(noise.kinds):
        np.testing.assert_allclose(noise.data[i], written[kind], atol=1e-3)
    one = load_nstdb(tmp_path, kinds="em", lead="noise2", target_fs=180)
    assert one.data.shape == (1, 1, 3600) and one.fs == 180.0 and one.lead == ["noise2"]
    # the loaded noise goes straight into add_noise
    clean, peaks = _ecg(n_seconds=20)
    noisy = add_noise(clean, noise.data[1, 0], 6, fs=FS, peaks=peaks)
    assert abs(_nst_snr(clean, noisy, peaks, FS) - 6) < 0.01


def test_load_nstdb_environment_folder(tmp_path, monkeypatch):
    (tmp_path / "nstdb").mkdir()
    _write_noise(tmp_path / "nstdb", "ma")
    monkeypatch.setenv("SKLEARN_ECG_DATA", str(tmp_path))
    assert load_nstdb(kinds=["ma"]).data.shape == (1, 2, 7200)


def test_load_nstdb_different_lengths_are_cropped(tmp_path):
    _write_noise(tmp_path, "bw", n_times=7200)
    _write_noise(tmp_path, "ma", n_times=5000)
    assert load_nstdb(tmp_path, kinds=["bw", "ma"]).data.shape == (2, 2, 5000)


def test_load_nstdb_missing_lead_names_the_record(tmp_path):
    _write_noise(tmp_path, "bw")
    _write_noise(tmp_path, "em", sig_name=("noise1",))
    with pytest.raises(
        ValueError, match=r"record 'em' has no lead 'noise2'.*\['noise1'\]"
    ):
        load_nstdb(tmp_path, kinds=["bw", "em"], lead="noise2")
    with pytest.raises(ValueError, match="different signals"):
        load_nstdb(tmp_path, kinds=["bw", "em"])


def test_load_nstdb_missing_data(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        load_nstdb(tmp_path / "absent")
    _write_noise(tmp_path, "bw")
    with pytest.raises(FileNotFoundError, match=r"\['em'\] not found.*download=True"):
        load_nstdb(tmp_path, kinds=["bw", "em"])


def test_load_nstdb_bad_kinds(tmp_path):
    with pytest.raises(ValueError, match="kinds"):
        load_nstdb(tmp_path, kinds=["bw", "bw"])
    with pytest.raises(ValueError, match="kinds"):
        load_nstdb(tmp_path, kinds=["mains"])
    with pytest.raises(ValueError, match="kinds"):
        load_nstdb(tmp_path, kinds="118e24")


def test_load_nstdb_download_goes_through_wfdb(tmp_path, monkeypatch):
    calls = []

    def fake_dl_database(db_dir, dl_dir, records="all", **kwargs):
        calls.append((db_dir, dl_dir, list(records)))
        for name in records:
            _write_noise(dl_dir, name)

    monkeypatch.setattr(wfdb, "dl_database", fake_dl_database)
    noise = load_nstdb(tmp_path / "nstdb", kinds=["em"], download=True)
    assert calls == [("nstdb", str(tmp_path / "nstdb"), ["em"])]
    assert noise.data.shape == (1, 2, 7200)
    load_nstdb(tmp_path / "nstdb", kinds=["em"], download=True)  # present: no download
    assert len(calls) == 1


def test_load_nstdb_download_failure_says_what_to_do(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("no network")

    monkeypatch.setattr(wfdb, "dl_database", broken)
    with pytest.raises(
        OSError, match="Noise Stress Test Database from PhysioNet failed"
    ):
        load_nstdb(tmp_path, download=True)
