"""What several test files share: small network settings and WFDB file writers."""

import numpy as np
import wfdb

from sklearn_ecg import CNN1D, AlexNetImage, IncepSE

TINY_NETWORKS = {
    CNN1D: dict(n_filters=4, n_blocks=1, n_dense=8),
    IncepSE: dict(
        n_filters=4, depth=1, kernel_sizes=(5, 3), bottleneck=4, se_reduction=2
    ),
    AlexNetImage: dict(width=0.125),
}
"""Architectures small enough for plumbing tests (shapes, cloning, routing, state)."""

TINY_TRAINING = dict(max_epochs=2, lr=1e-2, batch_size=16, random_state=0)
"""A short, seeded training."""

SMALL_NETWORKS = {
    CNN1D: dict(n_filters=8, n_blocks=2, n_dense=16),
    IncepSE: dict(
        n_filters=8, depth=3, kernel_sizes=(9, 5, 3), bottleneck=8, se_reduction=4
    ),
    AlexNetImage: dict(width=0.125),
}
"""Architectures that still learn synthetic beats, for tests that score a fit."""

SMALL_TRAINING = dict(max_epochs=3, lr=1e-2, batch_size=32, random_state=0)


def tiny_network(cls, **params):
    """``cls`` (CNN1D, IncepSE or AlexNetImage) tiny and quick to train; params override."""
    return cls(**{**TINY_NETWORKS[cls], **TINY_TRAINING, **params})


def small_network(cls, **params):
    """``cls`` small enough to train in seconds, big enough to learn; params override."""
    return cls(**{**SMALL_NETWORKS[cls], **SMALL_TRAINING, **params})


def write_record(
    folder,
    name,
    signal,
    *,
    fs=360,
    sig_name="MLII",
    fmt="16",
    adc_gain=1000.0,
    **fields,
):
    """Write the WFDB record ``folder/name`` of ``signal`` in mV.

    ``signal`` is (n_times,) or (n_times, n_leads); ``sig_name`` names the
    leads.  ``adc_gain=None`` lets wfdb choose the gain; ``fields`` go to
    :func:`wfdb.wrsamp` (``comments``, ...).  Returns the signal as stored:
    rounded to the ADC steps when ``adc_gain`` is given.
    """
    signal = np.asarray(signal, dtype=np.float64)
    signal = signal[:, None] if signal.ndim == 1 else signal
    n_leads = signal.shape[1]
    if adc_gain is not None:
        fields = dict(
            adc_gain=[float(adc_gain)] * n_leads, baseline=[0] * n_leads, **fields
        )
    wfdb.wrsamp(
        name,
        fs=fs,
        units=["mV"] * n_leads,
        sig_name=[sig_name] if isinstance(sig_name, str) else list(sig_name),
        p_signal=signal,
        fmt=[fmt] * n_leads,
        write_dir=str(folder),
        **fields,
    )
    return signal if adc_gain is None else np.round(signal * adc_gain) / adc_gain


def write_annotation(folder, name, samples, symbols, *, extension="atr", **fields):
    """Write the WFDB annotation ``folder/name.extension`` (``fields`` go to wrann)."""
    wfdb.wrann(
        name,
        extension,
        np.asarray(samples),
        list(symbols),
        write_dir=str(folder),
        **fields,
    )


def beat_strip(n_beats, random_state, *, fs=360):
    """A continuous synthetic N/S/V strip with irregular R-R intervals: (signal, peaks, target)."""
    from sklearn_ecg.datasets import make_ecg_beats

    beats = make_ecg_beats(
        n_samples=n_beats,
        classes=("N", "S", "V"),
        weights=(0.7, 0.15, 0.15),
        n_patients=1,
        random_state=random_state,
    )
    centre = beats.data.shape[1] // 2
    rng = np.random.default_rng(random_state)
    halves = rng.integers(int(0.33 * fs), int(0.45 * fs), n_beats)
    pieces = [beats.data[i, centre - h : centre + h] for i, h in enumerate(halves)]
    peaks = np.cumsum(2 * halves) - halves
    return np.concatenate(pieces).astype(np.float64), peaks, beats.target


def prevailing_ectopy(n_beats=300, seed=0, *, pauses=(1.5, 3.0)):
    """R-R intervals of runs of 2-5 premature atrial beats at 0.75 s broken by pauses
    (seconds, drawn from ``pauses``) that end in a sinus beat: premature beats are the
    prevailing rhythm (MIT-BIH 232's pattern).  Returns the intervals and which beats
    are ectopic."""
    rng = np.random.default_rng(seed)
    intervals, ectopic = [], []
    while len(intervals) < n_beats:
        k = int(rng.integers(2, 6))
        intervals += list(rng.normal(0.75, 0.02, k)) + [rng.uniform(*pauses)]
        ectopic += [True] * k + [False]
    return np.array(intervals[:n_beats]), np.array(ectopic[:n_beats])
