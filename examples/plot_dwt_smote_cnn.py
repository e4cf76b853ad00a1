"""
=======================================================
Wavelet denoising, SMOTE and a CNN: honest versus leaky
=======================================================

A common recipe for MIT-BIH beat classification: denoise with a Daubechies
``db2`` wavelet, balance the AAMI classes with SMOTE, train a 1-D CNN.  How it
is *evaluated* changes the numbers more than any of those choices:

* **honest** — SMOTE inside an :class:`imblearn.pipeline.Pipeline`, so it only
  ever sees training beats, and folds grouped by patient
  (:class:`~sklearn.model_selection.GroupKFold`);
* **leaky** — SMOTE on the whole data set before splitting, then a random
  split of the beats, so synthetic beats made from test beats and beats of the
  same patients sit in the training set.

Only the first estimates what happens on a new patient.  The second is shown
as the counter-example.  Without ``SKLEARN_ECG_DATA`` the beats are synthetic
and the network trains for a few epochs; with it, MIT-BIH DS1 beats are used.
"""

# %%
# Data: context rows, grouped by patient
# --------------------------------------
# Every row is ``[window | template | rr]``: the 4 s window around the beat,
# the patient's running template and the R-R history of the record
# (:func:`~sklearn_ecg.preprocessing.context_layout` splits them).
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline, make_pipeline
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import GroupKFold, KFold, cross_val_predict

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.metrics import aami_confusion_matrix_display, aami_report
from sklearn_ecg.models import CNN1D
from sklearn_ecg.preprocessing import (
    BeatSegmenter,
    DWTDenoiser,
    RhythmFeatures,
    context_layout,
)

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
rng = np.random.default_rng(0)
N_RR = 128  # R-R intervals of history per row: minutes of rhythm

if FAST:
    beats = make_ecg_beats(
        n_samples=600,
        classes=("N", "S", "V", "F"),
        weights=(0.7, 0.12, 0.12, 0.06),
        n_patients=9,
        noise=0.06,
        baseline_wander=0.1,
        context=True,
        n_rr=N_RR,
        random_state=0,
    )
    max_epochs = 8
else:
    beats = load_mitbih(
        data_home=Path(DATA) / "mitdb", records="DS1", context=True, n_rr=N_RR
    )
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 1800, "S": 500, "V": 500, "F": 300}
    keep = np.concatenate(
        [
            rng.permutation(np.flatnonzero(beats.target == c))[:n]
            for c, n in caps.items()
        ]
    )
    beats.data, beats.target, beats.groups = (
        beats.data[keep],
        beats.target[keep],
        beats.groups[keep],
    )
    max_epochs = 10

X, y, groups, fs = beats.data, beats.target, beats.groups, beats.fs
layout = context_layout(X.shape[1], fs, n_rr=N_RR)
labels = [c for c in "NSVF" if c in set(y)]
print("beats per class:", {c: int((y == c).sum()) for c in labels})

# %%
# What the db2 wavelet removes
# ----------------------------
# :class:`~sklearn_ecg.preprocessing.DWTDenoiser` shrinks the wavelet detail
# coefficients with the universal threshold; ``remove_baseline=True`` also
# drops the slow drift held by the coarsest approximation.
segmenter = BeatSegmenter(method="window", fs=fs, target_fs=125)
beat = segmenter.fit_transform(X[:1, layout.window])
clean = DWTDenoiser(wavelet="db2", remove_baseline=False).fit_transform(beat)
t = np.arange(beat.shape[1]) / 125
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(t, beat[0], color="0.6", label="beat")
ax.plot(t, clean[0], color="C0", label="DWTDenoiser(wavelet='db2')")
ax.set_xlabel("time (s)")
ax.set_ylabel("mV")
ax.legend()
ax.set_title("Wavelet denoising of one beat")
fig.tight_layout()

# %%
# Rhythm features
# ---------------
# A beat cut out of its window loses its timing, and premature beats differ
# from normal ones mostly by timing, against the patient's own rhythm.
# :class:`~sklearn_ecg.preprocessing.RhythmFeatures` measures it from the
# R-R history each row carries.
rhythm = RhythmFeatures(n_rr=N_RR).fit(X)
names = list(rhythm.get_feature_names_out())
rr = rhythm.transform(X)
fig, ax = plt.subplots(figsize=(5, 4.5))
for c in labels:
    sel = y == c
    ax.scatter(
        rr[sel, names.index("log_pre_mean32")],
        rr[sel, names.index("log_post_mean32")],
        s=8,
        alpha=0.6,
        label=c,
    )
ax.set_xlabel("log(RR before / mean of the last 32)")
ax.set_ylabel("log(RR after / mean of the last 32)")
ax.set_title("Premature beats by their RR intervals")
ax.legend(title="AAMI class")
fig.tight_layout()

# %%
# The model
# ---------
# The beat (cut from the window, segmented, denoised) and its rhythm features
# side by side, SMOTE, and a CNN that routes the rhythm columns to its dense
# head.  A :class:`~sklearn.compose.ColumnTransformer` gives each step its
# columns of the row.
features = ColumnTransformer(
    [
        (
            "beat",
            make_pipeline(
                BeatSegmenter(method="window", fs=fs, target_fs=125),
                DWTDenoiser(wavelet="db2"),
            ),
            layout.window,
        ),
        ("rhythm", RhythmFeatures(n_rr=N_RR), layout.rr),
    ]
)
cnn = CNN1D(
    n_filters=8,
    n_blocks=2,
    n_dense=16,
    n_extra_features=RhythmFeatures.n_features,
    max_epochs=max_epochs,
    batch_size=64,
    lr=1e-2,
    random_state=0,
)

# %%
# Honest: SMOTE inside the pipeline, folds grouped by patient
# -----------------------------------------------------------
# In each fold SMOTE oversamples the training patients only; the test
# patients' beats are predicted as they are.
honest = Pipeline(
    [
        ("features", features),
        ("smote", SMOTE(k_neighbors=3, random_state=0)),
        ("cnn", cnn),
    ]
)
y_honest = cross_val_predict(honest, X, y, groups=groups, cv=GroupKFold(n_splits=3))
print("honest (patient-wise):")
print(aami_report(y, y_honest, labels=labels))

# %%
# Leaky: SMOTE before a random beat split
# ---------------------------------------
# The counter-example.  SMOTE runs once on every beat, then the beats are
# shuffled into folds: synthetic beats interpolated from test beats, and other
# beats of the test patients, are in the training set.
Z = features.fit_transform(X)
Z_smote, y_smote = SMOTE(k_neighbors=3, random_state=0).fit_resample(Z, y)
y_leaky = cross_val_predict(
    cnn, Z_smote, y_smote, cv=KFold(n_splits=3, shuffle=True, random_state=0)
)
print("leaky (SMOTE first, random beats):")
print(aami_report(y_smote, y_leaky, labels=labels))

# %%
# Side by side
# ------------
report_honest = aami_report(y, y_honest, labels=labels, output_dict=True)
report_leaky = aami_report(y_smote, y_leaky, labels=labels, output_dict=True)
names = labels + ["accuracy", "macro F1"]


def scores(report):
    per_class = [report["per_class"][c]["f1"] for c in labels]
    return per_class + [report["accuracy"], report["macro_f1"]]


pos = np.arange(len(names))
fig, ax = plt.subplots(figsize=(7, 4))
ax.bar(
    pos - 0.2, scores(report_honest), 0.4, label="honest: SMOTE in pipeline, GroupKFold"
)
ax.bar(
    pos + 0.2,
    scores(report_leaky),
    0.4,
    label="leaky: SMOTE first, random beat split",
    hatch="//",
)
ax.set_xticks(pos, [f"F1 {n}" if n in labels else n for n in names])
ax.set_ylim(0, 1.3)
ax.set_yticks(np.linspace(0, 1, 6))
ax.set_ylabel("score")
ax.set_title("The same model, evaluated two ways")
ax.legend(loc="upper center", ncols=2, fontsize="small")
fig.tight_layout()

# %%
# The confusion matrices, rows normalised (sensitivity on the diagonal), in
# AAMI order.
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 4))
aami_confusion_matrix_display(
    y,
    y_honest,
    labels=labels,
    normalize="true",
    ax=ax0,
    colorbar=False,
    values_format=".2f",
)
ax0.set_title("honest")
aami_confusion_matrix_display(
    y_smote,
    y_leaky,
    labels=labels,
    normalize="true",
    ax=ax1,
    colorbar=False,
    values_format=".2f",
)
ax1.set_title("leaky (counter-example)")
fig.tight_layout()

# %%
# The leaky numbers are higher and wrong: they measure how well the model
# recognises beats of patients (and interpolations of beats) it has already
# seen.  Report the patient-wise ones.
