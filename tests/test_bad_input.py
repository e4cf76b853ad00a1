"""Bad input gets a clear error (or a defined result), never a silently wrong one.

Damaged files, out-of-range parameters and arrays of the wrong shape, each
parametrised over the loaders, transformers and functions it concerns.  The
networks' own cases live with the networks (tests/test_models.py).
"""

import math
import warnings

import numpy as np
import pytest
import wfdb
from _helpers import tiny_network, write_annotation, write_record
from sklearn.base import clone
from sklearn.exceptions import UndefinedMetricWarning

from sklearn_ecg import (
    CNN1D,
    AlexNetImage,
    BeatSegmenter,
    DWTDenoiser,
    GaussianDerivativeFeatures,
    IncepSE,
    RRFeatures,
    SignalToImage,
)
from sklearn_ecg.datasets import (
    load_heartbeat_csv,
    load_mitbih,
    load_physionet_challenge,
    load_ptbdb,
    load_ptbxl,
    make_ecg_beats,
)
from sklearn_ecg.metrics import aami_report, sensitivity_specificity
from sklearn_ecg.preprocessing import detect_beats, segment_recording

FS = 360

TRANSFORMERS = [
    BeatSegmenter(),
    DWTDenoiser(),
    GaussianDerivativeFeatures(),
    RRFeatures(),
    SignalToImage(image_size=8),
]


def _ids(estimators):
    return [type(e).__name__ for e in estimators]


# -- WFDB files ----------------------------------------------------------------------


def _write_mitbih_record(
    folder, samples=(300, 700, 1100), symbols=("N", "V", "N"), n_times=1800
):
    signal = np.cumsum(
        np.random.default_rng(0).normal(scale=0.02, size=(n_times, 1)), axis=0
    )
    write_record(folder, "100", signal, fs=FS, fmt="212", adc_gain=200.0)
    write_annotation(folder, "100", samples, symbols)


def _set_header_fs(hea, fs):
    lines = hea.read_text().splitlines()
    fields = lines[0].split()
    fields[2] = fs
    hea.write_text("\n".join([" ".join(fields)] + lines[1:]) + "\n")


def _mitbih_layout(folder):
    _write_mitbih_record(folder)
    return folder / "100.hea", lambda: load_mitbih(
        data_home=folder, records=["100"], window=1.0
    )


def _ptbdb_layout(folder):
    (folder / "patient001").mkdir()
    hea = folder / "patient001" / "s0001_re.hea"
    hea.write_text(
        "s0001_re 1 1000 5000\ns0001_re.dat 16 2000 16 0 0 0 0 i\n"
        "# Reason for admission: Healthy control\n"
    )
    return hea, lambda: load_ptbdb(data_home=folder, diagnoses=None)


def _challenge_layout(folder):
    hea = folder / "A0001.hea"
    leads = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
    hea.write_text(
        "A0001 12 500 5000\n"
        + "".join(f"A0001.mat 16 1000/mV 16 0 0 0 0 {lead}\n" for lead in leads)
        + "#Age: 50\n#Sex: Male\n#Dx: 426783006\n"
    )
    return hea, lambda: load_physionet_challenge(data_home=folder)


@pytest.mark.parametrize("layout", [_mitbih_layout, _ptbdb_layout, _challenge_layout],
                         ids=["load_mitbih", "load_ptbdb", "load_physionet_challenge"])  # fmt: skip
@pytest.mark.parametrize("fs", ["-360", "0", "nan", "inf", "abc"])
def test_header_sampling_frequency_must_be_positive_and_finite(tmp_path, layout, fs):
    hea, load = layout(tmp_path)
    _set_header_fs(hea, fs)
    with pytest.raises(
        ValueError, match=rf"(?s){hea.name}.*sampling frequency of '{fs}'"
    ):
        load()


def _empty_atr(folder):
    (folder / "100.atr").write_bytes(b"")


def _garbage_atr(folder):
    (folder / "100.atr").write_bytes(np.random.default_rng(0).bytes(200))


def _atr_past_the_record(folder):
    write_annotation(folder, "100", [300, 5000], ["N", "N"])


def _atr_without_beats(folder):
    write_annotation(folder, "100", [300, 700], ["+", "~"])


def _atr_truncated(folder):
    data = (folder / "100.atr").read_bytes()
    (folder / "100.atr").write_bytes(data[:3])


@pytest.mark.parametrize(
    "damage, match",
    [
        (_empty_atr, "no annotations"),
        (
            _garbage_atr,
            "damaged|no WFDB annotation label|outside the record|Could not read",
        ),
        (_atr_past_the_record, "outside the record"),
        (_atr_without_beats, "no beat annotation"),
        (
            _atr_truncated,
            "damaged|no WFDB annotation label|Could not read|no annotations",
        ),
    ],
    ids=["empty", "garbage", "past-the-record", "no-beats", "truncated"],
)
def test_damaged_annotation_file_is_an_error_naming_it(tmp_path, damage, match):
    _write_mitbih_record(tmp_path)
    damage(tmp_path)
    with pytest.raises(ValueError, match=rf"(?s)(?=.*100\.atr)(?=.*({match}))"):
        load_mitbih(data_home=tmp_path, records=["100"], window=1.0)


def test_offline_download_says_it_failed_and_where_to_put_the_files(
    tmp_path, monkeypatch
):
    def offline(*args, **kwargs):
        raise ConnectionError("Failed to resolve 'physionet.org'")

    monkeypatch.setattr(wfdb, "dl_database", offline)
    with pytest.raises(
        OSError, match=rf"(?s)failed.*ConnectionError.*{tmp_path.name}.*by hand"
    ):
        load_mitbih(data_home=tmp_path, records=["100"], download=True)


@pytest.mark.parametrize("name", ["ptbxl_database.csv", "scp_statements.csv"])
def test_binary_ptbxl_csv_is_a_clear_error(tmp_path, name):
    (tmp_path / "ptbxl_database.csv").write_text(
        "ecg_id,patient_id,scp_codes,strat_fold,filename_lr\n"
    )
    (tmp_path / "scp_statements.csv").write_text(
        ",diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass\n"
    )
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe" + bytes(range(256)))
    with pytest.raises(ValueError, match=rf"{name}.*not a text file"):
        load_ptbxl(data_home=tmp_path)


# -- heartbeat CSV -------------------------------------------------------------------


@pytest.mark.parametrize(
    "file_name, label, value, match",
    [
        ("mitbih_test.csv", 1e20, 0.0, "label"),
        ("mitbih_test.csv", 7, 0.0, r"0\.\.4"),
        ("mitbih_test.csv", -1, 0.0, "label"),
        ("mitbih_test.csv", 1.5, 0.0, "label"),
        ("ptbdb_normal.csv", 2, 0.0, r"0\.\.1"),
        ("beats.csv", 1e20, 0.0, "label"),
        ("mitbih_test.csv", 0, np.inf, "non-finite"),
        ("mitbih_test.csv", 0, np.nan, "non-finite"),
    ],
)
def test_heartbeat_csv_bad_label_or_value_names_file_and_line(
    tmp_path, file_name, label, value, match
):
    rows = np.zeros((3, 188))
    rows[2, -1] = label
    rows[2, 5] = value
    path = tmp_path / file_name
    np.savetxt(path, rows, delimiter=",")
    with pytest.raises(
        ValueError, match=rf"(?s)(?=.*{file_name})(?=.*line 3)(?=.*{match})"
    ):
        load_heartbeat_csv(path)


# -- parameters that are numbers but not usable ones ----------------------------------


@pytest.mark.parametrize("bad", [math.inf, math.nan, -1.0, 0.0])
@pytest.mark.parametrize(
    "call",
    [
        lambda w: load_mitbih(window=w),
        lambda w: make_ecg_beats(n_samples=5, window=w),
        lambda w: segment_recording(np.zeros(2000), fs=360, peaks=[500], window=w),
        lambda w: segment_recording(np.zeros(2000), fs=w, peaks=[500]),
        lambda w: detect_beats(np.zeros((2, 720)), fs=w),
        lambda w: load_ptbdb(fs=w),
        lambda w: load_physionet_challenge(duration=w),
    ],
    ids=["load_mitbih-window", "make_ecg_beats-window", "segment_recording-window",
         "segment_recording-fs", "detect_beats-fs", "load_ptbdb-fs", "load_physionet_challenge-duration"],
)  # fmt: skip
def test_non_finite_or_non_positive_numbers_are_refused(call, bad):
    with pytest.raises(ValueError, match="must be a float in the range"):
        call(bad)


# -- transformers: the shape seen in fit is the shape accepted ------------------------


def _windows(shape):
    return np.random.default_rng(0).normal(size=shape).astype(np.float32)


@pytest.mark.parametrize("estimator", TRANSFORMERS, ids=_ids(TRANSFORMERS))
@pytest.mark.parametrize(
    "fit_shape, transform_shape",
    [((6, 720), (6, 700)), ((6, 720), (6, 1, 720)), ((6, 1, 720), (6, 720)), ((6, 2, 720), (6, 3, 720)),
     ((6, 2, 720), (6, 2, 360))],
    ids=["length", "2d-to-3d", "3d-to-2d", "channels", "3d-length"],
)  # fmt: skip
def test_transform_enforces_the_fitted_shape(estimator, fit_shape, transform_shape):
    est = clone(estimator).fit(_windows(fit_shape))
    assert est.input_shape_ == fit_shape[1:]
    match = (
        "fitted on arrays of shape"
        if len(fit_shape) == 3 or len(transform_shape) == 3
        else "expecting"
    )
    with pytest.raises(ValueError, match=match):
        est.transform(_windows(transform_shape))


@pytest.mark.parametrize(
    "estimator, match",
    [
        (GaussianDerivativeFeatures(order=200), "order"),
        (DWTDenoiser(level=100), "level=100"),
        (SignalToImage(image_size=1.5), "image_size"),
        (BeatSegmenter(lead=3), "lead=3"),
        (RRFeatures(lead=3), "lead=3"),
    ],
    ids=lambda x: repr(x) if not isinstance(x, str) else "",
)
def test_unusable_parameters_are_refused_at_fit(estimator, match):
    with pytest.raises(ValueError, match=match):
        clone(estimator).fit(_windows((4, 2, 720)))


def test_gaussian_features_of_high_order_stay_finite():
    out = GaussianDerivativeFeatures(sigma=0.25, order=10).fit_transform(
        _windows((4, 300))
    )
    assert np.isfinite(out).all()


# -- detect_beats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros(720), "2-D"),
        (np.zeros((2, 1, 720)), "2-D"),
        (np.zeros((0, 720)), "empty"),
        (np.where(np.arange(720) == 5, np.nan, 0.0)[None], "NaN"),
        (np.full((1, 720), np.inf), "NaN or infinity"),
        (np.zeros((1, 720), dtype=complex), "real numbers"),
        (np.array([["a"] * 720]), "real numbers"),
    ],
    ids=["1d", "3d", "empty", "nan", "inf", "complex", "strings"],
)
def test_detect_beats_validates_its_windows(X, match):
    with pytest.raises(ValueError, match=match):
        detect_beats(X, fs=360)


# -- metrics -----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:A single label was found")
def test_aami_report_over_q_only_defines_the_macro_f1():
    with pytest.warns(UndefinedMetricWarning, match="macro F1"):
        report = aami_report(["Q", "Q"], ["Q", "Q"], labels=["Q"], output_dict=True)
    assert report["macro_f1"] == 0.0 and report["accuracy"] == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = aami_report(["Q", "Q"], ["Q", "Q"], output_dict=True)
    assert not math.isnan(report["macro_f1"])


@pytest.mark.parametrize("thresholds", [np.nan, np.inf, [0.5, np.nan], [-np.inf, 0.5]])
def test_sensitivity_specificity_refuses_non_finite_thresholds(thresholds):
    y_true = np.array([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="thresholds must be finite"):
        sensitivity_specificity(y_true, y_true * 0.8, thresholds)


# -- inputs that used to give a silently wrong result ------------------------------------


@pytest.mark.parametrize("cls", [CNN1D, IncepSE, AlexNetImage])
@pytest.mark.parametrize("validation_fraction", [None, 0.25])
@pytest.mark.parametrize("batch_size", [16, 64])
@pytest.mark.parametrize("lr", [1e6, 1e3])
def test_every_network_stops_a_diverging_training_the_same_way(
    cls, validation_fraction, batch_size, lr
):
    # batch_size=64 is one batch, whose loss is computed before the update that
    # overflows the weights; batch normalisation (IncepSE) can keep outputs finite
    # while the loss explodes
    rng = np.random.default_rng(0)
    shape = (48, 1, 16, 16) if cls is AlexNetImage else (48, 64)
    X = rng.normal(size=shape).astype(np.float32)
    y = np.array(["N", "S", "V"])[np.arange(48) % 3]
    clf = tiny_network(
        cls,
        lr=lr,
        max_epochs=1,
        batch_size=batch_size,
        validation_fraction=validation_fraction,
    )
    with pytest.raises(
        FloatingPointError,
        match=rf"{cls.__name__} training diverged: .* (non-finite|became nan|became inf|grew from) .*lr={lr!r}",
    ):
        clf.fit(X, y)
    assert not hasattr(clf, "net_"), "no model predicting NaN is left behind"
    assert np.isfinite(clf.set_params(lr=1e-2).fit(X, y).predict_proba(X)).all()


def test_segment_recording_refuses_a_complex_signal():
    signal = np.zeros(3600, dtype=complex)
    with pytest.raises(ValueError, match="signal must be real-valued.*complex"):
        segment_recording(signal, fs=FS, peaks=[400, 700])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        windows, _ = segment_recording(signal.real, fs=FS, peaks=[400, 700])
    assert windows.shape == (2, 1440)  # 4 s windows, float64 kept


def test_heartbeat_csv_values_beyond_float32_name_the_line(tmp_path):
    rows = np.zeros((3, 188))
    rows[1, 5] = -1e39  # finite in the file, -inf once in float32
    path = tmp_path / "mitbih_train.csv"
    np.savetxt(path, rows, delimiter=",")
    with pytest.raises(ValueError, match=r"beyond the float32 range.*line 2"):
        load_heartbeat_csv(path)


@pytest.mark.parametrize("classes", [[], ()])
def test_challenge_refuses_an_empty_class_list(tmp_path, classes):
    with pytest.raises(ValueError, match="classes is empty"):
        load_physionet_challenge(data_home=tmp_path, classes=classes)


@pytest.mark.parametrize(
    "X, params, match",
    [
        (np.zeros((4, 1)), {}, r"1 feature\(s\)"),
        (np.zeros((4, 2, 1)), {}, "1 time samples per row"),
        (
            np.zeros((4, 187)),
            dict(sigma=1e6),
            r"sigma=1000000\.0 samples is wider than the rows \(187",
        ),
        (np.zeros((4, 187)), dict(sigma=188), "sigma=188 samples"),
    ],
)
def test_gaussian_features_refuse_rows_too_short_for_their_kernel(X, params, match):
    with pytest.raises(ValueError, match=match):
        GaussianDerivativeFeatures(**params).fit(X)
    assert GaussianDerivativeFeatures(sigma=187).fit_transform(
        np.zeros((4, 187))
    ).shape == (4, 3, 187)


def test_gaussian_features_check_sigma_set_after_fit():
    est = GaussianDerivativeFeatures().fit(np.zeros((4, 187)))
    with pytest.raises(ValueError, match="sigma=1000.0 samples is wider"):
        est.set_params(sigma=1e3).transform(np.zeros((4, 187)))


def test_signal_to_image_says_when_it_caps_the_image_size():
    X = np.random.default_rng(0).normal(size=(2, 187))
    with pytest.warns(
        UserWarning,
        match=r"image_size=188 is larger than the rows \(187 samples\): the images are 187 x 187",
    ):
        images = SignalToImage(image_size=188).fit_transform(X)
    assert images.shape == (2, 4, 187, 187)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SignalToImage(image_size=187).fit_transform(X).shape == (2, 4, 187, 187)


# -- context rows read with the wrong layout -----------------------------------------


def _context_rows_for(n_rr, n_beats=30):
    """Context rows of a strip of narrow beats (4 s windows at 360 Hz), signal below 0."""
    peaks = np.cumsum(np.random.default_rng(0).integers(220, 360, n_beats))
    t = np.arange(peaks[-1] + FS) / FS
    signal = np.exp(-0.5 * ((t[:, None] - peaks / FS) / 0.012) ** 2).sum(axis=1) - 0.1
    rows, _ = segment_recording(signal, fs=FS, peaks=peaks, context=True, n_rr=n_rr)
    return rows


def _context_transformers(**params):
    from sklearn_ecg.preprocessing import MorphologyFeatures, RelativeBeat

    return [MorphologyFeatures(fs=FS, **params), RelativeBeat(fs=FS, **params)]


@pytest.mark.parametrize("index", [0, 1], ids=["MorphologyFeatures", "RelativeBeat"])
def test_context_rows_read_as_plain_windows_are_refused(index):
    rows = _context_rows_for(64)  # 1440 + 252 + 64 + 1 columns
    with pytest.raises(
        ValueError,
        match=r"n_rr=None reads plain beat windows.*1440 \+ 252 \+ 64 \+ 1 = 1757 "
        r"columns.*Pass n_rr=64",
    ):
        _context_transformers()[index].fit(rows)


@pytest.mark.parametrize("index", [0, 1], ids=["MorphologyFeatures", "RelativeBeat"])
def test_rows_built_with_a_larger_n_rr_name_it(index):
    rows = _context_rows_for(512)
    with pytest.raises(
        ValueError, match=r"1440 \+ 252 \+ 512 \+ 1 = 2205.*Pass n_rr=512"
    ):
        _context_transformers(n_rr=64)[index].fit(rows)


@pytest.mark.parametrize("index", [0, 1], ids=["MorphologyFeatures", "RelativeBeat"])
def test_n_rr_reaching_into_the_template_names_the_layout(index):
    rows = _context_rows_for(16)
    with pytest.raises(
        ValueError,
        match=r"Negative values.*window \+ template \+ n_rr \+ n_next = "
        r"1188 \+ 252 \+ 268 \+ 1 = 1709",
    ):
        _context_transformers(n_rr=268)[index].fit(rows)


@pytest.mark.parametrize("index", [0, 1], ids=["MorphologyFeatures", "RelativeBeat"])
def test_rows_too_narrow_for_the_layout_name_it(index):
    with pytest.raises(
        ValueError,
        match=r"n_window \+ 252 \+ 512 \+ 1 columns.*at least 766.*X has n_features=700",
    ):
        _context_transformers(n_rr=512)[index].fit(np.zeros((3, 700)))


def test_rr_values_that_are_no_intervals_are_refused():
    from sklearn_ecg.preprocessing import RhythmFeatures, rhythm_irregularity

    rr = np.full((4, 33), 0.8)
    rr[2, 5] = -0.4  # a signal sample, not an interval
    for call in (
        lambda: RhythmFeatures(n_rr=32).fit(rr),
        lambda: rhythm_irregularity(rr, n_rr=32),
    ):
        with pytest.raises(ValueError, match=r"0 or more.*row 2, column 5 holds -0\.4"):
            call()
    # a long gap is an interval: MIT-BIH record 207 has 100 s without an annotated beat
    rr[2, 5] = 100.0
    assert RhythmFeatures(n_rr=32).fit_transform(rr).shape == (4, 21)
    assert np.isfinite(rhythm_irregularity(rr, n_rr=32)).all()


def test_irregular_rhythm_gate_checks_the_layout_before_fitting():
    from sklearn_ecg.models import IrregularRhythmGate

    rows = _context_rows_for(16)
    y = np.resize(["N", "S"], len(rows))
    with pytest.raises(ValueError, match=r"Negative values.*n_rr \+ n_next = 400 \+ 1"):
        IrregularRhythmGate(n_rr=400).fit(rows, y)


def test_n_extra_features_auto_needs_column_names():
    X = np.random.default_rng(0).normal(size=(12, 40)).astype(np.float32)
    with pytest.raises(ValueError, match="n_extra_features='auto'.*has no such names"):
        CNN1D(n_extra_features="auto").fit(X, np.arange(12) % 2)


def test_n_extra_features_larger_than_the_rows_says_what_it_counts():
    X = np.zeros((12, 40), dtype=np.float32)
    with pytest.raises(
        ValueError, match="n_extra_features=44 but X has only 40 columns"
    ):
        CNN1D(n_extra_features=44).fit(X, np.arange(12) % 2)


def test_n_extra_features_that_splits_a_step_gives_the_implied_count():
    pd = pytest.importorskip("pandas")
    names = [f"beat__relative{i}" for i in range(30)] + [
        f"rhythm__f{i}" for i in range(6)
    ]
    X = pd.DataFrame(np.zeros((12, 36), dtype=np.float32), columns=names)
    with pytest.raises(
        ValueError,
        match=r"n_extra_features=4 splits.*'beat' \(30\), 'rhythm' \(6\).*inside "
        r"'rhythm'.*n_extra_features=6",
    ):
        CNN1D(n_extra_features=4).fit(X, np.arange(12) % 2)


@pytest.mark.parametrize("index", [0, 1], ids=["MorphologyFeatures", "RelativeBeat"])
def test_rr_block_alone_read_as_windows_is_refused(index):
    from sklearn_ecg.preprocessing import record_context

    peaks = np.cumsum(np.random.default_rng(0).integers(200, 400, 50))
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=FS, n_rr=64)
    with pytest.raises(
        ValueError,
        match=r"last 65 of the 65 columns of X hold R-R intervals.*252 \+ 64",
    ):
        _context_transformers()[index].fit(rr)
