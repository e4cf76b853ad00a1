"""
===================================================
Kachuee beats, a residual CNN and transfer learning
===================================================

Kachuee et al. (2018) cut every beat to 187 samples at 125 Hz, train a
residual 1-D CNN on MIT-BIH arrhythmia classes, and re-use its convolutional
blocks for a second task — myocardial infarction on the PTB Diagnostic
database — retraining only the dense layers.

This example does the same with
:class:`~sklearn_ecg.preprocessing.BeatSegmenter` (``method="kachuee"``) and
:class:`~sklearn_ecg.models.CNN1D`, starts the second network from the first
with ``warm_start_from`` and compares how many blocks to keep frozen
(``freeze_blocks``).  It also draws a beat as it passes through the blocks of
the torch module, read with forward hooks.

Data:

* first task: MIT-BIH beats when ``SKLEARN_ECG_DATA`` holds ``mitdb/``,
  synthetic N/V/Q beats otherwise;
* second task: PTB Diagnostic (myocardial infarction versus healthy control)
  when ``SKLEARN_ECG_DATA`` holds ``ptbdb/``; otherwise a **stand-in** task on
  synthetic data: telling supraventricular (S) from fusion (F) beats — two
  classes the first network never saw — on new patients with noisier signals
  and baseline wander, from a small training set.

Both tasks are split by patient.
"""

# %%
# The Kachuee segmentation
# ------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GroupShuffleSplit

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.models import CNN1D
from sklearn_ecg.preprocessing import BeatSegmenter

DATA = os.environ.get("SKLEARN_ECG_DATA")
HAS_MITDB = bool(DATA) and (Path(DATA) / "mitdb").is_dir()
HAS_PTBDB = bool(DATA) and (Path(DATA) / "ptbdb").is_dir()
rng = np.random.default_rng(0)

if HAS_MITDB:
    source = load_mitbih(data_home=Path(DATA) / "mitdb", records="DS1")
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 2000, "S": 500, "V": 500}
    keep = np.concatenate(
        [
            rng.permutation(np.flatnonzero(source.target == c))[:n]
            for c, n in caps.items()
        ]
    )
    X_a, y_a, groups_a, fs_a = (
        source.data[keep],
        source.target[keep],
        source.groups[keep],
        source.fs,
    )
    max_epochs = 10
else:
    source = make_ecg_beats(
        n_samples=400, classes=("N", "V", "Q"), n_patients=8, random_state=0
    )
    X_a, y_a, groups_a, fs_a = source.data, source.target, source.groups, source.fs
    max_epochs = 8

segmenter = BeatSegmenter(method="kachuee", fs=fs_a)
window = X_a[np.flatnonzero(y_a == "V")[0]]
beat = segmenter.fit_transform(window[None])[0]

fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(7, 5))
ax0.plot(np.arange(window.size) / fs_a, window)
ax0.axvline(window.size // 2 / fs_a, color="C3", ls=":", label="annotated R-peak")
ax0.set_title(f"context window ({fs_a:g} Hz)")
ax0.set_xlabel("time (s)")
ax0.legend(loc="upper right")
ax1.plot(np.arange(beat.size) / 125, beat, color="C1")
ax1.set_title("BeatSegmenter(method='kachuee'): 187 samples at 125 Hz")
ax1.set_xlabel("time (s)")
fig.tight_layout()

# %%
# First task: arrhythmia classes
# ------------------------------
# Patients are split into training and test sets, so the test score is for
# patients the network has not seen.
architecture = dict(n_filters=16, n_blocks=3, n_dense=16)
training = dict(max_epochs=max_epochs, batch_size=64, lr=1e-2, random_state=0)
split = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0)
train, test = next(split.split(X_a, y_a, groups_a))

B_a = segmenter.fit_transform(X_a)
first = CNN1D(**architecture, **training).fit(B_a[train], y_a[train])
print(
    f"first task, unseen patients: balanced accuracy "
    f"{balanced_accuracy_score(y_a[test], first.predict(B_a[test])):.3f}"
)

# %%
# A beat through the blocks
# -------------------------
# ``module_`` is the trained :class:`torch.nn.Module`; ``blocks()`` lists its
# blocks from the input side (stem convolution, residual blocks, dense
# layers).  Forward hooks record what each block hands to the next.
module = first.module_
activations = {}
hooks = [
    block.register_forward_hook(
        lambda mod, inp, out, i=i: activations.__setitem__(i, out.detach().cpu())
    )
    for i, block in enumerate(module.blocks())
]
module.eval()
with torch.no_grad():
    module(
        torch.as_tensor(
            beat[None], dtype=torch.float32, device=next(module.parameters()).device
        )
    )
for hook in hooks:
    hook.remove()

names = [type(block).__name__ for block in module.blocks()]
fig, axes = plt.subplots(
    1 + len(activations), 1, figsize=(7, 1.6 * (1 + len(activations)))
)
axes[0].plot(beat)
axes[0].set_ylabel("input")
for ax, i in zip(axes[1:], sorted(activations)):
    a = activations[i][0].numpy()
    if a.ndim == 2:  # convolutional block: channels x time
        ax.imshow(a, aspect="auto", cmap="viridis", interpolation="nearest")
    else:  # dense layer: one bar per unit
        ax.bar(np.arange(a.size), a)
    ax.set_ylabel(f"{i}: {names[i]}", fontsize="small")
axes[-1].set_xlabel("time step (convolutions) / unit (dense layers)")
fig.suptitle("One beat through the blocks of CNN1D")
fig.tight_layout()

# %%
# Second task
# -----------
if HAS_PTBDB:
    from sklearn_ecg.datasets import load_ptbdb
    from sklearn_ecg.preprocessing import segment_recording

    # Ten seconds of lead II per record, cut into beat windows at the detected
    # R-peaks; every beat carries its record's diagnosis and patient.
    ptb = load_ptbdb(
        data_home=Path(DATA) / "ptbdb", leads=["II"], fs=360, duration=10.0
    )
    cut = [segment_recording(record[0], fs=ptb.fs)[0] for record in ptb.data]
    X_b = np.concatenate(cut)
    y_b = np.repeat(ptb.target, [len(w) for w in cut])
    groups_b, fs_b = np.repeat(ptb.groups, [len(w) for w in cut]), ptb.fs
    task = "myocardial infarction versus healthy control (PTB Diagnostic)"
else:
    stand_in = make_ecg_beats(
        n_samples=240,
        classes=("S", "F"),
        n_patients=8,
        noise=0.08,
        baseline_wander=0.15,
        random_state=1,
    )
    X_b, y_b, groups_b, fs_b = (
        stand_in.data,
        stand_in.target,
        stand_in.groups,
        stand_in.fs,
    )
    task = "stand-in: S versus F beats of new synthetic patients"

B_b = BeatSegmenter(method="kachuee", fs=fs_b).fit_transform(X_b)
train_b, test_b = next(
    GroupShuffleSplit(n_splits=1, test_size=0.5, random_state=0).split(
        B_b, y_b, groups_b
    )
)

# %%
# From scratch, and from the first network with 0 … all blocks frozen
# -------------------------------------------------------------------
# ``warm_start_from=first`` copies every weight but the output layer (the
# classes differ); ``freeze_blocks=k`` keeps the first ``k`` blocks as they
# were trained on the first task.
# The second training set is small: smaller batches give more steps per epoch.
training_b = {**training, "batch_size": 16}
scratch = CNN1D(**architecture, **training_b).fit(B_b[train_b], y_b[train_b])
scratch_score = balanced_accuracy_score(y_b[test_b], scratch.predict(B_b[test_b]))

n_blocks = len(first.module_.blocks())
frozen = list(range(n_blocks + 1))
transfer_scores = []
for k in frozen:
    clf = CNN1D(**architecture, **training_b, warm_start_from=first, freeze_blocks=k)
    clf.fit(B_b[train_b], y_b[train_b])
    transfer_scores.append(
        balanced_accuracy_score(y_b[test_b], clf.predict(B_b[test_b]))
    )
print(task)
print(f"from scratch: {scratch_score:.3f}")
for k, score in zip(frozen, transfer_scores):
    print(f"transferred, {k} frozen blocks: {score:.3f}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(frozen, transfer_scores, "o-", label="transferred from the first task")
ax.axhline(scratch_score, color="C1", ls="--", label="trained from scratch")
ax.set_xticks(frozen)
ax.set_xlabel("frozen blocks (input side first)")
ax.set_ylabel("balanced accuracy, unseen patients")
ax.set_title(task, fontsize="medium")
ax.legend(fontsize="small")
fig.tight_layout()
