"""DWTDenoiser: wavelet shrinkage of synthetic beats."""

import numpy as np
import pytest
import pywt

from sklearn_ecg.preprocessing import DWTDenoiser


def clean_beats(n=20, n_times=360, fs=360.0, seed=0):
    """PQRST complexes with random amplitudes, R-peak in the middle."""
    rng = np.random.default_rng(seed)
    t = (np.arange(n_times) - n_times // 2) / fs
    waves = (
        (-0.19, 0.15, 0.022),
        (-0.03, -0.12, 0.009),
        (0.0, 1.0, 0.010),
        (0.03, -0.25, 0.009),
        (0.27, 0.30, 0.045),
    )
    x = np.zeros((n, n_times))
    for centre, amplitude, width in waves:
        a = amplitude * rng.uniform(0.8, 1.2, size=(n, 1))
        x += a * np.exp(-0.5 * ((t - centre) / width) ** 2)
    return x


def snr_db(clean, estimate):
    return 10 * np.log10(
        (clean**2).sum(axis=-1) / ((estimate - clean) ** 2).sum(axis=-1)
    )


def test_denoising_raises_snr():
    clean = clean_beats()
    noisy = clean + 0.08 * np.random.default_rng(1).normal(size=clean.shape)
    for mode in ("soft", "hard"):
        denoised = DWTDenoiser(wavelet="db4", mode=mode).fit_transform(noisy)
        gain = snr_db(clean, denoised) - snr_db(clean, noisy)
        assert np.all(gain > 3), mode


def test_clean_beat_is_nearly_unchanged():
    clean = clean_beats()
    out = DWTDenoiser().fit_transform(clean)
    assert out.shape == clean.shape
    assert np.all(snr_db(clean, out) > 30)


def test_keeps_float32_and_shape_for_odd_lengths():
    X = clean_beats(n_times=187).astype(np.float32)
    out = DWTDenoiser().fit_transform(X)
    assert out.dtype == np.float32 and out.shape == X.shape


def test_universal_threshold_matches_the_formula():
    X = clean_beats(n=3) + 0.05 * np.random.default_rng(2).normal(size=(3, 360))
    level = pywt.dwt_max_level(360, pywt.Wavelet("db2").dec_len)
    coeffs = pywt.wavedec(X, "db2", level=level, axis=-1)
    sigma = np.median(np.abs(coeffs[-1]), axis=-1) / 0.6745
    t = sigma * np.sqrt(2 * np.log(360))
    expected = [coeffs[0]] + [
        pywt.threshold(d, t[:, None], mode="soft") for d in coeffs[1:]
    ]
    expected = pywt.waverec(expected, "db2", axis=-1)
    np.testing.assert_allclose(DWTDenoiser().fit_transform(X), expected, atol=1e-10)


def test_fixed_threshold_zero_is_perfect_reconstruction():
    X = clean_beats(n=4, n_times=201)
    np.testing.assert_allclose(
        DWTDenoiser(threshold=0.0).fit_transform(X), X, atol=1e-10
    )


def test_large_threshold_keeps_only_the_approximation():
    X = clean_beats(n=4) + 0.1 * np.random.default_rng(3).normal(size=(4, 360))
    huge = DWTDenoiser(threshold=1e6).fit_transform(X)
    approx = DWTDenoiser(keep="approximation").fit_transform(X)
    np.testing.assert_allclose(huge, approx, atol=1e-10)
    # the approximation is smooth: much less high-frequency energy than X
    assert (
        np.abs(np.diff(approx, axis=-1)).sum() < 0.5 * np.abs(np.diff(X, axis=-1)).sum()
    )


def test_remove_baseline_removes_offset_and_drift():
    X = clean_beats(n=4, n_times=1024)
    drift = 2.0 + np.linspace(-1, 1, 1024) ** 2
    out = DWTDenoiser(wavelet="db4", remove_baseline=True, threshold=0.0).fit_transform(
        X + drift
    )
    kept = DWTDenoiser(wavelet="db4", threshold=0.0).fit_transform(X + drift)
    assert np.abs(out.mean(axis=-1)).max() < 0.1
    assert np.abs(kept.mean(axis=-1) - (X + drift).mean(axis=-1)).max() < 1e-8


def test_three_d_input_equals_channelwise_two_d():
    X = clean_beats(n=6) + 0.05 * np.random.default_rng(4).normal(size=(6, 360))
    X3 = X.reshape(3, 2, 360)
    out3 = DWTDenoiser(level=3).fit_transform(X3)
    np.testing.assert_allclose(
        out3.reshape(6, 360), DWTDenoiser(level=3).fit_transform(X), atol=1e-12
    )


def test_too_short_for_one_level_passes_unchanged():
    X = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_array_equal(DWTDenoiser(wavelet="db4").fit_transform(X), X)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(wavelet="db99x"), "wavelet"),
        (dict(wavelet="morl"), "wavelet"),
        (dict(level=0), "level"),
        (dict(threshold="minimax"), "threshold"),
        (dict(threshold=-1.0), "threshold"),
        (dict(mode="garrote"), "mode"),
        (dict(keep="details"), "keep"),
    ],
)
def test_bad_parameters_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        DWTDenoiser(**params).fit(np.zeros((2, 64)))


@pytest.mark.parametrize(
    "X", [np.zeros(64), np.zeros((1, 1, 1, 64)), np.full((2, 64), np.nan)]
)
def test_bad_input_raises(X):
    with pytest.raises(ValueError):
        DWTDenoiser().fit(X)
