"""qrs_agreement (bSQI of XQRS and GQRS) and the unclassifiable beats annotate marks with it."""

import numpy as np
import pytest
import wfdb
import wfdb.processing
from _helpers import write_record
from sklearn.dummy import DummyClassifier

from sklearn_ecg.annotation import QUALITY_THRESHOLD, annotate_record, annotate_signal
from sklearn_ecg.datasets import make_ecg_noise
from sklearn_ecg.preprocessing import detect_r_peaks, qrs_agreement

FS = 360
CARD = {"fs": FS, "segment_recording": {"window": 1.0}, "leads": ["MLII"]}


def spikes(seconds=120, period=0.8):
    """R waves every ``period`` s, and their times."""
    t = np.arange(int(seconds * FS)) / FS
    beats = np.arange(0.5, seconds - 0.5, period)
    x = np.zeros_like(t)
    for b in beats:
        x += np.exp(-0.5 * ((t - b) / 0.012) ** 2)
    return x, beats


@pytest.fixture(scope="module")
def half_in_motion():
    """Two minutes of beats, electrode-motion noise over the second."""
    x, beats = spikes()
    t = np.arange(x.size) / FS
    noise = make_ecg_noise(x.size, kind="em", fs=FS, rms=0.5, random_state=0)
    return x + np.where(t >= 60, noise, 0.0)


def fixed_gqrs(monkeypatch, peaks):
    monkeypatch.setattr(
        wfdb.processing, "gqrs_detect", lambda sig, fs, **_: np.asarray(peaks)
    )


def test_clean_beats_agree_fully():
    x, beats = spikes()
    peaks = detect_r_peaks(x, FS)
    agreement = qrs_agreement(x, FS, peaks)
    assert agreement.shape == peaks.shape
    assert np.all(agreement == 1.0)


@pytest.mark.parametrize("scale", [0.05, 0.1])
def test_a_clean_small_lead_agrees_fully(scale):
    # GQRS's defaults look for QRS complexes of about 0.75 mV: on a lead a
    # fraction of that (V1 of some records) it finds none of them
    x, beats = spikes()
    x = scale * x
    peaks = np.round(beats * FS).astype(int)
    assert len(wfdb.processing.gqrs_detect(sig=x, fs=FS)) < len(peaks) / 2
    assert np.all(qrs_agreement(x, FS, peaks) == 1.0)


def test_gqrs_is_made_no_deafer_on_large_leads(monkeypatch):
    calls = []

    def gqrs(sig, fs, **kwargs):
        calls.append(kwargs)
        return np.flatnonzero(sig > sig.max() / 2)[::8]

    monkeypatch.setattr(wfdb.processing, "gqrs_detect", gqrs)
    x, beats = spikes(10)
    peaks = np.round(beats * FS).astype(int)
    qrs_agreement(3 * x, FS, peaks)
    qrs_agreement(0.2 * x, FS, peaks)
    assert calls[0] == {}
    assert calls[1]["QRSa"] == pytest.approx(200, rel=0.01)
    assert calls[1]["QRSamin"] == pytest.approx(200 * 130 / 750, rel=0.01)


def test_noise_lowers_it_where_it_is(half_in_motion):
    peaks = detect_r_peaks(half_in_motion, FS)
    agreement = qrs_agreement(half_in_motion, FS, peaks)
    clean, noisy = peaks < 55 * FS, peaks > 65 * FS
    assert np.all(agreement[clean] == 1.0)
    assert np.median(agreement[noisy]) < 0.7
    assert np.all((agreement >= 0) & (agreement <= 1))


def test_the_formula(monkeypatch):
    # our peaks every second; GQRS finds the first 10 (one 40 ms off) and 5 others
    peaks = np.arange(1, 31) * FS
    other = np.r_[
        peaks[:10] + np.r_[0, int(0.04 * FS), [0] * 8], 15.5 * FS + np.arange(5) * FS
    ]
    fixed_gqrs(monkeypatch, other.astype(int))
    x = np.zeros(32 * FS)
    agreement = qrs_agreement(x, FS, peaks, window=10.0)
    # at 5 s: peaks 0.5 .. 9.5 s hold 1..9 (9 peaks, all matched), GQRS 9 of them
    assert agreement[4] == pytest.approx(9 / (9 + 9 - 9))
    # at 20 s: peaks 15..24 s (10), GQRS 15.5..19.5 s (5), none matched
    assert agreement[19] == pytest.approx(0.0)
    # at 11 s: peaks 6..15 s (10), matched 6..10 s (5); GQRS 6..10 s and 15.5 s (6)
    assert agreement[10] == pytest.approx(5 / (10 + 6 - 5))
    # a tolerance below 40 ms loses the shifted one: at 2 s, 5 of 6 and 6 matched
    tight = qrs_agreement(x, FS, peaks, window=10.0, tolerance=0.02)
    assert agreement[1] == 1.0
    assert tight[1] == pytest.approx(5 / (6 + 6 - 5))


def test_window_sets_how_far_noise_reaches(half_in_motion):
    peaks = detect_r_peaks(half_in_motion, FS)
    near = (peaks > 57.5 * FS) & (peaks < 59.5 * FS)
    assert near.any()
    wide = qrs_agreement(half_in_motion, FS, peaks, window=20.0)
    narrow = qrs_agreement(half_in_motion, FS, peaks, window=2.0)
    assert np.all(narrow[near] == 1.0)
    assert np.all(wide[near] < 1.0)


def test_no_peaks():
    x, _ = spikes(10)
    assert qrs_agreement(x, FS, np.array([], dtype=int)).shape == (0,)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(signal=np.zeros((2, 3600))), ValueError, "1-D"),
        (dict(signal=np.zeros(3600, dtype=complex)), TypeError, "real"),
        (dict(signal=np.full(3600, np.nan)), ValueError, "finite"),
        (dict(signal=np.zeros(100)), ValueError, "at least a second"),
        (dict(fs=0), ValueError, "fs"),
        (dict(peaks=[400, 300]), ValueError, "strictly increasing"),
        (dict(peaks=[400, 3600]), ValueError, r"\[0, 3600\)"),
        (dict(peaks=[-1, 300]), ValueError, r"\[0, 3600\)"),
        (dict(peaks=[1.5, 300.0]), ValueError, "integer sample indices"),
        (dict(peaks=[[1, 2]]), ValueError, "1-D array of integer"),
        (dict(window=0), ValueError, "window"),
        (dict(tolerance=-0.1), ValueError, "tolerance"),
        (dict(window="10"), TypeError, "window"),
    ],
)
def test_bad_input(kwargs, error, match):
    args = dict(signal=np.zeros(3600), fs=FS, peaks=[100, 400])
    args.update(kwargs)
    with pytest.raises(error, match=match):
        qrs_agreement(**args)


@pytest.fixture(scope="module")
def model():
    return DummyClassifier().fit(np.zeros((2, FS)), ["N", "N"])


def test_annotate_marks_the_unreadable_beats_q(half_in_motion, model):
    plain = annotate_signal(half_in_motion, FS, model, CARD)
    assert plain.quality is None and set(plain.label) == {"N"}
    marked = annotate_signal(
        half_in_motion, FS, model, CARD, quality_threshold=QUALITY_THRESHOLD
    )
    np.testing.assert_array_equal(marked.sample, plain.sample)
    low = marked.quality < QUALITY_THRESHOLD
    assert low.any() and not low.all()
    np.testing.assert_array_equal(marked.label == "Q", low)
    np.testing.assert_array_equal(marked.symbol[low], "Q")
    assert np.all(marked.sample[low] > 50 * FS)  # only where the noise is
    assert np.all(marked.label[~low] == "N")


def test_annotate_at_another_rate_scores_at_the_model_rate(half_in_motion, model):
    from sklearn_ecg.utils import resample

    x = resample(half_in_motion, FS, 128)
    beats = annotate_signal(x, 128, model, CARD, quality_threshold=QUALITY_THRESHOLD)
    assert beats.quality.shape == beats.sample.shape
    assert np.all(beats.label[beats.sample < 50 * 128] == "N")
    assert np.any(beats.label[beats.sample > 65 * 128] == "Q")


def test_annotate_record_writes_q(half_in_motion, model, tmp_path):
    write_record(tmp_path, "rec", half_in_motion[:, None], sig_name=["MLII"])
    beats = annotate_record(
        tmp_path / "rec", model, CARD, extension="test", quality_threshold=0.6
    )
    written = wfdb.rdann(str(tmp_path / "rec"), "test")
    np.testing.assert_array_equal(written.sample, beats.sample)
    assert written.symbol.count("Q") == int(np.sum(beats.quality < 0.6)) > 0


@pytest.mark.parametrize(
    "threshold, error", [(0, ValueError), (1.5, ValueError), ("0.6", TypeError)]
)
def test_annotate_refuses_a_bad_threshold(half_in_motion, model, threshold, error):
    with pytest.raises(error, match="quality_threshold"):
        annotate_signal(half_in_motion, FS, model, CARD, quality_threshold=threshold)
