"""Synthetic ECG generators built from sums of Gaussian waves (after McSharry's ECGSYN)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._context import DEFAULT_N_RR, add_context, template_length
from ..utils._sklearn_compat import Interval, validate_params
from ._base import load_descr
from ._bunch import with_renamed_key
from ._mitbih import AAMI_CLASSES, DEFAULT_WINDOW

# Waves P, Q, R, S, T and a pacing spike: centre (s from the R-peak), amplitude (mV),
# width (s). The T-wave centre is scaled by sqrt(RR) (Bazett).
_WAVES = ("P", "Q", "R", "S", "T", "spike")
_MORPHOLOGY = {
    "N": ((-0.19, 0.15, 0.022), (-0.03, -0.12, 0.009), (0.0, 1.0, 0.010),
          (0.03, -0.25, 0.009), (0.27, 0.30, 0.045), (0.0, 0.0, 0.002)),
    "V": ((-0.19, 0.0, 0.022), (-0.05, -0.10, 0.020), (0.0, 1.25, 0.034),
          (0.08, -0.45, 0.030), (0.34, -0.45, 0.065), (0.0, 0.0, 0.002)),
    "Q": ((-0.19, 0.0, 0.022), (-0.05, -0.10, 0.020), (0.0, 1.1, 0.030),
          (0.08, -0.40, 0.030), (0.34, -0.35, 0.060), (-0.07, 1.2, 0.0015)),
}  # fmt: skip
_SYMBOLS = {"N": "N", "S": "A", "V": "V", "F": "F", "Q": "/"}
# RR before and after the central beat, relative to the patient's RR
_TIMING = {
    "N": (1.0, 1.0),
    "S": (0.65, 1.15),
    "V": (0.6, 1.4),
    "F": (0.93, 1.07),
    "Q": (1.0, 1.0),
}


def _morphology_table():
    """(5 classes, n_waves, 3) centre/amplitude/width per AAMI class."""
    n, v, q = (np.array(_MORPHOLOGY[c]) for c in "NVQ")
    s = n.copy()
    f = 0.5 * (n + v)  # replaced per beat by a random mix below
    return np.stack([n, s, v, f, q])


def _render_waves(centres, amplitudes, widths, n_waves, n_times, chunk=2048):
    """Sum Gaussian waves into rows of ``n_times`` samples, each wave only over +-4 widths.

    ``centres``, ``amplitudes`` and ``widths`` (in samples) have shape
    (n_rows, n_beats * n_waves), wave ``w`` of every beat in columns ``w::n_waves``.
    """
    n = len(centres)
    out = np.empty((n, n_times), dtype=np.float32)
    for start in range(0, n, chunk):
        rows = slice(start, start + chunk)
        m = len(centres[rows])
        flat = np.zeros(m * n_times)
        offsets = (np.arange(m) * n_times)[:, None, None]
        for w in range(n_waves):
            c, a, s = (
                x[rows, w::n_waves].astype(np.float32)
                for x in (centres, amplitudes, widths)
            )
            half = int(np.ceil(4 * s.max()))
            lags = np.arange(-half, half + 1, dtype=np.float32)
            start_idx = np.round(c)
            vals = a[..., None] * np.exp(
                -0.5 * ((start_idx - c)[..., None] + lags) ** 2 / s[..., None] ** 2
            )
            idx = start_idx.astype(np.int64)[..., None] + np.arange(-half, half + 1)
            inside = (idx >= 0) & (idx < n_times) & (a[..., None] != 0)
            flat += np.bincount(
                (offsets + idx)[inside], weights=vals[inside], minlength=m * n_times
            )
        out[rows] = flat.reshape(m, n_times)
    return out


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "classes": ["array-like"],
        "weights": ["array-like", None],
        "n_patients": [Interval(Integral, 1, None, closed="left")],
        "fs": [Interval(Real, 50, None, closed="left")],
        "window": [Interval(Real, 0.2, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "baseline_wander": [Interval(Real, 0, None, closed="left")],
        "return_X_y": ["boolean"],
        "random_state": ["random_state"],
        "context": ["boolean"],
        "n_rr": [Interval(Integral, 1, None, closed="left")],
        "n_next": [Interval(Integral, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_ecg_beats(
    n_samples=1000,
    classes=AAMI_CLASSES,
    weights=None,
    n_patients=10,
    fs=360,
    window=DEFAULT_WINDOW,
    noise=0.02,
    baseline_wander=0.0,
    return_X_y=False,
    random_state=None,
    *,
    context=False,
    n_rr=DEFAULT_N_RR,
    n_next=1,
):
    """Generate synthetic single-lead heartbeat windows with AAMI labels.

    Each row is a short rhythm strip, laid out like :func:`load_mitbih`: the
    labelled beat's R-peak sits at index ``n_window // 2`` and its neighbours
    fill the rest of the window. Every beat is a sum of Gaussian P, Q, R, S
    and T waves (in the spirit of McSharry's ECGSYN). The classes differ as
    in real recordings:

    - N: normal beat at the patient's rate.
    - S: premature (RR before it about 65 % of the patient's RR, a slightly
      longer RR after it) with a flat or inverted P wave and a normal QRS.
    - V: premature, no P wave, wide QRS, large inverted T wave, followed by a
      compensatory pause (the RRs around it add up to two normal RRs).
    - F: fusion, a random mix of the N and V morphologies, slightly early.
    - Q: paced, a pacing spike before a wide QRS; its neighbours are paced too.

    Heart rate, wave amplitudes and widths and the V morphology are drawn
    per patient, so grouped cross-validation on ``groups`` is meaningful.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of beats.
    classes : sequence of str, default=("N", "S", "V", "F", "Q")
        AAMI classes to draw from.
    weights : array-like of float or None, default=None
        Probability of each class in ``classes``; None draws them equally.
    n_patients : int, default=10
        Number of synthetic patients; beats are assigned to them at random.
    fs : float, default=360
        Sampling frequency in Hz.
    window : float, default=4.0
        Window length in seconds.
    noise : float, default=0.02
        Standard deviation of the added white noise, in mV.
    baseline_wander : float, default=0.0
        Amplitude in mV of a slow (0.1-0.5 Hz) sinusoidal baseline drift.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.
    context : bool, default=False
        If True, every row also carries its record context, laid out like
        ``load_mitbih(context=True)``: ``[window | template | rr]``, where
        the template is the patient's normal (or paced) beat and ``rr`` the
        ``n_rr`` previous R-R intervals (the patient's rate within 3 %, the
        last one the beat's own pre-RR) and the ``n_next`` following ones.
        The windows are the same as with ``context=False``.
    n_rr : int, default=512
        Previous R-R intervals in each context row.
    n_next : int, default=1
        Following R-R intervals in each context row.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With the keys of :func:`load_mitbih`: ``data`` (n_samples, n_window)
        float32 (context rows with ``context=True``), ``target`` AAMI letters, ``groups`` patient ids ("p00",
        ...), ``fs``, ``r_peak`` (sample of each beat in its patient's
        virtual recording), ``symbol`` (MIT-BIH-like symbol), ``center``,
        ``records`` (patient ids), ``lead``, ``lead_names``, ``row_lead``,
        ``target_names`` (the ``classes`` generated) and ``DESCR``.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    load_mitbih : The real beats this generator imitates.
    make_multilabel_ecg : Synthetic multi-label 12-lead records.

    Examples
    --------
    >>> from sklearn_ecg.datasets import make_ecg_beats
    >>> beats = make_ecg_beats(n_samples=20, random_state=0)
    >>> beats.data.shape, beats.data.dtype, beats.center
    ((20, 1440), dtype('float32'), 720)
    >>> sorted(set(beats.target.tolist()))
    ['F', 'N', 'Q', 'S', 'V']
    """
    classes = np.asarray(classes, dtype=str).ravel()
    unknown = sorted(set(classes) - set(AAMI_CLASSES))
    if unknown or len(classes) == 0 or len(set(classes)) != len(classes):
        raise ValueError(
            f"classes must be distinct AAMI classes among {AAMI_CLASSES}; got {classes.tolist()}."
        )
    if weights is None:
        p = np.full(len(classes), 1.0 / len(classes))
    else:
        p = np.asarray(weights, dtype=float).ravel()
        if p.shape != classes.shape or np.any(p < 0) or not p.sum() > 0:
            raise ValueError(
                f"weights must hold {len(classes)} non-negative numbers (one per class) with a "
                f"positive sum; got {np.asarray(weights).tolist()}."
            )
        p = p / p.sum()
    rng = check_random_state(random_state)
    n_window = int(round(window * fs))
    center = n_window // 2
    n = n_samples

    # per patient
    width = max(2, len(str(n_patients - 1)))
    patient_ids = np.array([f"p{i:0{width}d}" for i in range(n_patients)])
    rr_patient = 60.0 / rng.uniform(55, 95, n_patients)
    gain_patient = rng.uniform(0.6, 1.4, n_patients)
    wave_gain_patient = rng.normal(1.0, 0.12, (n_patients, len(_WAVES))).clip(0.6, 1.4)
    width_patient = rng.uniform(0.85, 1.2, n_patients)
    v_gain_patient = rng.choice([-1.0, 1.0], n_patients, p=[0.3, 0.7]) * rng.uniform(
        0.8, 1.3, n_patients
    )

    patient = rng.randint(n_patients, size=n)
    label = rng.choice(len(classes), size=n, p=p)
    target = classes[label]
    code = np.array([AAMI_CLASSES.index(c) for c in classes])[label]

    table = _morphology_table()
    waves = table[code].copy()  # (n, n_waves, 3)
    is_s, is_v, is_f, is_q = (code == AAMI_CLASSES.index(c) for c in "SVFQ")
    waves[is_s, 0, 1] *= rng.uniform(-0.6, 0.3, is_s.sum())  # flat or inverted P
    waves[is_s, 0, 0] += rng.uniform(0.0, 0.06, is_s.sum())
    mix = rng.uniform(0.3, 0.7, is_f.sum())[:, None, None]
    waves[is_f] = mix * table[0] + (1 - mix) * table[2]
    v_like = is_v | is_f
    waves[v_like, 2, 1] *= v_gain_patient[patient[v_like]]
    neighbours = np.where(is_q, 4, 0)  # paced patients have paced neighbours

    rr = rr_patient[patient] * rng.uniform(0.97, 1.03, n)
    timing = np.array([_TIMING[c] for c in AAMI_CLASSES])[code]
    half = window / 2
    n_side = (
        int(np.ceil((half + 0.5) / (0.97 * rr_patient.min()))) + 1
    )  # +0.5 s: P/T tails
    t = ((np.arange(n_window) - center) / fs).astype(np.float32)
    before = rr[:, None] * rng.uniform(0.97, 1.03, (n, n_side))
    before[:, 0] = rr * timing[:, 0]
    after = rr[:, None] * rng.uniform(0.97, 1.03, (n, n_side))
    after[:, 0] = rr * timing[:, 1]
    onsets = np.concatenate(
        [
            -np.cumsum(before, axis=1)[:, ::-1],
            np.zeros((n, 1)),
            np.cumsum(after, axis=1),
        ],
        axis=1,
    )
    scale = gain_patient[patient][:, None] * wave_gain_patient[patient]  # (n, n_waves)
    widths = width_patient[patient][:, None]
    neighbour_waves = table[neighbours]
    centres, amps, sigmas = [], [], []
    for j in range(2 * n_side + 1):
        beat = waves if j == n_side else neighbour_waves
        onset = onsets[:, j]
        c = onset[:, None] + beat[..., 0]
        c[:, 4] = onset + beat[:, 4, 0] * np.sqrt(rr)
        s = beat[..., 2] * widths
        s[:, 5] = np.maximum(beat[:, 5, 2], 1.0 / fs)  # the pacing spike spans a sample
        centres.append(c)
        amps.append(beat[..., 1] * scale)
        sigmas.append(s)
    centres, amps, sigmas = (np.concatenate(a, axis=1) for a in (centres, amps, sigmas))
    signal = _render_waves(
        centres * fs + center, amps, sigmas * fs, len(_WAVES), n_window
    )

    if baseline_wander > 0:
        freq = rng.uniform(0.1, 0.5, (n, 1))
        phase = rng.uniform(0, 2 * np.pi, (n, 1))
        signal += (baseline_wander * np.sin(2 * np.pi * freq * t + phase)).astype(
            np.float32
        )
    if noise > 0:
        signal += rng.normal(scale=noise, size=signal.shape).astype(np.float32)
    X = signal
    if context:
        history = rr[:, None] * rng.uniform(0.97, 1.03, (n, n_rr))
        n_known = min(n_side, n_rr)
        history[:, n_rr - n_known :] = before[:, :n_known][
            :, ::-1
        ]  # the intervals the window shows
        following = rr[:, None] * rng.uniform(0.97, 1.03, (n, n_next))
        following[:, : min(n_side, n_next)] = after[:, : min(n_side, n_next)]
        length, t_center = template_length(fs)
        c = neighbour_waves[..., 0].copy()
        c[:, 4] = neighbour_waves[:, 4, 0] * np.sqrt(rr)
        s = neighbour_waves[..., 2] * widths
        s[:, 5] = np.maximum(neighbour_waves[:, 5, 2], 1.0 / fs)
        template = _render_waves(
            c * fs + t_center,
            neighbour_waves[..., 1] * scale,
            s * fs,
            len(_WAVES),
            length,
        )
        X = add_context(X, template, np.hstack([history, following]).astype(np.float32))
    if return_X_y:
        return X, target

    # place the beats of each patient one after the other in a virtual recording
    order = np.argsort(patient, kind="stable")
    step = np.round(rr * timing[:, 0] * fs).astype(np.int64)[order]
    cum = np.cumsum(step)
    first = np.searchsorted(patient[order], np.arange(n_patients))
    starts = np.concatenate([[0], cum])[first]
    r_peak = np.empty(n, dtype=np.int64)
    r_peak[order] = cum - starts[patient[order]] + center
    present = np.unique(patient)
    return Bunch(
        data=X,
        target=target,
        groups=patient_ids[patient],
        fs=float(fs),
        r_peak=r_peak,
        symbol=np.array([_SYMBOLS[c] for c in AAMI_CLASSES])[code],
        center=center,
        records=patient_ids[present].tolist(),
        lead=["synthetic"] * len(present),
        lead_names=["synthetic"],
        row_lead=np.full(n, "synthetic"),
        target_names=classes,
        DESCR=load_descr("ecg_beats.rst"),
    )


LEADS_12 = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
MULTILABEL_EFFECTS = (
    "tachycardia",
    "st_elevation",
    "wide_qrs",
    "t_inversion",
    "low_voltage",
    "irregular_rhythm",
    "first_degree_av_block",
    "right_axis_deviation",
)
"""Labels of :func:`make_multilabel_ecg`, in column order."""

# lead factors for the P, Q, R, S, T waves and an ST-segment wave
_LEAD_GAIN = np.array(
    [
        # P     Q     R     S     T     ST
        [0.6, 0.5, 0.7, 0.3, 0.6, 0.0],  # I
        [1.0, 0.6, 1.0, 0.4, 0.8, 0.0],  # II
        [0.4, 0.4, 0.4, 0.4, 0.3, 0.0],  # III
        [-0.8, -0.5, -0.8, -0.3, -0.7, 0.0],  # aVR
        [0.2, 0.3, 0.4, 0.3, 0.3, 0.0],  # aVL
        [0.7, 0.5, 0.7, 0.4, 0.6, 0.0],  # aVF
        [0.4, 0.1, 0.3, 1.6, 0.3, 1.0],  # V1
        [0.5, 0.2, 0.6, 1.4, 0.9, 1.0],  # V2
        [0.5, 0.3, 0.9, 1.0, 1.0, 1.0],  # V3
        [0.5, 0.4, 1.3, 0.6, 1.0, 1.0],  # V4
        [0.5, 0.5, 1.2, 0.4, 0.9, 0.0],  # V5
        [0.5, 0.5, 1.0, 0.3, 0.7, 0.0],  # V6
    ]
)
_T_INVERSION_LEADS = np.array([0, 4, 9, 10, 11])  # I, aVL, V4-V6


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_leads": [Interval(Integral, 1, 12, closed="both")],
        "fs": [Interval(Real, 50, None, closed="left")],
        "duration": [Interval(Real, 1.0, None, closed="left")],
        "n_labels": [Interval(Integral, 1, len(MULTILABEL_EFFECTS), closed="both")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "label_probability": [Interval(Real, 0, 1, closed="both")],
        "return_X_y": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_multilabel_ecg(
    n_samples=200,
    n_leads=12,
    fs=100,
    duration=10.0,
    n_labels=5,
    noise=0.05,
    label_probability=0.3,
    return_X_y=False,
    random_state=None,
):
    """Generate synthetic multi-lead ECG records with multi-label targets.

    Each record is a rhythm strip of sum-of-Gaussian beats projected onto up
    to 12 standard leads (I, II, III, aVR, aVL, aVF, V1-V6, in that order).
    Every label switches on, independently with probability
    ``label_probability``, one change a network can learn:

    ===================== ==================================================
    label                 effect
    ===================== ==================================================
    tachycardia           heart rate 100-140 bpm instead of 55-90 bpm
    st_elevation          ST segment raised by about 0.2 mV in V1-V4
    wide_qrs              QRS complexes 2.5 times wider
    t_inversion           T waves inverted in I, aVL and V4-V6
    low_voltage           all amplitudes scaled by 0.35
    irregular_rhythm      RR intervals vary by up to 25 %, no P waves
    first_degree_av_block PR interval prolonged by about 0.14 s
    right_axis_deviation  R wave negative in I and doubled in III
    ===================== ==================================================

    The first ``n_labels`` rows of this table are used. Lead-specific
    effects only show in the leads listed, so with few ``n_leads`` some
    labels may not be visible.

    Parameters
    ----------
    n_samples : int, default=200
        Number of records.
    n_leads : int, default=12
        Number of leads, taken in the standard order.
    fs : float, default=100
        Sampling frequency in Hz.
    duration : float, default=10.0
        Record length in seconds.
    n_labels : int, default=5
        Number of labels (1 to 8).
    noise : float, default=0.05
        Standard deviation of the white noise, in mV.
    label_probability : float, default=0.3
        Probability of each label being present in a record.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : ndarray of shape (n_samples, n_leads, n_times), dtype float32
            Signals in mV, ``n_times = round(duration * fs)``.
        target : ndarray of shape (n_samples, n_labels), dtype int64
            Label indicator matrix.
        target_names : ndarray of shape (n_labels,), dtype str
            Label names, in column order.
        classes : ndarray of shape (n_labels,), dtype str
            Deprecated alias of ``target_names`` (reading it warns with a
            ``FutureWarning``); it will be removed in 0.4.
        fs : float
            Sampling frequency in Hz.
        lead_names : list of str
            Names of the leads.
        DESCR : str
            Description of the generator.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    make_ecg_beats : Synthetic single-lead beats with AAMI labels.
    load_ptbxl : The real multi-label 12-lead data this imitates.

    Examples
    --------
    >>> from sklearn_ecg.datasets import make_multilabel_ecg
    >>> X, y = make_multilabel_ecg(n_samples=4, n_labels=3, return_X_y=True, random_state=0)
    >>> X.shape, y.shape
    ((4, 12, 1000), (4, 3))
    """
    rng = check_random_state(random_state)
    n = n_samples
    n_times = int(round(duration * fs))
    labels = (
        rng.uniform(size=(n, len(MULTILABEL_EFFECTS))) < label_probability
    ).astype(np.int64)
    labels[:, n_labels:] = 0
    tachy, st, wide, t_inv, low, irregular, av_block, rad = labels.T.astype(bool)

    hr = np.where(tachy, rng.uniform(100, 140, n), rng.uniform(55, 90, n))
    rr = 60.0 / hr
    jitter = np.where(irregular, 0.25, 0.03)

    #                 P      Q      R     S      T      ST
    centre = np.tile([-0.18, -0.03, 0.0, 0.03, 0.0, 0.14], (n, 1))
    amp = np.tile([0.15, -0.1, 1.0, -0.3, 0.3, 0.0], (n, 1)) * rng.uniform(
        0.8, 1.2, (n, 6)
    )
    width = np.tile([0.025, 0.010, 0.012, 0.010, 0.05, 0.05], (n, 1)) * rng.uniform(
        0.9, 1.1, (n, 1)
    )
    centre[:, 0] -= np.where(av_block, 0.14, 0.0)
    amp[irregular, 0] = 0.0
    amp[st, 5] = rng.uniform(0.15, 0.25, st.sum())
    width[wide, 1:4] *= 2.5
    centre[wide, 1] -= 0.03
    centre[wide, 3] += 0.03

    gain = np.broadcast_to(_LEAD_GAIN, (n, 12, 6)).copy()
    gain *= rng.uniform(0.85, 1.15, (n, 12, 1))
    gain[np.ix_(t_inv, _T_INVERSION_LEADS, [4])] *= -1.0
    gain[rad, 0, 2] *= -0.6
    gain[rad, 2, 2] *= 2.0
    gain[low] *= 0.35
    gain = gain[:, :n_leads]

    t = (np.arange(n_times) / fs).astype(np.float32)
    n_beats = int(np.ceil(duration / (0.75 * rr.min()))) + 2
    steps = rr[:, None] * (1 + rng.uniform(-1, 1, (n, n_beats)) * jitter[:, None])
    onsets = (
        rng.uniform(0, 1, (n, 1)) * rr[:, None]
        - rr[:, None]
        + np.cumsum(steps, axis=1)
        - steps[:, :1]
    )
    per_wave = np.zeros((n, 6, n_times), dtype=np.float32)
    for k in range(n_beats):
        c = onsets[:, k, None] + centre
        c[:, 4] = onsets[:, k] + 0.27 * np.sqrt(steps[:, k])
        for w in range(6):
            per_wave[:, w] += np.exp(
                -0.5 * ((t - c[:, w, None]) / width[:, w, None]) ** 2
            ).astype(np.float32)
    X = np.einsum(
        "nlw,nw,nwt->nlt", gain.astype(np.float32), amp.astype(np.float32), per_wave
    )
    freq = rng.uniform(0.1, 0.4, (n, 1, 1))
    wander = 0.05 * np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi, (n, 1, 1)))
    X += wander.astype(np.float32)
    if noise > 0:
        X += rng.normal(scale=noise, size=X.shape).astype(np.float32)
    y = labels[:, :n_labels]
    if return_X_y:
        return X, y
    bunch = Bunch(
        data=X,
        target=y,
        target_names=np.array(MULTILABEL_EFFECTS[:n_labels]),
        fs=float(fs),
        lead_names=list(LEADS_12[:n_leads]),
        DESCR=load_descr("multilabel_ecg.rst"),
    )
    return with_renamed_key(bunch, "classes", "target_names")
