"""R-peak detection on MIT-BIH, both leads, clean and noisy: XQRS alone, with the silent stretches searched again, with the missed beats searched.

:func:`sklearn_ecg.preprocessing.detect_r_peaks` runs XQRS, then XQRS again
on every stretch of ``max_gap`` seconds without a detection, then looks
with GQRS for a missed beat in every R-R interval ``rr_ratio`` times longer
than the median of the 17 around it.  For each record of ``--records``
(DS1 by default, where both defaults are chosen; ``DS2`` to report after
the choice), each of its two leads and each condition (clean, and with the
synthetic noise of each of ``--kinds`` at ``--snr`` dB added with
:func:`sklearn_ecg.datasets.add_noise`, one draw per record and kind, as
``noise_robustness.py`` draws it for seed 0), the script detects with XQRS
alone, with the silent stretches searched for each ``--max-gaps`` value,
and, after the search at the default ``max_gap``, with the missed beats
searched for each ``--rr-ratios`` value, and compares every detection with
the reference beats (:func:`sklearn_ecg.metrics.compare_annotations`,
150 ms).  It prints, per lead (MLII, the other lead) and condition, the
beats missed and the false detections, QRS Se and +P, the F-measure
``2 TP / (2 TP + FN + FP)`` and the V beats missed.

The rules that chose the defaults: for ``max_gap`` (3 s), the highest
F-measure on clean DS1, both leads pooled; of two within 10 beats of each
other, the longer gap.  For ``rr_ratio`` (1.5), the highest F-measure
averaged over the six lead-and-condition rows (clean, ``em`` and ``ma`` at
12 dB) with no row's +P more than 0.005 below that of the silent-stretch
search alone.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/r_peaks_ds1.py
    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/r_peaks_ds1.py --records DS2

About 7 min on 2 cores (``--jobs 2``).
"""

import argparse
import time

import numpy as np
from joblib import Parallel, delayed

from sklearn_ecg.datasets import (
    DS1,
    DS2,
    add_noise,
    get_data_home,
    read_wfdb_annotation,
    read_wfdb_header,
    read_wfdb_record,
)
from sklearn_ecg.datasets._noise import NSTDB_RECORDS
from sklearn_ecg.metrics import compare_annotations
from sklearn_ecg.preprocessing import detect_r_peaks

# the searches alone, so that XQRS's first run and GQRS's are shared by every setting
from sklearn_ecg.preprocessing._r_peaks import (
    _gqrs,
    _median_amplitude,
    _search_long_intervals,
    _search_silences,
)

RECORDS = {"DS1": DS1, "DS2": DS2}


MAX_GAP = 3.0  # detect_r_peaks's default, before the missed beats are searched


def noisy(x, fs, record, kind, snr, reference):
    """``x`` with the synthetic noise ``kind`` at ``snr`` dB, drawn as noise_robustness.py draws it for seed 0."""
    if kind is None:
        return x
    draw = np.random.SeedSequence([0, int(record), NSTDB_RECORDS.index(kind)])
    return add_noise(
        x,
        kind,
        snr,
        fs=fs,
        peaks=reference,
        random_state=int(draw.generate_state(1)[0]),
    )


def detect(folder, record, max_gaps, rr_ratios, conditions):
    """(lead, condition, setting) -> (TP, FN, FP, V beats missed) for both leads of one record."""
    reference = read_wfdb_annotation(folder / record, beats_only=True)
    out = {}
    for lead in read_wfdb_header(folder / record).sig_name:
        signal = read_wfdb_record(folder / record, lead=lead)
        fs = float(signal.fs)
        clean = np.asarray(signal.signal, dtype=np.float64)
        for condition, kind, snr in conditions:
            x = noisy(clean, fs, record, kind, snr, reference.sample)
            first = detect_r_peaks(x, fs, max_gap=None, rr_ratio=None)
            settings = {"XQRS alone": first}
            for max_gap in max_gaps:
                settings[f"max_gap {max_gap:g} s"] = _search_silences(
                    x, fs, first, max_gap
                )
            searched = _search_silences(x, fs, first, MAX_GAP)
            other = _gqrs(x, fs, _median_amplitude(x, searched, fs))
            for ratio in rr_ratios:
                settings[f"rr_ratio {ratio:g}"] = _search_long_intervals(
                    x, fs, searched, ratio, other
                )
            for setting, peaks in settings.items():
                result = compare_annotations(
                    reference.sample,
                    reference.symbol,
                    peaks,
                    ["N"] * len(peaks),
                    fs,
                )
                qrs, matrix = result["qrs"], np.asarray(result["confusion_matrix"])
                v_missed = int(matrix[result["labels"].index("V"), -1])
                key = ("MLII" if lead == "MLII" else "other", condition, setting)
                out[key] = (qrs["tp"], qrs["fn"], qrs["fp"], v_missed)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", choices=sorted(RECORDS), default="DS1")
    parser.add_argument("--max-gaps", type=float, nargs="+", default=[2, 3, 5, 10])
    parser.add_argument(
        "--rr-ratios", type=float, nargs="+", default=[1.3, 1.4, 1.5, 1.6, 1.8]
    )
    parser.add_argument(
        "--kinds", nargs="*", choices=NSTDB_RECORDS, default=["em", "ma"]
    )
    parser.add_argument("--snr", type=float, default=12.0)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    conditions = [("clean", None, None)] + [
        (f"{kind} {args.snr:g} dB", kind, args.snr) for kind in args.kinds
    ]
    folder = get_data_home(subdir="mitdb")
    tick = time.perf_counter()
    counts = Parallel(n_jobs=args.jobs)(
        delayed(detect)(folder, record, args.max_gaps, args.rr_ratios, conditions)
        for record in RECORDS[args.records]
    )
    print(
        f"{args.records}, {len(counts)} records, both leads "
        f"({time.perf_counter() - tick:.0f} s)"
    )
    print(
        "| lead | condition | setting | missed | false | QRS Se | QRS +P | "
        "F-measure | V missed |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    total = {
        key: np.sum([record[key] for record in counts], axis=0) for key in counts[0]
    }
    for key, (tp, fn, fp, vm) in total.items():
        print(
            f"| {' | '.join(key)} | {fn} | {fp} | {tp / (tp + fn):.4f} | "
            f"{tp / (tp + fp):.4f} | {2 * tp / (2 * tp + fn + fp):.5f} | {vm} |"
        )
    # the rule that chose rr_ratio: mean F-measure over the rows, and the
    # largest fall of +P from the silent-stretch search alone
    rows = sorted({key[:2] for key in total})
    searched = f"max_gap {MAX_GAP:g} s"

    def ppv(key):
        tp, _, fp, _ = total[key]
        return tp / (tp + fp)

    print("\n| rr_ratio | mean F-measure | largest fall of +P |")
    print("|---|---|---|")
    for setting in [searched] + [f"rr_ratio {ratio:g}" for ratio in args.rr_ratios]:
        f_measure = np.mean(
            [
                2 * tp / (2 * tp + fn + fp)
                for tp, fn, fp, _ in (total[(*row, setting)] for row in rows)
            ]
        )
        fall = max(ppv((*row, searched)) - ppv((*row, setting)) for row in rows)
        print(f"| {setting} | {f_measure:.6f} | {fall:.5f} |")


if __name__ == "__main__":
    main()
