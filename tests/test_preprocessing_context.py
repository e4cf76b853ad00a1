"""Record context in every row: rhythm history, running template, their features and loaders."""

import pickle
import time

import joblib
import numpy as np
import pytest
import scipy.signal
import wfdb
from _helpers import write_annotation, write_record
from imblearn.over_sampling import SMOTE
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import FeatureUnion

from sklearn_ecg.datasets import load_mitbih, load_wfdb_beats
from sklearn_ecg.pipelines import make_feature_pipeline
from sklearn_ecg.preprocessing import (
    MorphologyFeatures,
    RelativeBeat,
    RhythmFeatures,
    RRFeatures,
    add_context,
    context_layout,
    record_context,
    rhythm_irregularity,
    segment_recording,
    template_length,
)

N_RR = 64


# -- synthetic records -------------------------------------------------------


def _rhythm(n_beats=120, seed=0):
    """Beat times (s) on a 0.25 s grid, so they are whole samples at 128 Hz and at 360 Hz.

    A slow rhythm (1.25 s) with long pauses (2.5 s), premature atrial beats
    (1.0 s: short against the record, not against the pause before them) and
    a few wide ventricular beats.
    """
    rng = np.random.default_rng(seed)
    intervals, symbols = [], []
    for i in range(n_beats):
        if i > 10 and i % 9 == 0:
            intervals += [2.5, 1.0]  # a pause, then a premature beat
            symbols += ["N", "A"]
        elif i > 10 and i % 13 == 0:
            intervals.append(0.75)
            symbols.append("V")
        else:
            intervals.append(rng.choice([1.25, 1.25, 1.5]))
            symbols.append("N")
    times = 1.0 + np.cumsum(intervals)
    return times, np.asarray(symbols)


def _ecg(times, symbols, fs, duration):
    """P-QRS-T waves at the beat times; ventricular beats wide, without P, T inverted."""
    t = np.arange(int(round(duration * fs))) / fs

    def wave(centres, width, amplitude):
        d = t[:, None] - np.asarray(centres)[None, :]
        return (amplitude * np.exp(-0.5 * (d / width) ** 2)).sum(axis=1)

    normal, ventricular = times[symbols != "V"], times[symbols == "V"]
    return (
        wave(normal - 0.16, 0.02, 0.15)
        + wave(normal, 0.012, 1.0)
        + wave(normal + 0.3, 0.05, 0.3)
        + wave(ventricular, 0.035, 1.3)
        + wave(ventricular + 0.32, 0.06, -0.4)
        + 0.1 * np.sin(2 * np.pi * 0.2 * t)  # baseline wander
    )


def _write(folder, name, fs, *, lead="MLII", seed=0, n_beats=120, extra_lead="V1"):
    times, symbols = _rhythm(n_beats, seed)
    duration = times[-1] + 1.5
    signal = _ecg(times, symbols, fs, duration)
    write_record(
        folder,
        name,
        np.column_stack([signal, 0.5 * signal]),
        fs=fs,
        sig_name=[lead, extra_lead],
    )
    write_annotation(folder, name, np.round(times * fs).astype(np.int64), symbols)
    return times, symbols


@pytest.fixture
def db360(tmp_path):
    folder = tmp_path / "db360"
    folder.mkdir()
    rhythms = {
        name: _write(folder, name, 360, seed=i)
        for i, name in enumerate(["100", "101", "103"])
    }
    return folder, rhythms


# -- record_context, layout --------------------------------------------------


def test_record_context_intervals_oldest_first_and_zero_padded():
    peaks = np.array([100, 460, 820, 1000, 1540])
    _, rr = record_context(
        np.zeros(2000, dtype=np.float32), peaks, fs=360, n_rr=3, n_next=2
    )
    expected = np.array(
        [
            [0, 0, 0, 1.0, 1.0],
            [0, 0, 1.0, 1.0, 0.5],
            [0, 1.0, 1.0, 0.5, 1.5],
            [1.0, 1.0, 0.5, 1.5, 0],
            [1.0, 0.5, 1.5, 0, 0],
        ]
    )
    np.testing.assert_allclose(rr, expected, rtol=1e-6)
    assert rr.dtype == np.float32


def test_record_context_template_is_causal_running_median():
    fs = 100
    length, center = template_length(fs)
    rng = np.random.default_rng(0)
    peaks = np.arange(50, 5000, 80)
    signal = rng.normal(size=5100).astype(np.float32)
    template, _ = record_context(signal, peaks, fs, n_template=5)
    beats = np.stack([signal[p - center : p - center + length] for p in peaks])
    np.testing.assert_array_equal(
        template[0], beats[0]
    )  # the first beat is its own template
    np.testing.assert_allclose(template[1], beats[0])
    np.testing.assert_allclose(template[3], np.median(beats[:3], axis=0), rtol=1e-6)
    for i in (5, 17, len(peaks) - 1):
        np.testing.assert_allclose(
            template[i], np.median(beats[i - 5 : i], axis=0), rtol=1e-6
        )


def test_record_context_template_leaves_premature_beats_out():
    # three premature beats (0.6 s, another shape) for every on-time beat (1.4 s): the
    # template stays the on-time beat, although premature beats are most of the record
    fs = 100
    length, center = template_length(fs)
    pattern = np.r_[140, 60, 60, 60]
    peaks = 200 + np.cumsum(np.tile(pattern, 40))
    premature = np.tile(pattern, 40) == 60
    t = np.arange(peaks[-1] + 200)
    width = np.where(premature, 6.0, 2.0)
    signal = np.exp(-0.5 * ((t[:, None] - peaks) / width) ** 2).sum(axis=1)
    template, _ = record_context(signal, peaks, fs, n_template=8)
    on_time = signal[peaks[~premature][5] - center + np.arange(length)]
    for i in (
        np.flatnonzero(~premature)[3:] + 1
    ):  # a premature beat after a few on-time ones
        assert premature[i]
        np.testing.assert_allclose(template[i], on_time, atol=1e-6)
    # with every beat counted, the median would be a premature beat
    beats = np.stack([signal[p - center + np.arange(length)] for p in peaks])
    assert not np.allclose(np.median(beats[-9:-1], axis=0), on_time, atol=1e-3)


def test_record_context_template_edges_repeat_the_signal_edge():
    signal = np.arange(100, dtype=np.float64)
    template, _ = record_context(signal, [2], fs=40)
    assert template.dtype == np.float64
    center = template_length(40)[1]
    assert template[0, : center - 1].tolist() == [0.0] * (center - 1)
    assert template[0, center] == 2.0


@pytest.mark.parametrize(
    "peaks, match",
    [
        ([10, 10, 20], "strictly increasing"),
        ([30, 20], "strictly increasing"),
        ([5, 5000], r"\[0, 1000\)"),
        ([1.5, 3.0], "integer"),
    ],
)
def test_record_context_rejects_bad_peaks(peaks, match):
    with pytest.raises(ValueError, match=match):
        record_context(np.zeros(1000), peaks, fs=360)


def test_record_context_rejects_bad_signal_and_counts():
    signal = np.zeros(1000)
    signal[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        record_context(signal, [10], fs=360)
    with pytest.raises(ValueError, match="n_rr"):
        record_context(np.zeros(1000), [10], fs=360, n_rr=0)
    with pytest.raises(ValueError, match="fs"):
        record_context(np.zeros(1000), [10], fs=-1)


def test_context_layout_and_add_context_round_trip():
    fs = 128
    n_template, _ = template_length(fs)
    windows, template, rr = (
        np.ones((4, 256)),
        np.full((4, n_template), 2.0),
        np.full((4, 11), 3.0),
    )
    rows = add_context(windows.astype(np.float32), template, rr)
    assert rows.dtype == np.float32 and rows.shape == (4, 256 + n_template + 11)
    layout = context_layout(rows.shape[1], fs, n_rr=10, n_next=1)
    assert (rows[:, layout.window] == 1).all() and (rows[:, layout.template] == 2).all()
    assert (rows[:, layout.rr] == 3).all() and layout.n_window == 256
    assert (
        layout.history.stop - layout.history.start == 10
        and layout.next.stop - layout.next.start == 1
    )
    assert context_layout(rows.shape[1], n_rr=10).rr == layout.rr
    with pytest.raises(ValueError, match=r"at least .* columns.*context=True"):
        context_layout(100, 360, n_rr=512)
    with pytest.raises(ValueError, match="rows"):
        add_context(np.ones((3, 5)), np.ones((4, 2)), np.ones((4, 2)))


# -- RhythmFeatures ----------------------------------------------------------


def _names(estimator):
    return list(estimator.get_feature_names_out())


def test_rhythm_features_known_sequence():
    peaks = np.cumsum([360] * 40 + [252] + [468] + [360] * 5)
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=N_RR, n_next=1)
    est = RhythmFeatures(n_rr=N_RR).fit(rr)
    f, names = est.transform(rr), _names(est)
    assert f.shape == (len(peaks), len(names)) and np.isfinite(f).all()
    col = {n: f[:, i] for i, n in enumerate(names)}
    premature = 40
    assert col["rr_pre"][premature] == pytest.approx(0.7, rel=1e-6)
    assert col["rr_post"][premature] == pytest.approx(1.3, rel=1e-6)
    assert col["rr_mean32"][premature] == pytest.approx((31 * 1.0 + 0.7) / 32, rel=1e-5)
    assert col["log_pre_post"][premature] == pytest.approx(np.log(0.7 / 1.3), rel=1e-5)
    assert (
        col["log_pre_mean32"][premature]
        < -0.3
        < 0.2
        < col["log_post_mean32"][premature]
    )
    # a regular rhythm: ratios 0, no variability
    assert col["log_pre_mean5min"][30] == pytest.approx(0, abs=1e-6)
    assert col["rr_cv32"][30] == 0 and col["rr_msd32"][30] == 0
    # the premature beat's own intervals stay out of its variability
    assert col["rr_msd32"][premature] == 0
    # in a regular rhythm the early beat is many deviations early, the pause late
    assert col["z_pre32"][premature] == pytest.approx(-15.0, rel=1e-5)
    assert col["z_post32"][premature] == pytest.approx(15.0, rel=1e-5)
    assert col["log_pre_prev"][premature] == pytest.approx(np.log(0.7), rel=1e-5)
    assert col["premature_share32"][premature] == 0
    # one beat later the premature interval is history: 1 of 32 is short
    assert col["premature_share32"][premature + 2] == pytest.approx(1 / 32)


def test_rhythm_features_z_scores_tell_fibrillation_from_an_early_beat():
    rng = np.random.default_rng(0)
    # irregular: intervals uniform in 0.5-1.1 s; regular: 0.8 s with an early beat
    irregular = np.cumsum(rng.uniform(180, 396, size=80).astype(int))
    regular = np.cumsum([288] * 60 + [216] + [360] + [288] * 5)
    feats = {}
    for name, peaks in (("irregular", irregular), ("regular", regular)):
        _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=N_RR)
        est = RhythmFeatures(n_rr=N_RR).fit(rr)
        feats[name] = dict(zip(_names(est), est.transform(rr).T))
    early = 60
    # the same 0.75 prematurity ratio is an outlier only in the regular rhythm
    short = np.argmin(feats["irregular"]["log_pre_mean32"][40:]) + 40
    assert feats["regular"]["z_pre32"][early] < -10
    assert feats["irregular"]["z_pre32"][short] > -5
    assert feats["irregular"]["rr_msd8"][40:].min() > 0.05
    assert feats["regular"]["rr_msd8"][early] == 0
    assert feats["irregular"]["premature_share32"][40:].mean() > 0.1


def test_rhythm_features_tell_a_faster_rhythm_from_an_early_beat():
    rng = np.random.default_rng(0)
    # 5 minutes of sinus rhythm at 1 s with one early beat (0.7 s), then a
    # sustained irregular rhythm around 0.6 s (fibrillation)
    sinus = [360] * 150 + [252, 468] + [360] * 148
    fast = rng.uniform(0.5, 0.7, size=100) * 360
    peaks = np.cumsum(np.round(np.r_[sinus, fast]).astype(int))
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=512)
    est = RhythmFeatures(n_rr=512).fit(rr)
    col = dict(zip(_names(est), est.transform(rr).T))
    early, settled = 150, np.arange(len(sinus) + 40, len(peaks))
    # the early beat is early against both references
    assert col["log_pre_both"][early] == pytest.approx(np.log(0.7), abs=0.03)
    # once the fast rhythm has filled the last 32 beats, its beats are early
    # only against the 5-minute mean
    assert np.median(col["log_pre_mean5min"][settled]) < -0.2
    assert np.median(col["log_pre_both"][settled]) > -0.05
    assert col["log_pre_both"][settled].min() > col["log_pre_mean5min"][settled].min()
    assert np.all(col["log_mean32_mean5min"][settled] < -0.2)
    assert col["log_mean32_mean5min"][early] == pytest.approx(0, abs=0.02)


def test_rhythm_features_first_beats_fall_back_and_stay_finite():
    peaks = np.array([100, 460, 820])
    _, rr = record_context(np.zeros(1000), peaks, fs=360, n_rr=8)
    f = RhythmFeatures().fit_transform(rr)
    assert np.isfinite(f).all()
    names = _names(RhythmFeatures().fit(rr))
    # the first beat has no history: its pre-RR and means take the post-RR
    assert f[0, names.index("rr_pre")] == pytest.approx(1.0)
    assert f[0, names.index("log_pre_mean5min")] == 0
    # the last beat has no post-RR: it takes the pre-RR
    assert f[2, names.index("rr_post")] == pytest.approx(1.0)
    # a record of one beat: no interval at all
    _, rr1 = record_context(np.zeros(100), [50], fs=360, n_rr=8)
    assert np.isfinite(RhythmFeatures().fit_transform(rr1)).all()


def test_rhythm_features_time_based_means_use_the_elapsed_time():
    # 6 minutes at 1 s, then 1 minute at 0.5 s
    intervals = [1.0] * 360 + [0.5] * 120
    peaks = np.concatenate(
        [[0], np.cumsum(np.round(np.asarray(intervals) * 100).astype(int))]
    )
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=100, n_rr=700)
    est = RhythmFeatures().fit(rr)
    last = est.transform(rr)[-1]
    names = _names(est)
    assert last[names.index("rr_mean1min")] == pytest.approx(0.5, rel=1e-4)
    # the last 5 minutes: 1 minute at 0.5 s and 4 minutes at 1 s
    assert last[names.index("rr_mean5min")] == pytest.approx(
        300 / (120 + 240), rel=1e-2
    )


def test_rhythm_features_non_causal_uses_following_intervals():
    peaks = np.cumsum([360] * 30 + [180] * 30)
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=32, n_next=16)
    causal = RhythmFeatures(n_next=16).fit_transform(rr)
    centred = RhythmFeatures(n_next=16, causal=False).fit_transform(rr)
    names = _names(RhythmFeatures(n_next=16).fit(rr))
    i, col = 29, names.index("rr_mean32")  # the last slow beat
    assert causal[i, col] == pytest.approx(1.0)
    assert centred[i, col] == pytest.approx(0.75, rel=1e-6)
    assert centred[i, names.index("rr_pre")] == causal[i, names.index("rr_pre")]


def test_rhythm_features_reads_the_end_of_context_rows():
    rng = np.random.default_rng(0)
    peaks = np.cumsum(rng.integers(250, 400, size=50))
    signal = rng.normal(size=peaks[-1] + 500)
    rows, _ = segment_recording(
        signal, fs=360, peaks=peaks, window=1.0, context=True, n_rr=N_RR
    )
    _, rr = record_context(signal, peaks, fs=360, n_rr=N_RR)
    np.testing.assert_array_equal(
        RhythmFeatures(n_rr=N_RR).fit_transform(rows),
        RhythmFeatures().fit_transform(rr),
    )


@pytest.mark.parametrize(
    "X, params, match",
    [
        (
            np.ones((3, 100)),
            dict(n_rr=512),
            r"n_rr \+ n_next = 512 \+ 1 columns; X has n_features=100",
        ),
        (np.ones((3, 1)), dict(), "reads the rr block alone.*at least 2 columns"),
        (-np.ones((3, 5)), dict(), "Negative values.*R-R intervals"),
        (np.array([[1.0, np.nan, 1.0]]), dict(), "NaN"),
    ],
)
def test_rhythm_features_bad_rows(X, params, match):
    with pytest.raises(ValueError, match=match):
        RhythmFeatures(**params).fit(X)


def test_rhythm_features_window_columns_read_as_intervals_are_refused():
    rows, _ = segment_recording(
        -np.ones(4000), fs=360, peaks=[500, 900, 1300], context=True, n_rr=8
    )
    with pytest.raises(ValueError, match="Negative values"):
        RhythmFeatures(n_rr=16).fit(rows)  # the wrong n_rr reaches into the template


# -- MorphologyFeatures ------------------------------------------------------


def test_morphology_features_tell_ventricular_beats_from_their_template(db360):
    folder, _ = db360
    beats = load_wfdb_beats(
        folder, records=["100"], window=2.0, context=True, n_rr=N_RR
    )
    est = MorphologyFeatures(fs=beats.fs, n_rr=N_RR).fit(beats.data)
    f, names = est.transform(beats.data), _names(est)
    assert f.shape == (len(beats.target), len(names)) and np.isfinite(f).all()
    col = {n: f[:, i] for i, n in enumerate(names)}
    normal, ventricular = beats.target == "N", beats.target == "V"
    assert (
        np.median(col["corr_qrs"][normal][5:])
        > 0.99
        > col["corr_qrs"][ventricular].max()
    )
    assert col["qrs_width"][ventricular].min() > 2 * np.median(col["qrs_width"][normal])
    assert np.median(col["rmsd"][normal][5:]) < 0.05 < col["rmsd"][ventricular].min()
    assert np.median(col["r_ratio"][normal]) == pytest.approx(1.0, abs=0.05)


def test_morphology_features_on_plain_windows_compare_the_beat_with_itself():
    windows = np.random.default_rng(0).normal(size=(5, 720))
    est = MorphologyFeatures(fs=360).fit(windows)
    f, names = est.transform(windows), _names(est)
    assert (f[:, names.index("corr")] == 1).all() and (
        f[:, names.index("rmsd")] == 0
    ).all()
    assert (f[:, names.index("corr_qrs")] == 1).all() and (
        f[:, names.index("log_width_ratio")] == 0
    ).all()


def test_morphology_features_too_few_columns():
    with pytest.raises(
        ValueError,
        match=r"n_window \+ 252 \+ 512 \+ 1 columns.*at least 766.*X has n_features=600",
    ):
        MorphologyFeatures(fs=360, n_rr=512).fit(np.ones((3, 600)))


def _muscle_noise_rows(fs=360, n_beats=60, seed=0):
    """Context rows of QRS-like beats (Gaussians of 20 ms), clean and with noise above 40 Hz."""
    rng = np.random.default_rng(seed)
    peaks = np.cumsum(rng.integers(int(0.7 * fs), int(0.9 * fs), n_beats))
    t = np.arange(peaks[-1] + fs) / fs
    clean = np.exp(-0.5 * ((t[:, None] - peaks / fs) / 0.02) ** 2).sum(axis=1)
    sos = scipy.signal.butter(4, (40, 150), btype="bandpass", fs=fs, output="sos")
    noise = scipy.signal.sosfiltfilt(sos, rng.standard_normal(t.size))
    noisy = clean + 0.1 * noise / noise.std()
    return [
        segment_recording(x, fs=fs, peaks=peaks, window=2.0, context=True, n_rr=N_RR)[0]
        for x in (clean, noisy)
    ]


def test_morphology_features_lowpass_takes_muscle_noise_out_of_the_features():
    clean, noisy = _muscle_noise_rows()
    keep = slice(10, None)  # the running template settles over the first beats
    for name in ("qrs_width", "qrs_energy", "corr_qrs", "rmsd"):
        error = {}
        for lowpass in (None, 25.0):
            est = MorphologyFeatures(fs=360, n_rr=N_RR, lowpass=lowpass)
            col = _names(est.fit(clean)).index(name)
            a, b = est.transform(clean)[keep, col], est.transform(noisy)[keep, col]
            error[lowpass] = np.median(np.abs(a - b))
        assert error[25.0] < 0.2 * error[None], name
    # a cut-off far above the beats' band leaves their features nearly as they are
    plain = MorphologyFeatures(fs=360, n_rr=N_RR).fit_transform(clean)
    wide = MorphologyFeatures(fs=360, n_rr=N_RR, lowpass=150.0).fit_transform(clean)
    np.testing.assert_allclose(wide[keep], plain[keep], atol=0.02)


def test_morphology_features_lowpass_on_windows_too_short_for_the_filter():
    windows = np.random.default_rng(0).normal(size=(4, 5))
    f = MorphologyFeatures(fs=360, lowpass=40.0).fit_transform(windows)
    assert f.shape == (4, MorphologyFeatures.n_features) and np.isfinite(f).all()


@pytest.mark.parametrize(
    "lowpass, match",
    [
        (180.0, r"lowpass must lie below .*fs / 2 = 180 Hz"),
        (0.0, "'lowpass' parameter"),
    ],
)
def test_morphology_features_lowpass_out_of_range_is_refused(lowpass, match):
    rows, _ = _context_rows(N_RR)
    with pytest.raises(ValueError, match=match):
        MorphologyFeatures(fs=360, n_rr=N_RR, lowpass=lowpass).fit(rows)


def _context_rows(n_rr, fs=360, n_beats=40, seed=0):
    """Context rows of a synthetic strip of narrow beats, with their plain windows."""
    rng = np.random.default_rng(seed)
    peaks = np.cumsum(rng.integers(int(0.6 * fs), int(1.0 * fs), n_beats))
    t = np.arange(peaks[-1] + fs) / fs
    signal = np.exp(-0.5 * ((t[:, None] - peaks / fs) / 0.012) ** 2).sum(axis=1) - 0.1
    rows, _ = segment_recording(
        signal, fs=fs, peaks=peaks, window=2.0, context=True, n_rr=n_rr
    )
    return rows, rows[:, : int(round(2.0 * fs))]


@pytest.mark.parametrize("cls", [MorphologyFeatures, RelativeBeat])
def test_context_rows_given_with_n_rr_none_are_refused(cls):
    rows, windows = _context_rows(N_RR)
    with pytest.raises(
        ValueError,
        match=rf"n_rr=None reads plain beat windows.*{N_RR} \+ 1 = .*Pass n_rr={N_RR}",
    ):
        cls(fs=360).fit(rows)
    assert cls(fs=360).fit(windows).transform(windows).shape[0] == len(windows)


@pytest.mark.parametrize("cls", [MorphologyFeatures, RelativeBeat])
def test_rows_built_with_a_larger_n_rr_are_refused(cls):
    rows, _ = _context_rows(512)
    with pytest.raises(
        ValueError, match=r"last 513 columns of X hold R-R intervals.*Pass n_rr=512"
    ):
        cls(fs=360, n_rr=N_RR).fit(rows)
    assert cls(fs=360, n_rr=512).fit(rows).transform(rows).shape[0] == len(rows)


@pytest.mark.parametrize("cls", [MorphologyFeatures, RelativeBeat])
def test_a_flat_recording_is_read_with_its_n_rr(cls):
    # a lead off: window and template are zeros, which also pass for missing intervals
    peaks = np.arange(500, 7000, 300)
    rows, _ = segment_recording(
        np.zeros(7200), fs=360, peaks=peaks, context=True, n_rr=N_RR
    )
    assert cls(fs=360, n_rr=N_RR).fit_transform(rows).shape[0] == len(peaks)


@pytest.mark.parametrize("cls", [MorphologyFeatures, RelativeBeat])
def test_n_rr_reaching_into_the_template_is_refused(cls):
    rows, _ = _context_rows(8)
    with pytest.raises(ValueError, match=r"Negative values.*1440|not context rows"):
        cls(fs=360, n_rr=64).fit(rows)


def test_relative_beat_on_plain_windows_is_the_beat_not_zeros():
    _, windows = _context_rows(N_RR)
    relative = RelativeBeat(fs=360).fit_transform(windows)
    # each row is its own beat in its own R amplitudes (smoothed by the resampling)
    assert relative.max(axis=1).min() > 0.8 and relative.max() <= 1.0 + 1e-9
    centre = relative.shape[1] * 25 // 70  # the R-peak, 0.25 s into the 0.7 s
    assert (np.abs(relative.argmax(axis=1) - centre) <= 1).all()


def test_rhythm_transformers_share_the_layout_check():
    rows, _ = _context_rows(N_RR)
    for call in (
        lambda: RhythmFeatures(n_rr=N_RR + 200).fit(rows),
        lambda: rhythm_irregularity(rows, n_rr=N_RR + 200),
    ):
        with pytest.raises(
            ValueError, match=r"Negative values.*n_rr \+ n_next = 264 \+ 1"
        ):
            call()
    np.testing.assert_array_equal(
        rhythm_irregularity(rows, n_rr=N_RR), rhythm_irregularity(rows[:, -N_RR - 1 :])
    )


# -- 128 Hz and 360 Hz -------------------------------------------------------


def test_same_features_at_128_and_360_hz(tmp_path):
    rows = {}
    for fs in (128, 360):
        folder = tmp_path / str(fs)
        folder.mkdir()
        _write(folder, "x1", fs)
        beats = load_wfdb_beats(
            folder, lead="MLII", window=2.0, context=True, n_rr=N_RR
        )
        assert beats.records == ["x1"] and beats.fs == fs
        rhythm = RhythmFeatures(n_rr=N_RR).fit_transform(beats.data)
        est = MorphologyFeatures(fs=fs, n_rr=N_RR).fit(beats.data)
        rows[fs] = (rhythm, est.transform(beats.data), beats.target)
    (r128, m128, y128), (r360, m360, y360) = rows[128], rows[360]
    np.testing.assert_array_equal(y128, y360)
    np.testing.assert_allclose(r128, r360, rtol=1e-5, atol=1e-6)
    names = _names(MorphologyFeatures().fit(np.ones((1, 10))))
    for name, rtol, atol in [
        ("qrs_width", 0.1, 2e-3),
        ("r_amplitude", 0.1, 0.02),
        ("corr", 0, 0.01),
        ("rmsd", 0, 0.02),
        ("corr_qrs", 0, 0.02),
        ("qrs_area", 0.1, 1e-3),
        ("g0_+0ms", 0.05, 0.02),
        ("g1_-100ms", 0.1, 0.2),
    ]:
        i = names.index(name)
        np.testing.assert_allclose(
            m128[:, i], m360[:, i], rtol=rtol, atol=atol, err_msg=name
        )


# -- loaders -----------------------------------------------------------------


def test_load_mitbih_context_rows(db360):
    folder, _ = db360
    plain = load_mitbih(data_home=folder, records=["100", "101"], window=1.0)
    beats = load_mitbih(
        data_home=folder, records=["100", "101"], window=1.0, context=True, n_rr=N_RR
    )
    layout = beats.layout
    assert beats.data.shape == (len(plain.target), 360 + 252 + N_RR + 1)
    np.testing.assert_array_equal(beats.data[:, layout.window], plain.data)
    np.testing.assert_array_equal(beats.target, plain.target)
    assert np.shares_memory(beats.rr, beats.data) and np.shares_memory(
        beats.template, beats.data
    )
    for record in ("100", "101"):
        mine = beats.groups == record
        expected = np.diff(beats.r_peak[mine]) / 360
        np.testing.assert_allclose(
            beats.rr[mine][1:, N_RR - 1], expected, rtol=1e-6
        )  # pre-RR
        np.testing.assert_allclose(
            beats.rr[mine][:-1, N_RR], expected, rtol=1e-6
        )  # post-RR
        assert beats.rr[mine][0, N_RR - 1] == 0 and beats.rr[mine][-1, N_RR] == 0
    # the premature beats after a pause are short against the record, not against the pause
    est = RhythmFeatures(n_rr=N_RR).fit(beats.data)
    f, names = est.transform(beats.data), _names(est)
    s, n = beats.target == "S", beats.target == "N"
    ratio = f[:, names.index("log_pre_mean5min")]
    assert ratio[s].max() < -0.15 < np.percentile(ratio[n], 10)
    with pytest.warns(FutureWarning, match="RhythmFeatures"):
        local = RRFeatures(fs=360).fit_transform(beats.data[:, layout.window])
    assert np.median(local[s, 3]) > np.median(
        np.exp(ratio[s])
    )  # the 4 s reference is fooled


def test_segment_recording_context_matches_the_loader(db360):
    folder, _ = db360
    beats = load_wfdb_beats(
        folder, records=["101"], window=1.5, context=True, n_rr=N_RR
    )
    record = wfdb.rdrecord(str(folder / "101"), channels=[0])
    rows, peaks = segment_recording(
        record.p_signal[:, 0].astype(np.float32),
        360,
        peaks=beats.r_peak,
        window=1.5,
        context=True,
        n_rr=N_RR,
    )
    np.testing.assert_array_equal(peaks, beats.r_peak)
    np.testing.assert_allclose(rows, beats.data, atol=1e-6)
    multi, _ = segment_recording(
        record.p_signal.T, 360, peaks=beats.r_peak[:3], context=True, n_rr=4
    )
    assert multi.ndim == 2


def test_load_wfdb_beats_other_names_leads_and_rates(tmp_path):
    folder = tmp_path / "otherdb"
    folder.mkdir()
    _write(folder, "I01", 257, lead="II", n_beats=30)
    _write(folder, "I02", 128, lead="ECG1", extra_lead="ECG2", seed=3, n_beats=30)
    _write(folder, "I03", 257, lead="V5", extra_lead="V2", seed=4, n_beats=30)
    (folder / "RECORDS").write_text("I01\nI02\nI03\n")
    with (
        pytest.raises(ValueError, match="target_fs"),
        pytest.warns(UserWarning, match="I03"),
    ):
        load_wfdb_beats(folder, lead=["II", "ECG1"], window=1.0)
    with pytest.warns(UserWarning, match=r"\['I03'\]"):
        beats = load_wfdb_beats(
            folder,
            lead=["II", "ECG1"],
            window=1.0,
            target_fs=200,
            context=True,
            n_rr=16,
        )
    assert (
        beats.records == ["I01", "I02"]
        and beats.lead == ["II", "ECG1"]
        and beats.fs == 200
    )
    assert beats.data.shape[1] == 200 + template_length(200)[0] + 17
    assert set(beats.groups) == {"I01", "I02"} and set(beats.target) == {"N", "S", "V"}
    # R-R intervals are in seconds whatever the record's rate
    second = beats.groups == "I02"
    assert np.isin(
        np.round(beats.rr[second][:, 15], 3), [0, 0.75, 1.0, 1.25, 1.5, 2.5]
    ).all()
    # the window centre sits on the R-peak after resampling
    center = beats.center
    assert np.median(np.abs(beats.data[:, center])) > 0.8
    with pytest.raises(ValueError, match="Record I03 has no lead"):
        load_wfdb_beats(folder, records=["I01", "I03"], lead="II")
    with pytest.raises(FileNotFoundError, match="I09"):
        load_wfdb_beats(folder, records=["I09"])
    with pytest.raises(ValueError, match="peaks"):
        load_wfdb_beats(folder, records="I01", peaks="gqrs")
    first = load_wfdb_beats(folder, records="I03", window=1.0, return_X_y=True)
    assert first[0].shape == (len(first[1]), 257)


def test_load_wfdb_beats_without_records_file_lists_annotated_headers(db360):
    folder, _ = db360
    write_record(folder, "noann", np.zeros(100), adc_gain=None)
    with pytest.warns(UserWarning, match="noann"):
        beats = load_wfdb_beats(folder, window=0.5)
    assert beats.records == ["100", "101", "103"]


def test_load_wfdb_beats_xqrs_peaks(db360):
    folder, _ = db360
    ref = load_wfdb_beats(folder, records=["100"], window=1.0)
    det = load_wfdb_beats(
        folder, records=["100"], window=1.0, peaks="xqrs", context=True, n_rr=N_RR
    )
    # most reference beats are found, each detection sits within 150 ms of its labelled beat
    assert len(det.target) >= 0.9 * len(ref.target)
    nearest = np.abs(det.r_peak[:, None] - ref.r_peak[None, :]).argmin(axis=1)
    assert (np.abs(det.r_peak - ref.r_peak[nearest]) <= 54).all()
    np.testing.assert_array_equal(det.symbol, ref.symbol[nearest])
    # the rhythm history comes from the detector's peaks
    np.testing.assert_allclose(
        det.rr[1:, N_RR - 1], np.diff(det.r_peak) / 360, rtol=1e-5
    )


# -- through scikit-learn and imbalanced-learn -------------------------------


@pytest.fixture
def context_rows(db360):
    folder, _ = db360
    return load_mitbih(
        data_home=folder,
        records=["100", "101", "103"],
        window=1.0,
        context=True,
        n_rr=N_RR,
    )


def test_feature_pipeline_through_smote_groupkfold_gridsearch_clone_joblib(
    context_rows, tmp_path
):
    beats = context_rows
    X, y, groups = beats.data, beats.target, beats.groups
    pipe = make_feature_pipeline(fs=beats.fs, n_rr=N_RR)
    assert [name for name, _ in pipe.steps] == ["features", "scale", "clf"]
    pipe.steps.insert(2, ("smote", SMOTE(k_neighbors=2, random_state=0)))
    scores = cross_val_score(pipe, X, y, groups=groups, cv=GroupKFold(3))
    assert scores.mean() > 0.9
    search = GridSearchCV(
        pipe,
        {
            "clf__estimator__linear__C": [0.01, 1.0],
            "features__rhythm__causal": [True, False],
        },
        cv=GroupKFold(3),
    )
    search.fit(X, y, groups=groups)
    fitted = search.best_estimator_
    path = tmp_path / "pipe.joblib"
    joblib.dump(fitted, path)
    np.testing.assert_array_equal(joblib.load(path).predict(X), fitted.predict(X))
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(fitted)).predict(X), fitted.predict(X)
    )
    copy = clone(fitted)
    assert copy.get_params()["features__morphology__n_rr"] == N_RR and not hasattr(
        copy[-1], "estimators_"
    )


def test_feature_union_names_and_smote_rows_stay_valid(context_rows):
    beats = context_rows
    union = FeatureUnion(
        [
            ("rhythm", RhythmFeatures(n_rr=N_RR)),
            ("morphology", MorphologyFeatures(fs=360, n_rr=N_RR)),
        ]
    )
    Xs, ys = SMOTE(k_neighbors=2, random_state=0).fit_resample(beats.data, beats.target)
    assert len(ys) > len(beats.target)
    f = union.fit(beats.data).transform(Xs)
    assert np.isfinite(f).all()
    names = union.get_feature_names_out()
    assert "rhythm__log_pre_mean5min" in names and "morphology__qrs_width" in names


def test_make_feature_pipeline_takes_any_classifier(context_rows):
    from sklearn.ensemble import RandomForestClassifier

    pipe = make_feature_pipeline(
        fs=360, n_rr=N_RR, classifier=RandomForestClassifier(n_estimators=5)
    )
    pipe.fit(context_rows.data, context_rows.target)
    assert isinstance(pipe[-1], RandomForestClassifier) and hasattr(
        pipe[-1], "estimators_"
    )


# -- real MIT-BIH ------------------------------------------------------------


def test_real_record_232_s_beats_are_premature_against_five_minutes(mitdb_dir):
    beats = load_mitbih(data_home=mitdb_dir, records=["232"], context=True)
    est = RhythmFeatures(n_rr=512).fit(beats.data)
    f = est.transform(beats.data)
    ratio = f[:, _names(est).index("log_pre_mean5min")]
    s, n = beats.target == "S", beats.target == "N"
    assert s.sum() > 1000
    assert np.median(ratio[s]) < np.median(ratio[n]) - 0.3
    with pytest.warns(FutureWarning, match="RhythmFeatures"):
        local = RRFeatures(fs=360).fit_transform(beats.data[:, beats.layout.window])
    print(
        f"record 232: median log(pre/mean5min) S {np.median(ratio[s]):.2f}, N {np.median(ratio[n]):.2f}; "
        f"median pre-RR over the 4 s window's mean: S {np.median(local[s, 3]):.2f}, "
        f"N {np.median(local[n, 3]):.2f}"
    )


def test_real_ds1_context_load_time(mitdb_dir):
    start = time.perf_counter()
    beats = load_mitbih(data_home=mitdb_dir, records="DS1", context=True)
    elapsed = time.perf_counter() - start
    print(f"DS1 with context: {beats.data.shape} rows x columns in {elapsed:.1f} s")
    assert beats.data.shape[1] == 1440 + 252 + 513
    assert (beats.rr[:, 511] > 0).mean() > 0.99


def test_context_must_be_a_boolean(db360):
    folder, _ = db360
    with pytest.raises(TypeError, match="context"):
        segment_recording(np.zeros(1000), 360, peaks=[100, 500], context="yes")
    with pytest.raises(TypeError, match="context"):
        load_wfdb_beats(folder, records="100", context=1)


def test_real_record_resampled_to_128_hz_gives_the_same_features(mitdb_dir):
    at = {}
    for fs in (None, 128):
        beats = load_mitbih(
            data_home=mitdb_dir, records=["119"], window=2.0, context=True, target_fs=fs
        )
        rate = beats.fs
        at[fs] = (
            RhythmFeatures(n_rr=512).fit_transform(beats.data),
            MorphologyFeatures(fs=rate, n_rr=512).fit_transform(beats.data),
        )
    (r360, m360), (r128, m128) = at[None], at[128]
    names = list(RhythmFeatures(n_rr=512).fit(beats.data).get_feature_names_out())
    z = [names.index("z_pre32"), names.index("z_post32")]
    other = np.setdiff1d(np.arange(len(names)), z)
    # R-peaks rounded to the 128 Hz grid (7.8 ms) move intervals by < 0.05
    assert np.abs(r360[:, other] - r128[:, other]).max() < 0.05
    # ... and the z-scores, in units of a regular rhythm's tiny spread (floored
    # at 2 % of the median interval), by about one unit at most
    dz = np.abs(r360[:, z] - r128[:, z])
    assert np.percentile(dz, 99) < 1.0 and dz.max() < 2.0
    assert min(np.corrcoef(r360[:, i], r128[:, i])[0, 1] for i in z) > 0.98
    corr = [np.corrcoef(m360[:, i], m128[:, i])[0, 1] for i in range(m360.shape[1])]
    assert min(corr) > 0.95, corr
