"""MIT-BIH beat classification under the inter-patient protocol (de Chazal 2004).

Train on the DS1 records, test on the DS2 records: no patient is in both,
lead MLII, paced records (102, 104, 107, 217) excluded, AAMI classes.  The
model is :func:`sklearn_ecg.pipelines.make_beat_pipeline`; nothing about DS2
is used for any choice:

1. the pipeline is trained on DS1 without the validation records below;
2. after every epoch the macro F1 (N, S, V, F) on those held-out DS1
   patients is measured, and the weights of the best epoch are kept (early
   stopping on patients the network never saw; no refit, which would cost
   as much again);
3. DS2 is predicted once and scored with :func:`sklearn_ecg.metrics.aami_report`.

Run::

    SKLEARN_ECG_DATA=/path/holding/mitdb python benchmarks/mitbih_interpatient.py

It prints the per-epoch validation scores, the AAMI report on DS2 and the
runtime, and writes ``mitbih_interpatient.json`` to the current directory.

Figures from the literature under this protocol: de Chazal et al. 2004
86.2 % accuracy; Niu et al. 2020 96.4 % accuracy, F1(S) 0.766, F1(V) 0.897.
"""

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np
import torch

from sklearn_ecg.datasets import load_mitbih
from sklearn_ecg.metrics import aami_report
from sklearn_ecg.pipelines import make_beat_pipeline

# DS1 patients held out to choose the epoch: together they hold
# N, S, V and F beats, and leave most S and F beats of DS1 for training.
VALIDATION_RECORDS = ("106", "115", "119", "201", "220", "223")


def fit_with_patient_early_stopping(pipe, X, y, groups, max_epochs, random_state=0):
    """Fit ``pipe`` on DS1 minus the validation records, keeping the best epoch.

    After every epoch the macro F1 on the held-out records is printed; the
    network's weights from the epoch with the best score are restored at
    the end and ``clf__max_epochs`` records that epoch.  Returns the fitted
    pipeline and the list of scores (entry ``i`` after ``i + 1`` epochs).
    """
    held_out = np.isin(groups, VALIDATION_RECORDS)
    pipe.set_params(clf__max_epochs=1).fit(X[~held_out], y[~held_out])
    features, clf = pipe[:-1], pipe[-1]
    X_train = features.transform(X[~held_out]).astype(np.float32)  # what the network's fit feeds skorch
    y_train = np.searchsorted(clf.classes_, y[~held_out])
    X_valid = features.transform(X[held_out])
    torch.manual_seed(random_state)  # the shuffling of the continued epochs
    scores, best_state = [], None
    for epoch in range(1, max_epochs + 1):
        if epoch > 1:
            clf.net_.partial_fit(X_train, y_train)
        y_pred = clf.predict(X_valid)
        scores.append(aami_report(y[held_out], y_pred, output_dict=True)["macro_f1"])
        print(f"  epoch {epoch:2d}: held-out DS1 macro F1 {scores[-1]:.3f}", flush=True)
        if scores[-1] == max(scores):
            best_state = copy.deepcopy(clf.module_.state_dict())
    clf.module_.load_state_dict(best_state)
    clf.set_params(max_epochs=int(np.argmax(scores)) + 1)
    return pipe, scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-epochs", type=int, default=12, help="most epochs tried on the DS1 validation split")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1 avoids thread contention on a shared 2-core machine)")
    parser.add_argument("--window", type=float, default=4.0,
                        help="context window in seconds (longer windows give the RR features a longer rhythm)")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--json", default="mitbih_interpatient.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.perf_counter()

    train = load_mitbih(records="DS1", window=args.window)
    test = load_mitbih(records="DS2", window=args.window)
    print(f"DS1: {len(train.target)} beats from {len(train.records)} records; "
          f"DS2: {len(test.target)} beats from {len(test.records)} records")
    pipe = make_beat_pipeline(fs=train.fs, random_state=args.random_state)

    print(f"Training on DS1 without records {', '.join(VALIDATION_RECORDS)}, "
          "which choose the epoch:", flush=True)
    pipe, scores = fit_with_patient_early_stopping(pipe, train.data, train.target, train.groups, args.max_epochs, args.random_state)
    best = int(np.argmax(scores)) + 1
    print(f"Best: epoch {best} (held-out DS1 macro F1 {scores[best - 1]:.3f}); its weights predict DS2")
    y_pred = pipe.predict(test.data)
    print()
    print("MIT-BIH inter-patient (de Chazal 2004): train DS1, test DS2")
    print(aami_report(test.target, y_pred))
    print("Literature: de Chazal 2004 86.2 % accuracy; Niu 2020 96.4 %, F1(S) 0.766, F1(V) 0.897")
    report = aami_report(test.target, y_pred, output_dict=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(f"Wrote {args.json}; runtime {time.perf_counter() - start:.0f} s")
    return report


if __name__ == "__main__":
    main()
