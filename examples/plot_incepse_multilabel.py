"""
==============================================
Multilabel 12-lead classification with IncepSE
==============================================

A 12-lead record can carry several diagnoses at once, so the target is an
indicator matrix with one column per label, and
:class:`~sklearn_ecg.models.IncepSE` — InceptionTime blocks with
squeeze-and-excitation — trains one sigmoid output per label.  The score is the
macro AUROC over the labels; per-label decision thresholds are chosen on a
validation set and only then applied to the test set.

Data, in order of preference:

* PTB-XL (``$SKLEARN_ECG_DATA/ptbxl``), super-diagnostic task, the
  recommended folds (1–8 train, 9 validation, 10 test);
* the PhysioNet/CinC 2020/2021 sample
  (``$SKLEARN_ECG_DATA/cinc2021_sample``), its five most frequent diagnoses;
* synthetic records from :func:`~sklearn_ecg.datasets.make_multilabel_ecg`.

Records are split by patient (PTB-XL) or by record, each record standing for
one patient (the challenge sample and the synthetic data carry no patient id).
"""

# %%
# Loading 12-lead records
# -----------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GroupShuffleSplit

from sklearn_ecg.datasets import (
    load_physionet_challenge,
    load_ptbxl,
    make_multilabel_ecg,
)
from sklearn_ecg.metrics import (
    multilabel_auroc,
    plot_per_class_roc,
    select_thresholds,
    sensitivity_specificity,
)
from sklearn_ecg.models import IncepSE

DATA = os.environ.get("SKLEARN_ECG_DATA")
rng = np.random.default_rng(0)
train = None

if DATA and (Path(DATA) / "ptbxl").is_dir():
    ptbxl = load_ptbxl(
        data_home=Path(DATA) / "ptbxl", task="superdiagnostic", sampling_rate=100
    )
    X, Y, names, fs = (
        ptbxl.data,
        ptbxl.target,
        [str(c) for c in ptbxl.target_names],
        ptbxl.fs,
    )
    lead_names = ptbxl.lead_names
    fold = ptbxl.strat_fold
    train = rng.permutation(np.flatnonzero(fold <= 8))[:4000]
    valid, test = np.flatnonzero(fold == 9), np.flatnonzero(fold == 10)
    source, max_epochs = "PTB-XL, super-diagnostic", 10
elif DATA and (Path(DATA) / "cinc2021_sample").is_dir():
    cinc = load_physionet_challenge(
        data_home=Path(DATA) / "cinc2021_sample", fs=100, duration=10
    )
    top = np.argsort(cinc.target.sum(axis=0))[::-1][:5]
    X, Y, fs, lead_names = cinc.data, cinc.target[:, top], cinc.fs, cinc.lead_names
    names = [str(n) for n in cinc.class_names[top]]
    source, max_epochs = "PhysioNet/CinC 2021 sample", 15
else:
    synthetic = make_multilabel_ecg(
        n_samples=240, fs=50, duration=6.0, n_labels=4, random_state=0
    )
    X, Y, names, fs = (
        synthetic.data,
        synthetic.target,
        [str(c) for c in synthetic.target_names],
        synthetic.fs,
    )
    lead_names = synthetic.lead_names
    source, max_epochs = "synthetic (make_multilabel_ecg)", 10

if train is None:
    # One record per patient: split the records into train, validation, test.
    records = np.arange(len(X))
    rest, test = next(
        GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0).split(
            X, Y, records
        )
    )
    inner = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
    train, valid = (rest[i] for i in next(inner.split(X[rest], Y[rest], records[rest])))

print(f"{source}: {X.shape[0]} records of shape {X.shape[1:]} at {fs:g} Hz")
print("labels:", names, "prevalence:", np.round(Y.mean(axis=0), 2).tolist())

record = X[test[0]]
fig, axes = plt.subplots(6, 2, sharex=True, figsize=(9, 7))
t = np.arange(record.shape[-1]) / fs
for lead, ax in enumerate(axes.T.ravel()[: record.shape[0]]):
    ax.plot(t, record[lead], lw=0.8)
    ax.set_ylabel(lead_names[lead], rotation=0, labelpad=15)
    ax.set_yticks([])
present = [n for n, on in zip(names, Y[test[0]]) if on] or ["none of the labels"]
fig.suptitle(f"A test record — labels: {', '.join(present)}")
for ax in axes[-1]:
    ax.set_xlabel("time (s)")
fig.tight_layout()

# %%
# Training IncepSE on the indicator matrix
# ----------------------------------------
# A 2-D ``y`` of zeros and ones makes the network multilabel: one sigmoid per
# column, binary cross-entropy, ``predict_proba`` of shape (n, n_labels).
clf = IncepSE(
    n_filters=8,
    depth=3,
    kernel_sizes=(9, 5, 3),
    bottleneck=8,
    se_reduction=4,
    max_epochs=max_epochs,
    batch_size=16,
    lr=3e-3,
    random_state=0,
)
clf.fit(X[train], Y[train])
proba_valid = clf.predict_proba(X[valid])
proba_test = clf.predict_proba(X[test])

auroc = multilabel_auroc(Y[test], proba_test, average=None)
width = max(len(name) for name in names)
print(f"macro AUROC on the test records: {np.nanmean(auroc):.3f}")
for name, score in zip(names, auroc):
    print(f"  {name:>{width}}: {score:.3f}")

# %%
# Thresholds from the validation records
# --------------------------------------
# Choosing each label's threshold on the test records would flatter the
# result; choose it on the validation records, then measure on the test set.
thresholds = select_thresholds(Y[valid], proba_valid)
sensitivity, specificity = sensitivity_specificity(Y[test], proba_test, thresholds)
for name, th, se, sp in zip(names, thresholds, sensitivity, specificity):
    print(
        f"  {name:>{width}}: threshold {th:.2f}, sensitivity {se:.2f}, specificity {sp:.2f}"
    )

# %%
# Per-label ROC curves on the test records
# ----------------------------------------
fig, ax = plt.subplots(figsize=(6, 5))
plot_per_class_roc(Y[test], proba_test, classes=names, ax=ax)
ax.set_title(f"IncepSE, {source}\nmacro AUROC {np.nanmean(auroc):.3f}")
fig.tight_layout()
