"""R-peak detection on MIT-BIH, both leads: wfdb's XQRS alone against ``detect_r_peaks``.

:func:`sklearn_ecg.preprocessing.detect_r_peaks` runs XQRS again on every
stretch of ``max_gap`` seconds without a detection.  For each record of
``--records`` (DS1 by default, where ``max_gap`` is chosen; ``DS2`` to report
after the choice) and each of its two leads, the script detects once with XQRS
alone and then searches the silent stretches for each ``--max-gaps`` value,
and compares every detection with the reference beats
(:func:`sklearn_ecg.metrics.compare_annotations`, 150 ms).  It prints, per
lead (MLII, the other lead, both), the beats missed and the false detections,
QRS Se and +P and the F-measure ``2 TP / (2 TP + FN + FP)``, and the V beats
missed.  The rule that chose the default (3 s): the highest F-measure on
DS1, both leads pooled; of two within 10 beats of each other, the longer gap.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/r_peaks_ds1.py
    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/r_peaks_ds1.py --records DS2

About 2 min on 2 cores (``--jobs 2``).
"""

import argparse
import time

import numpy as np
from joblib import Parallel, delayed

from sklearn_ecg.datasets import (
    DS1,
    DS2,
    get_data_home,
    read_wfdb_annotation,
    read_wfdb_header,
    read_wfdb_record,
)
from sklearn_ecg.metrics import compare_annotations
from sklearn_ecg.preprocessing import detect_r_peaks

# the silent-stretch search alone, so that XQRS's first run is shared by every max_gap
from sklearn_ecg.preprocessing._r_peaks import _search_silences

RECORDS = {"DS1": DS1, "DS2": DS2}


def detect(folder, record, max_gaps):
    """(lead, max_gap) -> (TP, FN, FP, V beats missed) for both leads of one record."""
    reference = read_wfdb_annotation(folder / record, beats_only=True)
    out = {}
    for lead in read_wfdb_header(folder / record).sig_name:
        signal = read_wfdb_record(folder / record, lead=lead)
        fs = float(signal.fs)
        x = np.asarray(signal.signal, dtype=np.float64)
        first = detect_r_peaks(x, fs, max_gap=None)
        for max_gap in (None, *max_gaps):
            peaks = (
                first if max_gap is None else _search_silences(x, fs, first, max_gap)
            )
            result = compare_annotations(
                reference.sample, reference.symbol, peaks, ["N"] * len(peaks), fs
            )
            qrs, matrix = result["qrs"], np.asarray(result["confusion_matrix"])
            v_missed = int(matrix[result["labels"].index("V"), -1])
            out[(lead, max_gap)] = (qrs["tp"], qrs["fn"], qrs["fp"], v_missed)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", choices=sorted(RECORDS), default="DS1")
    parser.add_argument("--max-gaps", type=float, nargs="+", default=[2, 3, 5, 10])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = get_data_home(subdir="mitdb")
    tick = time.perf_counter()
    counts = Parallel(n_jobs=args.jobs)(
        delayed(detect)(folder, record, args.max_gaps)
        for record in RECORDS[args.records]
    )
    print(
        f"{args.records}, {len(counts)} records, both leads "
        f"({time.perf_counter() - tick:.0f} s)"
    )
    print(
        "| lead | max_gap | missed | false | QRS Se | QRS +P | F-measure | V missed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for which in ("MLII", "other", "both"):
        for max_gap in (None, *args.max_gaps):
            tp, fn, fp, vm = np.sum(
                [
                    value
                    for record in counts
                    for (lead, gap), value in record.items()
                    if gap == max_gap
                    and (which == "both" or (lead == "MLII") == (which == "MLII"))
                ],
                axis=0,
            )
            name = "XQRS alone" if max_gap is None else f"{max_gap:g} s"
            print(
                f"| {which} | {name} | {fn} | {fp} | {tp / (tp + fn):.4f} | "
                f"{tp / (tp + fp):.4f} | {2 * tp / (2 * tp + fn + fp):.5f} | {vm} |"
            )


if __name__ == "__main__":
    main()
