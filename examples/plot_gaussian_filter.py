"""
========================================
A Gaussian filter whose width is learned
========================================

:class:`~sklearn_ecg.preprocessing.GaussianDerivativeFeatures` smooths every
beat with a Gaussian of width ``sigma`` and adds its derivatives as channels:
the slope and curvature of the QRS complex are what tell a wide ventricular
beat from a narrow normal one.  ``sigma`` is a hyper-parameter — one fit per
candidate value in a grid search.

``CNN1D(gaussian_order=2)`` puts the same filter bank in front of the network
as a :class:`~sklearn_ecg.nn.DeepGaussianFilter` layer and learns ``sigma`` by
back-propagation, in a single fit.  This example compares the two, with
patient-grouped cross-validation.

Without ``SKLEARN_ECG_DATA`` the beats are synthetic and the networks train
for a few epochs; with it, beats from MIT-BIH DS1 records are used.
"""

# %%
# Beats, grouped by patient
# -------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.models import CNN1D
from sklearn_ecg.preprocessing import BeatSegmenter, GaussianDerivativeFeatures

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
rng = np.random.default_rng(0)

if FAST:
    beats = make_ecg_beats(
        n_samples=480, classes=("N", "S", "V"), n_patients=8, random_state=0
    )
    max_epochs = 8
else:
    beats = load_mitbih(data_home=Path(DATA) / "mitdb", records="DS1")
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 1500, "S": 500, "V": 500}
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

# One beat per row, 0.7 s around the R-peak at 125 Hz.
X = BeatSegmenter(method="window", fs=beats.fs, target_fs=125).fit_transform(beats.data)
y, groups = beats.target, beats.groups
print(
    f"{X.shape[0]} beats of {X.shape[1]} samples from {np.unique(groups).size} patients"
)

# %%
# What the filter bank sees
# -------------------------
# Order 0 is the smoothed beat, order 1 its slope, order 2 its curvature.  A
# wider Gaussian removes more noise and more of the sharp QRS detail.
t = np.arange(X.shape[1]) / 125
beat = X[np.flatnonzero(y == "V")[0]]
fig, axes = plt.subplots(3, 1, sharex=True, figsize=(7, 6))
for sigma, style in [(1.0, "-"), (4.0, "--")]:
    feats = GaussianDerivativeFeatures(sigma=sigma, order=2).fit_transform(beat[None])[
        0
    ]
    for order, ax in enumerate(axes):
        ax.plot(t, feats[order], style, label=f"sigma = {sigma:g} samples")
axes[0].plot(t, beat, color="0.6", lw=0.8, label="input beat", zorder=0)
for ax, name in zip(
    axes, ["order 0: smoothed", "order 1: slope", "order 2: curvature"]
):
    ax.set_ylabel(name)
axes[0].legend(loc="upper right", fontsize="small")
axes[-1].set_xlabel("time (s)")
fig.suptitle("A ventricular beat through GaussianDerivativeFeatures")
fig.tight_layout()

# %%
# Fixed sigma, chosen by grid search
# ----------------------------------
# Every candidate ``sigma`` costs one cross-validated fit.  The folds are
# grouped by patient, so no patient is in both the training and the test fold.
cv = GroupKFold(n_splits=3)
net = dict(
    n_filters=8,
    n_blocks=2,
    n_dense=16,
    max_epochs=max_epochs,
    batch_size=32,
    lr=1e-2,
    random_state=0,
)
fixed = make_pipeline(GaussianDerivativeFeatures(order=2), CNN1D(**net))
sigmas = [1.0, 2.0, 4.0]
search = GridSearchCV(
    fixed,
    {"gaussianderivativefeatures__sigma": sigmas},
    cv=cv,
    scoring="balanced_accuracy",
)
search.fit(X, y, groups=groups)
grid_scores = search.cv_results_["mean_test_score"]
for sigma, score in zip(sigmas, grid_scores):
    print(f"fixed sigma = {sigma:g}: balanced accuracy {score:.3f}")

# %%
# Sigma learned end to end
# ------------------------
# The same filter bank as the first layer of the network; ``sigma`` starts at
# 2 samples and moves with the gradient.  One cross-validated fit.
learned = CNN1D(gaussian_order=2, sigma=2.0, **net)
learned_scores = cross_val_score(
    learned, X, y, groups=groups, cv=cv, scoring="balanced_accuracy"
)
print(f"learned sigma: balanced accuracy {learned_scores.mean():.3f}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(sigmas, grid_scores, "o-", label="GaussianDerivativeFeatures, fixed sigma")
ax.axhline(
    learned_scores.mean(),
    color="C1",
    ls="--",
    label="CNN1D(gaussian_order=2), learned sigma",
)
ax.set_xscale("log", base=2)
ax.set_xticks(sigmas, [f"{s:g}" for s in sigmas])
ax.set_xlabel("sigma (samples)")
ax.set_ylabel("balanced accuracy (GroupKFold)")
ax.set_title("Searching sigma versus learning it")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
# How sigma moves during training
# -------------------------------
# The width of the :class:`~sklearn_ecg.nn.DeepGaussianFilter` layer lives in
# the fitted torch module (``module_.gaussian.sigma``).  Fit for one epoch,
# then, with ``warm_start=True``, let every further ``fit`` continue the
# same network for one more epoch, and read ``sigma`` after each.
n_epochs = 12 if FAST else 15
tracer = CNN1D(gaussian_order=2, sigma=2.0, warm_start=True, **{**net, "max_epochs": 1})
trace = [2.0]
for _ in range(n_epochs):
    tracer.fit(X, y)
    trace.append(float(tracer.module_.gaussian.sigma[0]))
print(f"sigma: 2.0 -> {trace[-1]:.3f} samples after {n_epochs} epochs")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.arange(len(trace)), trace, "o-")
ax.set_xlabel("epoch")
ax.set_ylabel("sigma (samples)")
ax.set_title("The learned width of the Gaussian filter")
fig.tight_layout()
