"""detect_r_peaks: XQRS, run again over the stretches where it falls silent."""

import numpy as np
import pytest
from _helpers import write_annotation, write_record
from wfdb.processing import xqrs_detect

from sklearn_ecg.datasets import load_wfdb_beats
from sklearn_ecg.preprocessing import _r_peaks, detect_r_peaks, segment_recording

FS = 360


def strip(beats, seconds, amplitude=1.0, noise=0.01, seed=0):
    """R waves (and small T waves) at ``beats`` seconds, each of its own amplitude."""
    t = np.arange(int(seconds * FS)) / FS
    amplitude = np.broadcast_to(amplitude, np.shape(beats))
    x = np.zeros_like(t)
    for a, b in zip(amplitude, beats):
        x += a * np.exp(-0.5 * ((t - b) / 0.012) ** 2)
        x += 0.15 * a * np.exp(-0.5 * ((t - b - 0.25) / 0.04) ** 2)
    return x + noise * np.random.default_rng(seed).standard_normal(t.size)


def found(peaks, beats):
    """How many of ``beats`` (seconds) have a peak within 20 ms."""
    if not len(peaks):
        return 0
    distance = np.abs(np.asarray(beats)[:, None] * FS - np.asarray(peaks)[None, :])
    return int(np.sum(distance.min(axis=1) <= 0.02 * FS))


@pytest.fixture
def shrinking():
    """Two minutes of beats whose QRS shrinks to 15 % after the first."""
    beats = np.arange(0.5, 119.5, 0.8)
    return strip(beats, 120, amplitude=np.where(beats < 60, 1.0, 0.15)), beats


def test_xqrs_alone_falls_silent_where_the_qrs_shrinks(shrinking):
    x, beats = shrinking
    late = beats[beats > 62]
    assert found(xqrs_detect(x, fs=FS, verbose=False), late) == 0
    assert found(detect_r_peaks(x, FS, max_gap=None), late) == 0


def test_the_silent_stretch_is_searched_again(shrinking):
    x, beats = shrinking
    peaks = detect_r_peaks(x, FS)
    assert found(peaks, beats) == len(beats) == len(peaks)
    assert peaks.dtype == np.int64
    assert np.all(np.diff(peaks) > 0)


def test_where_xqrs_finds_every_beat_nothing_changes():
    # the 4 s pause is searched again, and XQRS finds nothing there that looks like a beat
    beats = np.r_[np.arange(0.5, 40, 0.8), np.arange(44.5, 100, 0.8)]
    x = strip(beats, 100)
    np.testing.assert_array_equal(
        detect_r_peaks(x, FS), np.unique(xqrs_detect(x, fs=FS, verbose=False))
    )


@pytest.mark.parametrize("noise", [0.01, 0.05])
def test_a_stretch_of_noise_gets_no_beats(noise):
    # half a minute with the lead off: XQRS run there finds noise, which is dropped
    beats = np.r_[np.arange(0.5, 60, 0.8), np.arange(90.3, 149.5, 0.8)]
    x = strip(beats, 150, noise=noise)
    peaks = detect_r_peaks(x, FS)
    assert not np.any((peaks > 61 * FS) & (peaks < 89 * FS))
    assert found(peaks, beats) == len(beats)


@pytest.mark.parametrize("max_gap", [1.5, 3.0])
def test_a_pause_searched_again_gets_no_beats(max_gap):
    beats = np.r_[np.arange(0.5, 40, 0.8), np.arange(44.5, 100, 0.8)]
    peaks = detect_r_peaks(strip(beats, 100), FS, max_gap=max_gap)
    assert not np.any((peaks > 40 * FS) & (peaks < 44.3 * FS))
    assert found(peaks, beats) == len(beats)


def test_small_look_alike_blips_are_not_beats(monkeypatch):
    # 15 s with the lead off but for identical blips at 5 % of the QRS amplitude
    beats = np.r_[np.arange(0.5, 40, 0.8), np.arange(55, 115, 0.8)]
    blips = np.arange(40.4, 54.7, 0.5)
    x = strip(beats, 115, noise=0.005) + strip(blips, 115, amplitude=0.05, noise=0)

    def in_pause(peaks):
        return np.sum((peaks > 40.2 * FS) & (peaks < 54.8 * FS))

    assert in_pause(detect_r_peaks(x, FS)) == 0
    # XQRS run there takes them for beats: only their amplitude tells them apart
    monkeypatch.setattr(_r_peaks, "_MIN_AMPLITUDE", 0.0)
    assert in_pause(detect_r_peaks(x, FS)) == len(blips)


def test_segment_recording_detects_with_it(shrinking):
    x, beats = shrinking
    windows, peaks = segment_recording(x, FS)
    np.testing.assert_array_equal(peaks, detect_r_peaks(x, FS))
    assert len(windows) == len(beats)


def test_the_loaders_detect_with_it(shrinking, tmp_path):
    x, beats = shrinking
    write_record(tmp_path, "shrink", x)
    samples = np.round(beats * FS).astype(int)
    write_annotation(tmp_path, "shrink", samples, ["N"] * len(samples))
    loaded = load_wfdb_beats(tmp_path, window=1.0, peaks="xqrs")
    assert len(loaded.target) == len(beats)
    assert found(loaded.r_peak, beats) == len(beats)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(signal=np.zeros((2, 3600)), fs=FS), ValueError, "1-D"),
        (dict(signal=np.zeros(0), fs=FS), ValueError, "1-D"),
        (dict(signal=np.zeros(3600, dtype=complex), fs=FS), TypeError, "real"),
        (dict(signal=np.array(["a"] * 3600), fs=FS), TypeError, "real"),
        (dict(signal=np.full(3600, np.nan), fs=FS), ValueError, "finite"),
        (dict(signal=np.zeros(3600), fs=0), ValueError, "fs"),
        (dict(signal=np.zeros(3600), fs=FS, max_gap=0), ValueError, "max_gap"),
        (dict(signal=np.zeros(3600), fs=FS, max_gap="10"), TypeError, "max_gap"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        detect_r_peaks(**kwargs)
