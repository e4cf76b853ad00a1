"""FiducialFeatures: QRS widths, onset, offset, Q/R/S and P against the patient's template."""

import numpy as np
import pytest
from _helpers import prevailing_ectopy

from sklearn_ecg.preprocessing import FiducialFeatures, segment_recording

N_RR = 16


def _record(fs, *, wide=(), no_p=(), gain=1.0, n_beats=30):
    """Gaussian P waves and QRS complexes every 0.8 s; some beats wide, some without P.

    The baseline sits below 0, as an ECG's does somewhere: a signal of exact
    zeros between the beats would read as R-R intervals.
    """
    peaks_s = 0.5 + 0.8 * np.arange(n_beats)
    t = np.arange(int((peaks_s[-1] + 1.0) * fs)) / fs
    width = np.where(np.isin(np.arange(n_beats), wide), 0.03, 0.01)
    p = np.where(np.isin(np.arange(n_beats), no_p), 0.0, 0.15)
    qrs = np.exp(-0.5 * ((t[:, None] - peaks_s) / width) ** 2)
    p_wave = p * np.exp(-0.5 * ((t[:, None] - peaks_s + 0.16) / 0.02) ** 2)
    signal = gain * ((qrs + p_wave).sum(axis=1) - 0.2)
    peaks = np.round(peaks_s * fs).astype(int)
    rows, _ = segment_recording(signal, fs=fs, peaks=peaks, context=True, n_rr=N_RR)
    return rows


def _features(rows, fs):
    fiducial = FiducialFeatures(fs=fs, n_rr=N_RR).fit(rows)
    names = list(fiducial.get_feature_names_out())
    return fiducial.transform(rows), names


def test_shape_names_and_dtype():
    rows = _record(360).astype(np.float32)
    f, names = _features(rows, 360)
    assert f.shape == (len(rows), FiducialFeatures.n_features) == (len(rows), 20)
    assert f.dtype == np.float32
    assert len(set(names)) == 20
    assert np.all(np.isfinite(f))


def test_a_wide_beat_is_wide_against_the_template():
    f, names = _features(_record(360, wide=[20]), 360)
    for name in ("log_width50_ratio", "log_width25_ratio", "log_duration_ratio"):
        col = f[:, names.index(name)]
        assert col[20] > 0.7, name  # about three times wider
        assert np.all(np.abs(np.delete(col, 20)) < 0.05), name
    # the half-amplitude width of a Gaussian of sd 10 ms is 2.355 sd
    assert f[10, names.index("qrs_width50")] == pytest.approx(0.0236, abs=0.002)
    assert f[20, names.index("onset_shift")] < -0.01
    assert f[20, names.index("offset_shift")] > 0.01


def test_a_missing_p_wave_is_seen():
    f, names = _features(_record(360, no_p=[20]), 360)
    ratio = f[:, names.index("log_p_ratio")]
    assert ratio[20] < -1.0
    assert np.all(np.abs(np.delete(ratio, 20)) < 0.05)
    # the P wave peaks 0.16 s before the R-peak
    assert f[10, names.index("pr_interval")] == pytest.approx(0.16, abs=0.01)


def test_relative_features_do_not_depend_on_gain():
    f1, names = _features(_record(360, wide=[20], no_p=[25]), 360)
    f3, _ = _features(_record(360, wide=[20], no_p=[25], gain=3.0), 360)
    relative = [names.index(n) for n in names[5:]]  # amplitudes and comparisons
    np.testing.assert_allclose(f1[:, relative], f3[:, relative], atol=1e-6)


def test_about_the_same_at_128_hz():
    f360, names = _features(_record(360, wide=[20]), 360)
    f128, _ = _features(_record(128, wide=[20]), 128)
    for name in ("qrs_width50", "qrs_width25", "log_width50_ratio"):
        i = names.index(name)
        np.testing.assert_allclose(
            f128[:, i], f360[:, i], atol=0.15 if "log" in name else 0.004
        )


def test_plain_windows_give_zero_comparisons():
    rows = _record(360)
    windows = rows[:, :1440]
    f = FiducialFeatures(fs=360).fit_transform(windows)
    np.testing.assert_allclose(f[:, 10:], 0.0, atol=1e-12)
    assert np.all(f[:, 0] > 0)


def test_plain_windows_where_context_rows_are_expected_raise():
    windows = _record(360)[:, :1440]
    with pytest.raises(ValueError, match="not context rows"):
        FiducialFeatures(fs=360, n_rr=N_RR).fit(windows)


def test_context_rows_without_their_n_rr_raise():
    with pytest.raises(ValueError, match=f"Pass n_rr={N_RR}"):
        FiducialFeatures(fs=360).fit(_record(360))


@pytest.mark.parametrize("n_rr", [10_000, N_RR + 200])
def test_wrong_n_rr_raises(n_rr):
    rows = _record(360)
    with pytest.raises(ValueError, match="n_rr|R-R intervals"):
        FiducialFeatures(fs=360, n_rr=n_rr).fit(rows)


def test_nan_raises():
    rows = _record(360)
    rows[3, 100] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        FiducialFeatures(fs=360, n_rr=N_RR).fit(rows)
    fitted = FiducialFeatures(fs=360, n_rr=N_RR).fit(_record(360))
    with pytest.raises(ValueError, match="NaN"):
        fitted.transform(rows)


def test_other_columns_at_transform_raise():
    fitted = FiducialFeatures(fs=360, n_rr=N_RR).fit(_record(360))
    with pytest.raises(ValueError, match="features"):
        fitted.transform(_record(360)[:, 1:])


def test_non_increasing_peaks_raise_where_rows_are_built():
    with pytest.raises(ValueError, match="strictly increasing"):
        segment_recording(np.zeros(3600), fs=360, peaks=[400, 300, 800], context=True)


@pytest.mark.parametrize("fs", [0, -1.0, "360"])
def test_bad_fs_raises(fs):
    with pytest.raises((ValueError, TypeError), match="fs"):
        FiducialFeatures(fs=fs, n_rr=N_RR).fit(_record(360))


def _prevailing_ectopic_record(fs=360, n_beats=300, seed=0):
    """Runs of 2-5 premature atrial beats (0.75 s, inverted P) broken by 1.5-3 s pauses
    that end in a sinus beat: premature beats are the prevailing rhythm (MIT-BIH 232)."""
    intervals, ectopic = prevailing_ectopy(n_beats, seed)
    times = 1.0 + np.cumsum(intervals)
    t = np.arange(int((times[-1] + 2) * fs)) / fs
    signal = np.full(len(t), -0.05)
    for at, is_ectopic in zip(times, ectopic):
        p_amplitude, p_before = (-0.08, 0.12) if is_ectopic else (0.12, 0.16)
        signal += np.exp(-0.5 * ((t - at) / 0.012) ** 2)
        signal += p_amplitude * np.exp(-0.5 * ((t - at + p_before) / 0.02) ** 2)
        signal += 0.25 * np.exp(-0.5 * ((t - at - 0.28) / 0.05) ** 2)
    peaks = np.round(times * fs).astype(int)
    rows, _ = segment_recording(signal, fs=fs, peaks=peaks, context=True, n_rr=64)
    return rows, ectopic


def test_prevailing_ectopic_rhythm_template_stays_sinus_and_the_p_wave_tells():
    from sklearn_ecg.preprocessing import RhythmFeatures, context_layout

    rows, ectopic = _prevailing_ectopic_record()
    late = np.arange(len(rows)) >= 100  # the history and the template have filled
    layout = context_layout(rows.shape[1], 360, n_rr=64)
    p_at = layout.template.start + layout.template_center - round(0.16 * 360)
    # the template is built from on-time beats: the sinus beats after the pauses
    assert np.all(rows[late, p_at] > 0.0)

    fiducial = FiducialFeatures(fs=360, n_rr=64).fit(rows)
    f = fiducial.transform(rows)
    names = list(fiducial.get_feature_names_out())
    pr_shift = f[:, names.index("pr_shift")]
    assert np.all(np.abs(pr_shift[late & ~ectopic]) < 0.01)
    assert np.median(pr_shift[late & ectopic]) < -0.03  # the ectopic P is later

    rhythm = RhythmFeatures(n_rr=64).fit(rows)
    r = rhythm.transform(rows)
    names = list(rhythm.get_feature_names_out())
    # against the mean of the last 32 intervals the ectopic beats are early ...
    assert np.median(r[late & ectopic, names.index("log_pre_mean32")]) < -0.25
    # ... but the median of those intervals is an ectopic one, so the robust
    # z-score and the share of premature intervals call them on time: the
    # "usual" interval of a median is the prevailing ectopic rhythm's
    assert abs(np.median(r[late & ectopic, names.index("z_pre32")])) < 1.0
    assert np.median(r[late & ectopic, names.index("premature_share32")]) < 0.1
