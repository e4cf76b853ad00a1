"""MIT-BIH beat classification under the OPTIMISTIC intra-patient protocol.

This is the protocol of Kachuee et al. (2018) and of the 187-sample MIT-BIH
heartbeat CSV files: beats of all records are pooled and split at random
(stratified, 80 % train / 20 % test), so the SAME PATIENTS appear in training
and test.  The network learns each patient's own beat shapes, and the
figures say little about a new patient; for that, see
``mitbih_interpatient.py`` (de Chazal's DS1 -> DS2 protocol).  This script
exists for comparison with the literature that uses this protocol:
Kachuee et al. 2018 report 93.4 % accuracy, later CNNs about 98.5 %.

Recipe: ``load_mitbih`` (lead MLII, every record that has it: 102 and 104
do not) -> ``BeatSegmenter(method="kachuee")`` (125 Hz, 187 samples, scaled
to [0, 1], R-peak first) -> ``CNN1D`` (Kachuee's residual network).  To keep
the run under about 15 minutes on 2 CPU cores the training part is
subsampled (``--n-train``, stratified, printed in the output); the test part
is the whole 20 %.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/mitbih_intrapatient.py

It prints the AAMI report and writes ``mitbih_intrapatient.json`` to the
current directory.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_ecg import CNN1D, BeatSegmenter
from sklearn_ecg.datasets import load_mitbih
from sklearn_ecg.metrics import aami_report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n-train",
        type=int,
        default=20000,
        help="training beats kept (stratified subsample of the 80 %%); 0 keeps all",
    )
    parser.add_argument("--max-epochs", type=int, default=8)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (1 avoids thread contention on a shared 2-core machine)",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--json", default="mitbih_intrapatient.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()

    print(
        "OPTIMISTIC intra-patient protocol (Kachuee et al. 2018): random beat split, the same"
    )
    print("patients in train and test. Not a measure of performance on new patients.")
    beats = load_mitbih()
    X, y = beats.data, beats.target
    print(
        f"Loaded {len(y)} beats from {len(beats.records)} records (lead MLII) "
        f"in {time.perf_counter() - start:.0f} s"
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=args.random_state
    )
    n_split = len(y_train)
    if args.n_train and args.n_train < n_split:
        X_train, _, y_train, _ = train_test_split(
            X_train,
            y_train,
            train_size=args.n_train,
            stratify=y_train,
            random_state=args.random_state,
        )
        print(
            f"Training on a stratified subsample of {len(y_train)} of the {n_split} training beats "
            "(to stay within the time budget); testing on all "
            f"{len(y_test)} test beats."
        )
    else:
        print(f"Training on {len(y_train)} beats, testing on {len(y_test)}.")

    pipe = make_pipeline(
        BeatSegmenter(method="kachuee", fs=beats.fs),
        CNN1D(
            max_epochs=args.max_epochs, batch_size=128, random_state=args.random_state
        ),
    )
    pipe.fit(X_train, y_train)
    y_pred = pipe.predict(X_test)
    print()
    print(
        "MIT-BIH, intra-patient (OPTIMISTIC) random 80/20 beat split, CNN1D on Kachuee beats"
    )
    print(aami_report(y_test, y_pred))
    print(
        "Literature under this protocol: Kachuee et al. 2018 93.4 % accuracy; later CNNs ~98.5 %."
    )
    report = aami_report(y_test, y_pred, output_dict=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(f"Wrote {args.json}; runtime {time.perf_counter() - start:.0f} s")
    return report


if __name__ == "__main__":
    main()
