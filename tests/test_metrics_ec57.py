import json

import numpy as np
import pytest
import wfdb

from sklearn_ecg.metrics import (
    EC57_LABELS,
    compare_annotation_files,
    compare_annotations,
    ec57_gross,
    ec57_report,
)

FS = 1000  # one sample per millisecond: window edges in whole samples


def _cm(result):
    return np.asarray(result["confusion_matrix"])


def _idx(label):
    return EC57_LABELS.index(label)


def test_identical_annotations_match_every_beat():
    samples = np.arange(10) * 800 + 300
    symbols = ["N", "N", "V", "N", "A", "N", "F", "N", "Q", "N"]
    result = compare_annotations(samples, symbols, samples, symbols, FS)
    assert result["qrs"] == {"tp": 10, "fn": 0, "fp": 0, "se": 1.0, "ppv": 1.0}
    cm = _cm(result)
    assert np.array_equal(np.diag(cm)[:5], [6, 1, 1, 1, 1])
    assert cm.sum() == 10


def test_missed_and_extra_beats():
    ref = np.array([500, 1300, 2100, 2900])
    test = np.array([500, 2100, 2900, 3700])  # 1300 missed, 3700 extra
    result = compare_annotations(
        ref, ["N", "V", "N", "N"], test, ["N", "N", "N", "V"], FS
    )
    assert (
        result["qrs"]["tp"] == 3
        and result["qrs"]["fn"] == 1
        and result["qrs"]["fp"] == 1
    )
    cm = _cm(result)
    assert cm[_idx("V"), _idx("-")] == 1  # the missed V beat
    assert cm[_idx("-"), _idx("V")] == 1  # the extra V detection
    assert result["veb"] == {
        "tp": 0,
        "fn": 1,
        "fp": 1,
        "se": 0.0,
        "ppv": 0.0,
        "fpr": 1 / 4,
    }


@pytest.mark.parametrize(
    "shift, matched",
    [(149, True), (150, True), (151, False), (-149, True), (-151, False)],
)
def test_match_window_edges(shift, matched):
    ref = np.array([1000, 2000, 3000])
    test = ref + np.array([0, shift, 0])
    result = compare_annotations(ref, ["N"] * 3, test, ["N"] * 3, FS)
    assert result["qrs"]["tp"] == (3 if matched else 2)
    assert result["qrs"]["fn"] == result["qrs"]["fp"] == (0 if matched else 1)


def test_window_parameter_in_seconds():
    ref = np.array([1000, 2000])
    test = np.array([1000, 2080])
    assert (
        compare_annotations(ref, list("NN"), test, list("NN"), FS, window=0.1)["qrs"][
            "tp"
        ]
        == 2
    )
    assert (
        compare_annotations(ref, list("NN"), test, list("NN"), FS, window=0.05)["qrs"][
            "tp"
        ]
        == 1
    )


def test_each_beat_paired_once_nearest_first():
    # two test beats within the window of one reference beat: the nearer is paired
    ref = np.array([1000])
    test = np.array([940, 1020])
    result = compare_annotations(ref, ["V"], test, ["N", "V"], FS)
    assert result["qrs"] == {"tp": 1, "fn": 0, "fp": 1, "se": 1.0, "ppv": 0.5}
    assert _cm(result)[_idx("V"), _idx("V")] == 1
    assert _cm(result)[_idx("-"), _idx("N")] == 1


def test_second_round_pairs_the_left_over_beats():
    # ref 1000 and ref 1120 both have test 1100 nearest; 1120 takes it, 1000 pairs with 900
    ref = np.array([1000, 1120])
    test = np.array([900, 1100])
    result = compare_annotations(ref, ["N", "N"], test, ["N", "N"], FS, window=0.15)
    assert result["qrs"]["tp"] == 2


def test_class_confusions_and_ec57_formulas():
    symbols_ref = ["N", "N", "N", "A", "A", "V", "V", "F", "Q", "N"]
    symbols_test = ["N", "A", "V", "A", "N", "V", "A", "V", "V", "N"]
    samples = np.arange(10) * 700 + 200
    result = compare_annotations(samples, symbols_ref, samples, symbols_test, FS)
    cm = _cm(result)
    assert cm[_idx("N"), _idx("S")] == 1 and cm[_idx("N"), _idx("V")] == 1
    assert cm[_idx("S"), _idx("N")] == 1 and cm[_idx("V"), _idx("S")] == 1
    # VEB: F and Q beats called V are not false positives
    assert (
        result["veb"]["tp"] == 1
        and result["veb"]["fn"] == 1
        and result["veb"]["fp"] == 1
    )
    # SVEB: N and V beats called S are false positives
    assert (
        result["sveb"]["tp"] == 1
        and result["sveb"]["fn"] == 1
        and result["sveb"]["fp"] == 2
    )
    assert result["sveb"]["se"] == 0.5 and result["sveb"]["ppv"] == pytest.approx(1 / 3)


def test_non_beat_annotations_are_ignored_and_order_does_not_matter():
    ref_s = np.array([1000, 500, 1500, 1200])
    ref_y = ["N", "(AFIB", "V", "+"]
    test_s = np.array([1500, 1000])
    result = compare_annotations(ref_s, ref_y, test_s, ["V", "N"], FS)
    assert (
        result["n_reference"] == 2
        and result["qrs"]["tp"] == 2
        and result["veb"]["tp"] == 1
    )


def test_start_and_end_leave_beats_out():
    ref = np.arange(1, 11) * 1000
    test = np.delete(ref, [0, 9])  # misses the first and last beat
    everything = compare_annotations(ref, ["N"] * 10, test, ["N"] * 8, FS)
    middle = compare_annotations(
        ref, ["N"] * 10, test, ["N"] * 8, FS, start=1.5, end=9.5
    )
    assert everything["qrs"]["fn"] == 2
    assert middle["qrs"] == {"tp": 8, "fn": 0, "fp": 0, "se": 1.0, "ppv": 1.0}


def test_empty_annotations_give_undefined_ratios():
    result = compare_annotations([], [], [], [], FS)
    assert result["qrs"]["se"] is None and result["n_reference"] == 0
    missed = compare_annotations([100], ["N"], [], [], FS)
    assert missed["qrs"]["se"] == 0.0 and missed["qrs"]["ppv"] is None


def test_gross_sums_the_matrices():
    a = compare_annotations([100, 900], ["N", "V"], [100, 900], ["N", "V"], FS)
    b = compare_annotations([100, 900, 1700], ["V", "V", "N"], [100], ["N"], FS)
    gross = ec57_gross({"a": a, "b": b})
    assert np.array_equal(_cm(gross), _cm(a) + _cm(b))
    assert gross["veb"]["se"] == pytest.approx(1 / 3)
    assert gross["qrs"]["fn"] == 2


def test_report_text_and_json():
    a = compare_annotations([100, 900], ["N", "V"], [100, 900], ["N", "V"], FS)
    b = compare_annotations([100, 900], ["N", "V"], [100], ["N"], FS)
    text = ec57_report({"100": a, "101": b})
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["record", "beats"]
    assert lines[1].split()[:4] == ["100", "2", "100.00", "100.00"]
    assert lines[2].split()[:4] == ["101", "2", "50.00", "100.00"]
    assert lines[3].split()[:4] == ["gross", "4", "75.00", "100.00"]
    report = ec57_report({"100": a, "101": b}, output_dict=True)
    assert json.loads(json.dumps(report)) == report
    assert report["gross"]["qrs"]["se"] == 0.75


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"ref_sample": [1, 2], "ref_symbol": ["N"]}, "same length"),
        ({"ref_sample": [1.5], "ref_symbol": ["N"]}, "integer sample"),
        ({"ref_sample": [-1], "ref_symbol": ["N"]}, "non-negative"),
        ({"fs": 0}, "'fs' parameter .* must be a float in the range"),
        ({"window": -0.1}, "'window' parameter .* must be a float in the range"),
        ({"start": 5.0, "end": 2.0}, "end=2.0 s must come after"),
    ],
)
def test_bad_input(kwargs, match):
    params = {
        "ref_sample": [100],
        "ref_symbol": ["N"],
        "test_sample": [100],
        "test_symbol": ["N"],
        "fs": FS,
    }
    params.update(kwargs)
    with pytest.raises(ValueError, match=match):
        compare_annotations(**params)


def test_report_bad_input():
    with pytest.raises(ValueError, match="non-empty dict"):
        ec57_report({})
    with pytest.raises(TypeError, match="compare_annotations"):
        ec57_gross([1, 2])


def test_matching_is_vectorised_and_fast():
    rng = np.random.default_rng(0)
    ref = np.cumsum(rng.integers(250, 400, size=100_000))
    test = ref + rng.integers(-50, 51, size=ref.size)  # within the 54-sample window
    keep = rng.random(ref.size) > 0.01
    result = compare_annotations(
        ref, ["N"] * ref.size, test[keep], ["N"] * keep.sum(), 360
    )
    assert result["qrs"]["tp"] == keep.sum()
    assert result["qrs"]["fn"] == ref.size - keep.sum()


def test_files_written_with_wrann(tmp_path):
    fs = 360
    ref = np.array([200, 500, 800, 1100, 1400, 1700])
    wfdb.wrann(
        "rec",
        "atr",
        ref,
        ["N", "N", "V", "N", "A", "N"],
        fs=fs,
        write_dir=str(tmp_path),
    )
    test = np.array([205, 498, 806, 1100, 1402, 2000])  # 1700 missed, 2000 extra
    wfdb.wrann(
        "rec",
        "tst",
        test,
        ["N", "N", "V", "N", "N", "N"],
        fs=fs,
        write_dir=str(tmp_path),
    )
    result = compare_annotation_files(tmp_path / "rec", test="tst")
    same = compare_annotations(
        ref, ["N", "N", "V", "N", "A", "N"], test, ["N"] * 2 + ["V"] + ["N"] * 3, fs
    )
    assert result == same
    assert (
        result["qrs"]["fn"] == 1
        and result["qrs"]["fp"] == 1
        and result["sveb"]["fn"] == 1
    )


def test_missing_annotation_file_names_the_file_and_alternatives(tmp_path):
    wfdb.wrann("rec", "atr", np.array([100]), ["N"], fs=360, write_dir=str(tmp_path))
    with pytest.raises(
        FileNotFoundError,
        match=r"rec'\.nope does not exist\. Annotation files of this record: atr",
    ):
        compare_annotation_files(tmp_path / "rec", test="nope")
