"""
===================================================
Why prematurity is judged over minutes, not seconds
===================================================

A supraventricular (S) beat looks like a normal beat; what gives it away is
that it comes *early*.  Early compared with what?  A classifier trained on
other patients learns one threshold on "this R-R interval over the patient's
usual interval", so the usual interval must mean the same thing for every
patient.  The few beats of a 4 s window do not give it: in a slow rhythm with
pauses the premature beats are the common ones, and the window around them
holds as many short intervals as they do.  The mean over the last minutes
does (:class:`~sklearn_ecg.preprocessing.RhythmFeatures` reads it from the
R-R history every context row carries).

With ``SKLEARN_ECG_DATA`` holding ``mitdb/``, this example reads MIT-BIH
record 232 (sinus bradycardia with long pauses and 1,382 premature atrial
beats: three quarters of the S beats of the DS2 test records).  Without it,
it simulates a record with the same pattern.
"""

# %%
# R-R intervals of one record
# ---------------------------
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from sklearn_ecg.datasets import load_mitbih
from sklearn_ecg.preprocessing import RhythmFeatures, record_context

DATA = os.environ.get("SKLEARN_ECG_DATA")
FAST = not (DATA and (Path(DATA) / "mitdb").is_dir())
N_RR = 512

if FAST:
    # Premature beats every ~0.95 s, and normal beats that end pauses of 1.6-3 s.
    rng = np.random.default_rng(0)
    label = np.where(rng.random(1500) < 0.75, "S", "N")
    intervals = np.where(
        label == "S",
        rng.normal(0.95, 0.06, label.size),
        rng.uniform(1.6, 3.0, label.size),
    )
    fs = 360.0
    peaks = np.cumsum(np.round(intervals * fs)).astype(int)
    _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs, n_rr=N_RR)
    record = "simulated"
else:
    beats = load_mitbih(
        data_home=Path(DATA) / "mitdb", records=["232"], context=True, n_rr=N_RR
    )
    label, rr = beats.target, beats.data[:, -(N_RR + 1) :]
    record = "MIT-BIH 232"

pre = rr[:, N_RR - 1]  # the interval ending at each beat
seconds = np.cumsum(pre)
fig, ax = plt.subplots(figsize=(8, 3))
for cls, color in (("N", "tab:blue"), ("S", "tab:red")):
    mask = (label == cls) & (pre > 0)
    ax.plot(seconds[mask] / 60, pre[mask], ".", ms=3, color=color, label=f"{cls} beats")
ax.set(
    xlabel="time (min)",
    ylabel="R-R interval before the beat (s)",
    title=f"{record}: R-R tachogram",
)
ax.legend()
fig.tight_layout()

# %%
# The same interval against two references
# ----------------------------------------
# ``log(pre-RR / reference)`` is below 0 for a beat that comes early.  Against
# the mean interval of the 4 s around the beat, S and N beats overlap: the
# windows of the premature beats are full of premature beats.  Against the
# mean of the last 5 minutes, the S beats are clearly early.
backwards = rr[:, N_RR - 1 :: -1]  # newest interval first
in_window = (np.cumsum(backwards, axis=1) <= 2.0) & (
    backwards > 0
)  # within 2 s before the beat
in_window[:, 0] = backwards[:, 0] > 0
post = rr[:, N_RR]
total = (backwards * in_window).sum(axis=1) + post
count = in_window.sum(axis=1) + (post > 0)
window_mean = np.where(count > 0, total / np.maximum(count, 1), 1.0)
features = RhythmFeatures(n_rr=N_RR).fit(rr)
long_span = features.transform(rr)[
    :, list(features.get_feature_names_out()).index("log_pre_mean5min")
]
local = np.log(
    np.where(pre > 0, pre, window_mean) / window_mean
)  # the first beat has no pre-RR

fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
bins = np.linspace(-1.2, 1.2, 49)
for ax, values, title in (
    (axes[0], local, "against the 4 s window"),
    (axes[1], long_span, "against the last 5 minutes"),
):
    for cls, color in (("N", "tab:blue"), ("S", "tab:red")):
        ax.hist(
            values[(label == cls) & (pre > 0)],
            bins=bins,
            alpha=0.6,
            color=color,
            label=f"{cls} beats",
        )
    ax.axvline(0, color="k", lw=0.8)
    ax.set(title=title, xlabel="log(pre-RR / reference)")
axes[0].set_ylabel("beats")
axes[0].legend()
fig.suptitle(f"{record}: is the beat premature?")
fig.tight_layout()
plt.show()

# %%
# Median ``log(pre-RR / reference)`` of each class: a threshold learnt on other
# patients separates them only with the long reference.
for name, values in (("4 s window", local), ("last 5 minutes", long_span)):
    medians = {
        cls: float(np.median(values[(label == cls) & (pre > 0)])) for cls in ("N", "S")
    }
    print(f"{name:>15}: N {medians['N']:+.2f}, S {medians['S']:+.2f}")
