"""
===============================================
Searching the filter width and the architecture
===============================================

Every step of sklearn-ecg is a scikit-learn estimator, so one
:class:`~sklearn.model_selection.GridSearchCV` can search a transformer's
parameter (the ``sigma`` of
:class:`~sklearn_ecg.preprocessing.GaussianDerivativeFeatures`) and the network
itself (:class:`~sklearn_ecg.models.CNN1D` or
:class:`~sklearn_ecg.models.IncepSE`) at once.

The pipeline is an :class:`imblearn.pipeline.Pipeline` with SMOTE inside, and
the folds are grouped by patient
(:class:`~sklearn.model_selection.GroupKFold`): in every fold the oversampling
sees only the training patients, and the score is for patients the model has
not seen.  The best pipeline is saved with joblib and loaded back.

To run the fits of a larger search on a dask cluster, wrap ``search.fit`` in
``with joblib.parallel_backend("dask"):`` (see the user guide).
"""

# %%
# Beats and the pipeline
# ----------------------
import os
import tempfile
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline
from sklearn.model_selection import GridSearchCV, GroupKFold

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.models import CNN1D, IncepSE
from sklearn_ecg.preprocessing import BeatSegmenter, GaussianDerivativeFeatures

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
rng = np.random.default_rng(0)

if FAST:
    beats = make_ecg_beats(
        n_samples=300,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=6,
        random_state=0,
    )
    max_epochs = 6
else:
    beats = load_mitbih(data_home=Path(DATA) / "mitdb", records="DS1")
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 1200, "S": 400, "V": 400}
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
    max_epochs = 8

X, y, groups, fs = beats.data, beats.target, beats.groups, beats.fs
training = dict(max_epochs=max_epochs, batch_size=32, lr=1e-2, random_state=0)

pipe = Pipeline(
    [
        ("segment", BeatSegmenter(method="window", fs=fs, target_fs=125)),
        (
            "smote",
            SMOTE(k_neighbors=3, random_state=0),
        ),  # 2-D beats: before the channels are added
        ("gauss", GaussianDerivativeFeatures(order=1)),
        ("clf", CNN1D()),
    ]
)
param_grid = {
    "gauss__sigma": [1.0, 3.0],
    "clf": [
        CNN1D(n_filters=8, n_blocks=2, n_dense=16, **training),
        IncepSE(
            n_filters=8,
            depth=3,
            kernel_sizes=(9, 5, 3),
            bottleneck=8,
            se_reduction=4,
            **training,
        ),
    ],
}

# %%
# The search, grouped by patient
# ------------------------------
search = GridSearchCV(
    pipe, param_grid, cv=GroupKFold(n_splits=3), scoring="balanced_accuracy"
)
search.fit(X, y, groups=groups)
print(
    "best:",
    type(search.best_params_["clf"]).__name__,
    "sigma =",
    search.best_params_["gauss__sigma"],
    f"balanced accuracy {search.best_score_:.3f}",
)

# %%
# The scores as a heat map
# ------------------------
sigmas = param_grid["gauss__sigma"]
archs = [type(clf).__name__ for clf in param_grid["clf"]]
scores = np.empty((len(archs), len(sigmas)))
for params, score in zip(
    search.cv_results_["params"], search.cv_results_["mean_test_score"]
):
    scores[
        archs.index(type(params["clf"]).__name__), sigmas.index(params["gauss__sigma"])
    ] = score

fig, ax = plt.subplots(figsize=(6, 3))
im = ax.imshow(scores, cmap="viridis", vmin=min(0.3, scores.min()), vmax=1)
ax.set_xticks(range(len(sigmas)), [f"{s:g}" for s in sigmas])
ax.set_yticks(range(len(archs)), archs)
ax.set_xlabel("GaussianDerivativeFeatures sigma (samples)")
for (i, j), s in np.ndenumerate(scores):
    ax.text(j, i, f"{s:.2f}", ha="center", va="center", color="w" if s < 0.8 else "k")
fig.colorbar(im, ax=ax, label="balanced accuracy\n(GroupKFold)")
ax.set_title("Grid search over sigma and architecture")
fig.tight_layout()

# %%
# Saving and loading the best pipeline
# ------------------------------------
# The refitted best pipeline — segmenter, SMOTE, filter bank and trained
# network — is one object; joblib saves and restores it whole.
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "ecg_pipeline.joblib"
    joblib.dump(search.best_estimator_, path)
    restored = joblib.load(path)
same = np.array_equal(restored.predict(X[:50]), search.best_estimator_.predict(X[:50]))
print("restored pipeline predicts the same labels:", same)
