"""
========================================
Annotating a record nobody has annotated
========================================

The loaders give beats cut around annotated R-peaks, but a new recording comes
without annotations.  :func:`~sklearn_ecg.preprocessing.segment_recording`
finds the R-peaks with wfdb's XQRS detector and cuts the same context rows
the loaders produce (``context=True``: the beat's window, the patient's
running template and R-R history), so a model trained on annotated beats
labels the new record directly.

With ``SKLEARN_ECG_DATA`` holding ``mitdb/``, the recommended model
(:func:`~sklearn_ecg.pipelines.make_ensemble_pipeline` behind
:class:`~sklearn_ecg.models.IrregularRhythmGate`) trains on the DS1
records and annotates the raw signal of record 200, a DS2 record — a patient
it never saw — with the cardiologists' labels drawn for comparison.
Without it, it trains on synthetic patients and annotates a synthetic strip
of a new patient, stitched from generated beats.
"""

# %%
# A classifier trained on annotated beats
# ---------------------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import sklearn

from sklearn_ecg.datasets import load_mitbih, make_ecg_beats
from sklearn_ecg.metrics import plot_beat_gallery
from sklearn_ecg.models import IrregularRhythmGate
from sklearn_ecg.pipelines import make_ensemble_pipeline
from sklearn_ecg.preprocessing import context_layout, detect_beats, segment_recording

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
N_RR = (
    64  # previous R-R intervals in each row: the same for training and the new record
)
rng = np.random.default_rng(0)

if FAST:
    beats = make_ecg_beats(
        n_samples=500,
        classes=("N", "S", "V"),
        weights=(0.6, 0.2, 0.2),
        n_patients=8,
        random_state=0,
        context=True,
        n_rr=N_RR,
    )
    max_epochs = 8
else:
    beats = load_mitbih(
        data_home=Path(DATA) / "mitdb", records="DS1", context=True, n_rr=N_RR
    )
    # Every beat of the rarer classes up to a cap, and a sample of the normal ones.
    caps = {"N": 4000, "S": 944, "V": 1500, "F": 415}
    keep = np.concatenate(
        [
            rng.permutation(np.flatnonzero(beats.target == c))[:n]
            for c, n in caps.items()
        ]
    )
    beats.data, beats.target = beats.data[keep], beats.target[keep]
    beats.groups = beats.groups[keep]
    max_epochs = 12
fs = beats.fs

# The soft vote of the network and the feature models (its S and V shared
# out with the S/V forest), behind the gate that
# withholds S labels in an irregular rhythm; the network chooses its epoch on
# whole patients held out, which the groups reach through metadata routing.
vote = make_ensemble_pipeline(fs=fs, n_rr=N_RR, max_epochs=max_epochs, random_state=0)
if FAST:
    vote.set_params(
        estimator__network__clf__n_filters=8,
        estimator__network__clf__n_blocks=2,
        estimator__network__clf__n_dense=16,
        estimator__network__clf__lr=3e-3,
        estimator__network__clf__batch_size=32,
        estimator__network__clf__verbose=0,
    )
model = IrregularRhythmGate(vote, n_rr=N_RR)
with sklearn.config_context(enable_metadata_routing=True):
    model.fit(beats.data, beats.target, groups=beats.groups)

# %%
# An unannotated record
# ---------------------
if FAST:
    # A new patient's beats, joined halfway between consecutive R-peaks into
    # one continuous strip.  The generator's labels are kept only to compare.
    new = make_ecg_beats(
        n_samples=14,
        classes=("N", "S", "V"),
        weights=(0.6, 0.2, 0.2),
        n_patients=1,
        random_state=0,
    )
    mask, centre = detect_beats(new.data, fs)
    pieces, true_peaks = [], []
    start = 0
    for row, c in zip(new.data, centre):
        others = np.flatnonzero(mask[len(pieces)])
        before = c - others[others < c].max() if np.any(others < c) else int(0.8 * fs)
        after = others[others > c].min() - c if np.any(others > c) else int(0.8 * fs)
        piece = row[c - before // 2 : c + after // 2]
        true_peaks.append(start + before // 2)
        start += piece.size
        pieces.append(piece)
    signal = np.concatenate(pieces)
    true_peaks, true_labels = np.array(true_peaks), new.target
    title = "synthetic strip of a new patient"
else:
    import wfdb

    record_path = str(Path(DATA) / "mitdb" / "200")
    # the whole record, so that every beat has its minutes of R-R history
    signal = wfdb.rdrecord(record_path, channel_names=["MLII"]).p_signal[:, 0]
    annotation = wfdb.rdann(record_path, "atr")
    aami = {
        **dict.fromkeys("NLRej", "N"),
        **dict.fromkeys("AaJS", "S"),
        **dict.fromkeys("VE", "V"),
        "F": "F",
        **dict.fromkeys("/fQ", "Q"),
    }
    is_beat = np.array([s in aami for s in annotation.symbol])
    true_peaks = annotation.sample[is_beat]
    true_labels = np.array([aami[s] for s in np.array(annotation.symbol)[is_beat]])
    title = "MIT-BIH record 200 (DS2), first 12 s"

# %%
# R-peaks, windows, labels
# ------------------------
# ``segment_recording`` runs XQRS when no peaks are given and returns one
# context row per detected beat, laid out like the training rows.  A
# beat the detector misses gets no label: on the synthetic strip XQRS, tuned
# to real QRS complexes, passes over many of the generator's smooth, wide
# ventricular beats (on MIT-BIH it finds nearly every beat) — compare the
# labels above the strip with the reference below it.
rows, peaks = segment_recording(signal, fs=fs, context=True, n_rr=N_RR)
predicted = model.predict(rows)
windows = rows[:, context_layout(rows.shape[1], fs, n_rr=N_RR).window]
if not FAST:  # draw the first 12 s
    shown = peaks < 12 * fs
    rows, peaks, predicted, windows = (
        rows[shown],
        peaks[shown],
        predicted[shown],
        windows[shown],
    )
    in_view = true_peaks < 12 * fs
    true_peaks, true_labels = true_peaks[in_view], true_labels[in_view]
    signal = signal[: int(12 * fs)]
print(f"{peaks.size} beats detected ({true_peaks.size} in the reference)")
print("predicted:", " ".join(predicted))
print("reference:", " ".join(true_labels))

colors = {"N": "C2", "S": "C1", "V": "C3", "F": "C4", "Q": "C7"}
t = np.arange(signal.size) / fs
fig, ax = plt.subplots(figsize=(11, 3.5))
ax.plot(t, signal, color="0.3", lw=0.8)
top = signal.max() + 0.15 * np.ptp(signal)
for peak, label in zip(peaks, predicted):
    ax.annotate(
        label,
        (peak / fs, signal[peak]),
        xytext=(peak / fs, top),
        ha="center",
        color=colors.get(label, "k"),
        fontweight="bold",
        arrowprops=dict(arrowstyle="-", color=colors.get(label, "k"), lw=0.6),
    )
for peak, label in zip(true_peaks, true_labels):
    ax.text(
        peak / fs,
        signal.min() - 0.1 * np.ptp(signal),
        label,
        ha="center",
        va="top",
        fontsize="small",
        color="0.4",
    )
ax.set_ylim(signal.min() - 0.3 * np.ptp(signal), top + 0.2 * np.ptp(signal))
ax.set_xlabel("time (s)")
ax.set_yticks([])
ax.set_title(
    f"{title}\npredicted AAMI class above each detected beat, reference below (grey)"
)
fig.tight_layout()

# %%
# The detected beats, by reference class
# --------------------------------------
# Each detected beat is matched to the reference beat within 150 ms of it;
# :func:`~sklearn_ecg.metrics.plot_beat_gallery` shows a few per class, titled
# with the prediction, mistakes in red.
distance = np.abs(peaks[:, None] - true_peaks[None, :])
nearest = distance.argmin(axis=1)
matched = distance[np.arange(peaks.size), nearest] <= 0.15 * fs
print(f"{matched.sum()} detected beats match a reference beat")
fig = plot_beat_gallery(
    windows[matched],
    true_labels[nearest[matched]],
    predicted[matched],
    n_per_class=3,
    fs=fs,
    random_state=0,
)
fig.suptitle("Detected beats by reference class")
