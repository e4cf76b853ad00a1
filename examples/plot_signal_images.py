"""
===========================================
Beats as images, and a model that sees both
===========================================

:class:`~sklearn_ecg.preprocessing.SignalToImage` encodes a beat as square
images — Gramian angular summation and difference fields (GASF, GADF), the
Markov transition field (MTF) and the recurrence plot (RP) — which
:class:`~sklearn_ecg.models.AlexNetImage` classifies like pictures.

A 1-D CNN on the signal and AlexNet on the images make different mistakes.
scikit-learn's :class:`~sklearn.ensemble.VotingClassifier` with
``voting="soft"`` averages their probabilities: a multimodal model built from
two ordinary pipelines.  Each branch and the fused model are scored on
patients none of them trained on.
"""

# %%
# One beat of each class, four ways
# ---------------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import VotingClassifier
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.models import CNN1D, AlexNetImage
from sklearn_ecg.preprocessing import BeatSegmenter, DWTDenoiser, SignalToImage

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
rng = np.random.default_rng(0)

if FAST:
    beats = make_ecg_beats(
        n_samples=400, classes=("N", "S", "V", "F"), n_patients=8, random_state=0
    )
    max_epochs, image_size = 8, 32
else:
    beats = load_mitbih(data_home=Path(DATA) / "mitdb", records="DS1")
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 1000, "S": 400, "V": 400, "F": 200}
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
    max_epochs, image_size = 10, 32

X, y, groups, fs = beats.data, beats.target, beats.groups, beats.fs
classes = [c for c in "NSVF" if c in set(y)]
methods = ("gasf", "gadf", "mtf", "rp")
segmenter = BeatSegmenter(method="window", fs=fs, target_fs=125)
examples = segmenter.fit_transform(X[[np.flatnonzero(y == c)[0] for c in classes]])
images = SignalToImage(methods=methods, image_size=image_size).fit_transform(examples)

fig, axes = plt.subplots(
    len(classes), len(methods) + 1, figsize=(10, 2.2 * len(classes))
)
for row, c in enumerate(classes):
    axes[row, 0].plot(examples[row])
    axes[row, 0].set_ylabel(f"class {c}")
    axes[row, 0].set_xticks([])
    for col, method in enumerate(methods):
        ax = axes[row, col + 1]
        ax.imshow(images[row, col], cmap="rainbow", origin="lower")
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title(method.upper())
axes[0, 0].set_title("beat")
fig.suptitle("SignalToImage: one beat per AAMI class")
fig.tight_layout()

# %%
# Two branches and their soft vote
# --------------------------------
# Both branches start from the same context windows; the voting classifier
# fits each on the training patients and averages ``predict_proba``.
training = dict(max_epochs=max_epochs, batch_size=32, lr=1e-2, random_state=0)
signal_branch = make_pipeline(
    BeatSegmenter(method="window", fs=fs, target_fs=125),
    DWTDenoiser(),
    CNN1D(n_filters=8, n_blocks=2, n_dense=16, **training),
)
image_branch = make_pipeline(
    BeatSegmenter(method="window", fs=fs, target_fs=125),
    SignalToImage(methods=("gasf", "gadf", "mtf"), image_size=image_size),
    AlexNetImage(width=0.125, **training),
)
fused = VotingClassifier(
    [("signal", signal_branch), ("image", image_branch)], voting="soft"
)

train, test = next(
    GroupShuffleSplit(n_splits=1, test_size=0.35, random_state=0).split(X, y, groups)
)
fused.fit(X[train], y[train])
# The fitted voting classifier holds the fitted branches, so each is scored
# alone too (they were trained on its label-encoded targets: ``le_`` decodes).
predictions = {
    "signal: CNN1D": fused.le_.inverse_transform(
        fused.named_estimators_["signal"].predict(X[test])
    ),
    "image: AlexNetImage": fused.le_.inverse_transform(
        fused.named_estimators_["image"].predict(X[test])
    ),
    "soft vote of both": fused.predict(X[test]),
}
results = {}
for name, pred in predictions.items():
    results[name] = (
        balanced_accuracy_score(y[test], pred),
        f1_score(y[test], pred, average="macro"),
    )
    print(
        f"{name:>20}: balanced accuracy {results[name][0]:.3f}, macro F1 {results[name][1]:.3f}"
    )

# %%
# The scores side by side, on patients none of the models saw.
fig, ax = plt.subplots(figsize=(6.5, 4))
pos = np.arange(len(results))
ax.bar(pos - 0.2, [r[0] for r in results.values()], 0.4, label="balanced accuracy")
ax.bar(pos + 0.2, [r[1] for r in results.values()], 0.4, label="macro F1")
ax.set_xticks(pos, list(results))
ax.set_ylim(0, 1)
ax.set_title("Signal, image and fused models (unseen patients)")
ax.legend(fontsize="small")
fig.tight_layout()
