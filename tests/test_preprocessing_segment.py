"""BeatSegmenter, segment_recording and the deprecated RRFeatures on synthetic strips with known beats."""

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from sklearn_ecg.preprocessing import (
    BeatSegmenter,
    DWTDenoiser,
    RRFeatures,
    segment_recording,
)

FS = 360
# P, Q, R, S, T waves: centre (s from the R-peak), amplitude (mV), width (s)
_WAVES = (
    (-0.19, 0.15, 0.022),
    (-0.03, -0.12, 0.009),
    (0.0, 1.0, 0.010),
    (0.03, -0.25, 0.009),
    (0.27, 0.30, 0.045),
)


def beat_strip(peaks, n_times, fs=FS, noise=0.0, seed=0):
    """A single-lead strip with one PQRST complex per R-peak index in ``peaks``."""
    t = np.arange(n_times) / fs
    x = np.zeros(n_times)
    for p in peaks:
        for centre, amplitude, width in _WAVES:
            x += amplitude * np.exp(-0.5 * ((t - p / fs - centre) / width) ** 2)
    return x + noise * np.random.default_rng(seed).normal(size=n_times)


def regular_peaks(rr, n_beats, start=0.6, fs=FS):
    return np.round((start + rr * np.arange(n_beats)) * fs).astype(int)


@pytest.fixture
def regular_windows():
    """Windows of a 0.8 s rhythm, each centred on one of the middle beats."""
    peaks = regular_peaks(0.8, 15)
    x = beat_strip(peaks, peaks[-1] + FS, noise=0.01)
    windows, _ = segment_recording(x, FS, peaks=peaks[4:10], window=4.0)
    return windows.astype(np.float32)


# --------------------------------------------------------------------------- BeatSegmenter


def test_kachuee_beat_starts_at_r_and_spans_1_2_rr(regular_windows):
    beats = BeatSegmenter().fit_transform(regular_windows)
    assert beats.shape == (6, 187)
    assert beats.dtype == np.float32
    # the R-peak is the first sample and the amplitude is normalised to [0, 1]
    assert np.all(beats[:, 0] > 0.95)
    assert beats.min() >= 0 and beats.max() <= 1
    # 1.2 * 0.8 s at 125 Hz = 120 samples, then zero padding
    expected = round(1.2 * 0.8 * 125)
    nonzero = np.array([np.flatnonzero(b).max() + 1 for b in beats])
    assert np.all(np.abs(nonzero - expected) <= 2)
    assert np.all(beats[:, expected + 3 :] == 0)


def test_kachuee_length_and_threshold_parameters(regular_windows):
    beats = BeatSegmenter(length=100).fit_transform(regular_windows)
    assert beats.shape == (6, 100)
    assert np.all(beats[:, -1] != 0)  # 120 samples truncated to 100


def test_kachuee_finds_r_near_centre_when_window_is_off_by_a_few_samples(
    regular_windows,
):
    shifted = np.roll(
        regular_windows, 7, axis=1
    )  # R now 7 samples (19 ms) after the centre
    beats = BeatSegmenter().fit_transform(shifted)
    assert np.all(beats[:, 0] > 0.95)


def test_window_method_puts_r_at_before(regular_windows):
    seg = BeatSegmenter(method="window", before=0.25, after=0.45, target_fs=125)
    beats = seg.fit_transform(regular_windows)
    n_before = round(0.25 * 125)
    assert beats.shape == (6, n_before + round(0.45 * 125))
    assert np.all(np.abs(beats.argmax(axis=1) - n_before) <= 1)
    # raw amplitude is kept: R is about 1 mV
    assert np.allclose(beats.max(axis=1), 1.0, atol=0.1)


def test_window_method_at_input_rate_is_a_plain_slice(regular_windows):
    seg = BeatSegmenter(method="window", before=0.1, after=0.2, target_fs=FS)
    beats = seg.fit_transform(regular_windows)
    c = regular_windows.shape[1] // 2
    np.testing.assert_array_equal(beats, regular_windows[:, c - 36 : c + 72])


def test_multichannel_beats_are_cut_at_the_same_samples(regular_windows):
    X3 = np.stack([regular_windows, -2 * regular_windows + 3], axis=1)
    for seg in (BeatSegmenter(), BeatSegmenter(method="window")):
        beats = seg.fit_transform(X3)
        single = seg.fit_transform(regular_windows)
        assert beats.shape == (6, 2) + single.shape[1:]
        np.testing.assert_allclose(beats[:, 0], single, atol=1e-6)
        if seg.method == "window":
            np.testing.assert_allclose(beats[:, 1], -2 * single + 3, atol=2e-4)


def test_lead_selects_the_detection_channel(regular_windows):
    noise = (
        np.random.default_rng(0).normal(size=regular_windows.shape).astype(np.float32)
    )
    X3 = np.stack([noise, regular_windows], axis=1)
    beats = BeatSegmenter(lead=1).fit_transform(X3)
    assert np.all(beats[:, 1, 0] > 0.95)
    with pytest.raises(ValueError, match="lead=2"):
        BeatSegmenter(lead=2).fit(X3)


@pytest.mark.parametrize(
    "X",
    [
        np.zeros((3, 1440)),
        np.random.default_rng(0).normal(size=(3, 1440)),
        np.ones((2, 5)),
    ],
)
def test_any_window_gives_a_finite_beat(X):
    beats = BeatSegmenter().fit_transform(X)
    assert beats.shape == (X.shape[0], 187)
    assert np.all(np.isfinite(beats))


def test_window_without_rhythm_uses_default_rr():
    X = np.zeros((2, 1440))
    X[:, 720] = 1.0  # a lone peak: no RR interval to measure
    for default_rr, n in ((0.8, 120), (0.5, 75)):
        beats = BeatSegmenter(default_rr=default_rr).fit_transform(X)
        assert np.all(beats[:, 0] > 0.9)
        assert np.all(beats[:, n + 1 :] == 0)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(method="pan"), "method"),
        (dict(fs=0), "fs"),
        (dict(target_fs=-1), "target_fs"),
        (dict(threshold=1.5), "threshold"),
        (dict(method="window", before=0.0, after=0.0), "before"),
    ],
)
def test_bad_parameters_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        BeatSegmenter(**params).fit(np.zeros((2, 100)))


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros(100), "2D|2-D"),
        (np.zeros((2, 2, 2, 100)), "2-D|3-D"),
        (np.full((2, 100), np.nan), "NaN"),
        (np.full((2, 100), np.inf), "infinity"),
    ],
)
def test_bad_input_raises(X, match):
    with pytest.raises(ValueError, match=match):
        BeatSegmenter().fit(X)


def test_transform_checks_the_fitted_shape(regular_windows):
    seg = BeatSegmenter().fit(regular_windows)
    with pytest.raises(ValueError, match="features"):
        seg.transform(regular_windows[:, :1000])


# --------------------------------------------------------------------------- segment_recording


def test_segment_recording_with_given_peaks_centres_and_edge_pads():
    x = np.arange(1000, dtype=np.float64)
    windows, peaks = segment_recording(x, fs=100, peaks=[5, 500, 998], window=1.0)
    assert windows.shape == (3, 100)
    assert windows.dtype == np.float64
    np.testing.assert_array_equal(windows[:, 50], [5, 500, 998])
    np.testing.assert_array_equal(windows[1], np.arange(450, 550))
    assert np.all(windows[0, :45] == 0)  # left edge replicated
    assert np.all(windows[2, 52:] == 999)  # right edge replicated
    np.testing.assert_array_equal(peaks, [5, 500, 998])


def test_segment_recording_multilead_keeps_channels():
    x = np.stack([np.arange(600.0), -np.arange(600.0)]).astype(np.float32)
    windows, _ = segment_recording(x, fs=100, peaks=[300], window=2.0)
    assert windows.shape == (1, 2, 200)
    assert windows.dtype == np.float32
    np.testing.assert_array_equal(windows[0, 1], -windows[0, 0])


def test_segment_recording_finds_beats_with_xqrs():
    rr = np.random.default_rng(1).uniform(0.7, 0.95, 24)
    true = np.round(np.cumsum(np.r_[0.6, rr]) * FS).astype(int)
    x = beat_strip(true, true[-1] + FS, noise=0.02)
    windows, found = segment_recording(x, FS)
    assert len(found) == len(true)
    assert np.abs(found - true).max() <= 5
    assert windows.shape == (len(true), 4 * FS)
    # the windows follow load_mitbih's layout: R-peak at n_window // 2
    np.testing.assert_array_equal(windows[:, 2 * FS], x[found])
    # and feed the segmenter directly
    beats = BeatSegmenter().fit_transform(windows[1:-1])
    assert np.all(beats[:, 0] > 0.9)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(signal=np.zeros((2, 2, 10)), fs=100), "signal"),
        (dict(signal=np.full(100, np.nan), fs=100), "NaN"),
        (dict(signal=np.zeros(100), fs=0), "fs"),
        (dict(signal=np.zeros(100), fs=100, window=-1), "window"),
        (dict(signal=np.zeros(100), fs=100, peaks=[100]), "peaks"),
        (dict(signal=np.zeros(100), fs=100, peaks=[1.5]), "peaks"),
        (dict(signal=np.zeros((2, 100)), fs=100, lead=3), "lead"),
    ],
)
def test_segment_recording_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        segment_recording(**kwargs)


# --------------------------------------------------------------------------- RRFeatures

# RRFeatures is deprecated (0.2, removed in 0.4); its own tests stay until then
rr_features_deprecated = pytest.mark.filterwarnings(
    "ignore:Class RRFeatures is deprecated:FutureWarning"
)


def test_rr_features_warns_naming_its_replacement():
    with pytest.warns(FutureWarning, match=r"removed in 0\.4\. Use RhythmFeatures"):
        RRFeatures()


def _windows_around(peaks, centres, noise=0.01, seed=0):
    x = beat_strip(peaks, peaks[-1] + 2 * FS, noise=noise, seed=seed)
    windows, _ = segment_recording(x, FS, peaks=centres, window=4.0)
    return windows


@rr_features_deprecated
def test_rr_features_of_a_regular_rhythm():
    peaks = regular_peaks(0.75, 16)
    f = RRFeatures(fs=FS).fit_transform(_windows_around(peaks, peaks[5:10]))
    assert f.shape == (5, RRFeatures.n_features)
    np.testing.assert_allclose(f[:, :3], 0.75, atol=3 / FS)
    np.testing.assert_allclose(f[:, 3:], 1.0, atol=0.02)


@rr_features_deprecated
def test_premature_beat_has_short_prev_rr_relative_to_local_rhythm():
    rr = np.full(15, 0.8)
    rr[7], rr[8] = 0.5, 1.1  # beat 8 is early, then a compensatory pause
    peaks = np.round(np.cumsum(np.r_[0.6, rr]) * FS).astype(int)
    f = RRFeatures(fs=FS).fit_transform(
        _windows_around(peaks, peaks[[5, 8]], noise=0.02)
    )
    normal, premature = f
    np.testing.assert_allclose(premature[:2], [0.5, 1.1], atol=3 / FS)
    assert premature[3] < 0.75 < 0.95 < normal[3]  # prev / local
    assert premature[4] > 1.2  # next / local
    assert premature[5] < 0.5 < normal[5]  # prev / next


@rr_features_deprecated
def test_rr_features_separate_synthetic_s_beats():
    datasets = pytest.importorskip("sklearn_ecg.datasets")
    make_ecg_beats = getattr(datasets, "make_ecg_beats", None)
    if make_ecg_beats is None:
        pytest.skip("sklearn_ecg.datasets.make_ecg_beats is not available")
    X, y = make_ecg_beats(
        n_samples=200, classes=("N", "S"), random_state=0, return_X_y=True
    )
    f = RRFeatures(fs=360).fit_transform(X)
    assert np.median(f[y == "S", 3]) < 0.85 < np.median(f[y == "N", 3])


@rr_features_deprecated
def test_rr_features_fall_back_without_neighbouring_beats():
    X = np.zeros((2, 1440), dtype=np.float32)
    X[1] = np.random.default_rng(0).normal(size=1440)
    f = RRFeatures(default_rr=0.9).fit_transform(X)
    assert np.all(np.isfinite(f))
    np.testing.assert_allclose(f[0], [0.9, 0.9, 0.9, 1, 1, 1], rtol=1e-6)


@rr_features_deprecated
def test_rr_features_use_the_chosen_lead_and_keep_float32():
    peaks = regular_peaks(0.7, 12)
    w = _windows_around(peaks, peaks[4:7]).astype(np.float32)
    X3 = np.stack([np.zeros_like(w), w], axis=1)
    f = RRFeatures(lead=1).fit_transform(X3)
    assert f.dtype == np.float32
    np.testing.assert_allclose(f[:, 0], 0.7, atol=3 / FS)
    names = RRFeatures().fit(w).get_feature_names_out()
    assert len(names) == RRFeatures.n_features and names[3] == "rr_prev_local"


@rr_features_deprecated
def test_feature_union_with_smote_and_clone():
    rr = np.full(30, 0.8)
    rr[[6, 14, 22]] = 0.5
    peaks = np.round(np.cumsum(np.r_[0.6, rr]) * FS).astype(int)
    X = _windows_around(peaks, peaks[3:28]).astype(np.float32)
    y = np.where(np.isin(np.arange(3, 28), [7, 15, 23]), "S", "N")
    features = FeatureUnion(
        [("beat", make_pipeline(BeatSegmenter(), DWTDenoiser())), ("rr", RRFeatures())]
    )
    Xt = features.fit_transform(X)
    assert Xt.shape == (25, 187 + RRFeatures.n_features)
    np.testing.assert_allclose(
        Xt[:, -RRFeatures.n_features :], RRFeatures().fit_transform(X)
    )
    pipe = Pipeline(
        [
            ("features", features),
            ("smote", SMOTE(k_neighbors=2, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    pred = clone(pipe).fit(X, y).predict(X)
    assert (pred == y).mean() == 1.0


@rr_features_deprecated
def test_rr_features_match_mitbih_annotations(mitdb_dir):
    from sklearn_ecg.datasets import load_mitbih

    beats = load_mitbih(data_home=mitdb_dir, records=["100"])
    f = RRFeatures(fs=beats.fs).fit_transform(beats.data)
    true_prev = np.diff(beats.r_peak) / beats.fs
    assert np.mean(np.abs(f[1:, 0] - true_prev) < 0.02) > 0.98
    s, n = beats.target == "S", beats.target == "N"
    assert np.median(f[s, 3]) < 0.85 < np.median(f[n, 3])
