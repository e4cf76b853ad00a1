"""detect_r_peaks: XQRS, run again over the stretches where it falls silent, GQRS where a beat is missing."""

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


@pytest.fixture
def wide_beats():
    """Two minutes of beats every 0.8 s, every fourth a wide beat 0.3 s early."""
    narrow, wide = [], []
    at = 0.5
    for i in range(144):
        if at > 118:
            break
        if i % 4 == 3:
            wide.append(at - 0.3)  # a full compensatory pause follows
        else:
            narrow.append(at)
        at += 0.8
    t = np.arange(120 * FS) / FS
    x = strip(narrow, 120)
    # 5-20 Hz holds little of a wide complex: XQRS's threshold stays above it
    x -= sum(np.exp(-0.5 * ((t - at) / 0.04) ** 2) for at in wide)
    return x, np.asarray(narrow), np.asarray(wide)


def near(peaks, beats, within=0.1):
    """How many of ``beats`` (seconds) have a peak within ``within`` seconds (a wide beat's peak is blunt)."""
    distance = np.abs(beats[:, None] * FS - np.asarray(peaks)[None, :])
    return int(np.sum(distance.min(axis=1) <= within * FS))


def test_wide_beats_missed_by_xqrs_are_found_in_the_long_intervals(wide_beats):
    x, narrow, wide = wide_beats
    alone = detect_r_peaks(x, FS, rr_ratio=None)
    assert near(alone, wide) == 0
    assert found(alone, narrow) == len(narrow) == len(alone)
    peaks = detect_r_peaks(x, FS)
    # the first wide beat has too few intervals before it to tell its interval long
    assert near(peaks, wide) >= len(wide) - 1
    assert found(peaks, narrow) == len(narrow)
    assert len(peaks) == len(narrow) + near(peaks, wide)
    assert peaks.dtype == np.int64 and np.all(np.diff(peaks) > 0)


def test_the_missed_beat_search_adds_only_what_it_should(monkeypatch):
    # regular beats with a 1.6 s interval (twice the usual) and a 4 s pause;
    # what GQRS says is replaced, to test each rule alone
    beats = np.r_[
        np.arange(0.5, 30, 0.8), np.arange(30.9, 50, 0.8), np.arange(53.3, 70, 0.8)
    ]
    x = strip(beats, 70)
    t = np.arange(x.size) / FS

    def wide(at, amplitude=1.0):
        return amplitude * np.exp(-0.5 * ((t - at) / 0.04) ** 2)

    x -= wide(30.1)  # a wide beat in the 1.6 s interval, missed by XQRS
    x -= wide(30.5, 0.2)  # a wide blip, a fifth of it
    x -= wide(10.9)  # a wide bump between two beats 0.8 s apart
    x -= wide(51.3)  # a wide bump in the middle of the pause
    detections = {}

    def fake_gqrs(signal, fs, amplitude):
        return np.asarray(sorted(detections.values()), dtype=np.int64)

    monkeypatch.setattr(_r_peaks, "_gqrs", fake_gqrs)
    baseline = detect_r_peaks(x, FS, rr_ratio=None)

    def added(**kwargs):
        return np.setdiff1d(detect_r_peaks(x, FS, **kwargs), baseline)

    def at(seconds):
        return int(round(seconds * FS))

    detections["beat"] = at(30.1)
    np.testing.assert_array_equal(added(), [at(30.1)])
    # an interval not long enough for rr_ratio is not searched
    assert added(rr_ratio=2.5).size == 0
    # an interval of two usual ones gets one beat, the larger of two
    with monkeypatch.context() as patch:
        patch.setattr(_r_peaks, "_MISSED_AMPLITUDE", 0.0)
        detections["blip"] = at(30.5)
        np.testing.assert_array_equal(added(), [at(30.1)])
        detections.pop("blip")
    # each of these is kept out by one rule
    rules = {
        "blip": (at(30.5), "_MISSED_AMPLITUDE", 0.0),  # too small
        "onset": (at(30.85), "_MISSED_MARGIN", 0.0),  # on the next beat's QRS
        "pause": (at(51.3), "_MISSED_SPLIT", np.inf),  # leaves 2 s either side
    }
    detections.pop("beat")
    for name, (sample, rule, off) in rules.items():
        detections = {name: sample}
        assert added().size == 0, name
        with monkeypatch.context() as patch:
            patch.setattr(_r_peaks, rule, off)
            np.testing.assert_array_equal(added(), [sample])
    # in an interval of the usual length nothing is added, whatever its look
    detections = {"usual": at(10.9)}
    for _, rule, off in rules.values():
        monkeypatch.setattr(_r_peaks, rule, off)
    assert added().size == 0


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
        (dict(signal=np.zeros(3600), fs=FS, rr_ratio=1), ValueError, "rr_ratio"),
        (dict(signal=np.zeros(3600), fs=FS, rr_ratio="2"), TypeError, "rr_ratio"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        detect_r_peaks(**kwargs)
