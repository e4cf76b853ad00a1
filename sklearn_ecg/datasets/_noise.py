"""ECG noise for stress tests: synthetic NSTDB-like noise, the NSTDB noise records, adding at an SNR."""

import os
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import signal as sps
from sklearn.utils import Bunch, check_random_state

from ..utils._signal import resample
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._base import (
    check_folder,
    get_data_home,
    load_descr,
    read_header,
    read_signal,
)

NOISE_KINDS = ("bw", "em", "ma", "mains")
"""Kinds of :func:`make_ecg_noise`: baseline wander, electrode motion, muscle artifact, mains."""

NSTDB_RECORDS = ("bw", "em", "ma")
"""The noise records of the MIT-BIH Noise Stress Test Database."""

NOISE_RMS = {"bw": 0.15, "em": 0.1, "ma": 0.03, "mains": 0.02}
"""Default RMS amplitude of each synthetic noise kind, in millivolts."""

QRS_HALF_WIDTH = 0.06
"""Seconds either side of an R-peak in which the QRS peak-to-peak amplitude is measured."""

_HOW_TO = (
    "Pass download=True, or fetch it with wfdb.dl_database('nstdb', dl_dir=<folder>, "
    "records=['bw', 'em', 'ma']) and pass data_home=<folder>"
)


def _sos(fs, band, btype, order):
    return sps.butter(order, band, btype=btype, fs=fs, output="sos")


def _unit(x):
    """``x`` with zero mean and unit RMS (unchanged when it is constant)."""
    x = x - x.mean()
    rms = np.sqrt(np.mean(x * x))
    return x / rms if rms > 0 else x


def _slow(rng, n_samples, fs, cutoff):
    """Gaussian noise low-passed below ``cutoff`` Hz, unit RMS: a slowly varying level."""
    x = rng.standard_normal(n_samples + int(4 * fs / cutoff))
    return _unit(sps.sosfiltfilt(_sos(fs, cutoff, "lowpass", 2), x)[-n_samples:])


def _baseline_wander(rng, n_samples, fs):
    # breathing (0.15-0.4 Hz, its rate drifting) over a random drift below 0.5 Hz
    rate = rng.uniform(0.15, 0.4) * (1 + 0.1 * _slow(rng, n_samples, fs, 0.05))
    phase = 2 * np.pi * np.cumsum(rate) / fs + rng.uniform(0, 2 * np.pi)
    return _unit(np.sin(phase) + 0.7 * _slow(rng, n_samples, fs, 0.5))


def _bursts(rng, n_samples, fs, rate, duration):
    """A non-negative envelope of Poisson-timed smooth bursts over a floor of 0.2."""
    events = np.zeros(n_samples)
    n_events = rng.poisson(rate * n_samples / fs)
    events[rng.integers(0, n_samples, n_events)] = rng.lognormal(0.0, 0.5, n_events)
    width = max(3, int(round(duration * fs)))
    envelope = sps.oaconvolve(events, np.hanning(width), mode="same")
    return 0.2 + envelope


def _electrode_motion(rng, n_samples, fs):
    # motion transients: bursts of 1-15 Hz noise, the band of the QRS and of the T wave
    hi = min(15.0, 0.45 * fs)
    band = sps.sosfiltfilt(
        _sos(fs, (1.0, hi), "bandpass", 2), rng.standard_normal(n_samples)
    )
    return _unit(band * _bursts(rng, n_samples, fs, rate=0.5, duration=0.6))


def _muscle(rng, n_samples, fs):
    # surface EMG: 20-150 Hz noise whose level waxes and wanes with the contraction
    lo, hi = min(20.0, 0.2 * fs), min(150.0, 0.45 * fs)
    band = sps.sosfiltfilt(
        _sos(fs, (lo, hi), "bandpass", 4), rng.standard_normal(n_samples)
    )
    return _unit(band * np.exp(0.5 * _slow(rng, n_samples, fs, 0.5)))


def _mains(rng, n_samples, fs, freq):
    t = np.arange(n_samples) / fs
    level = 1 + 0.05 * _slow(rng, n_samples, fs, 0.2)
    x = level * np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi))
    if 3 * freq < 0.5 * fs:  # the third harmonic of a saturating transformer
        x += 0.1 * np.sin(2 * np.pi * 3 * freq * t + rng.uniform(0, 2 * np.pi))
    return _unit(x)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "kind": [StrOptions(set(NOISE_KINDS))],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "rms": [Interval(Real, 0, None, closed="left"), None],
        "mains_freq": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_ecg_noise(
    n_samples, kind="ma", *, fs=360.0, rms=None, mains_freq=60.0, random_state=None
):
    """Generate synthetic ECG noise of one NSTDB kind, or mains interference.

    The three kinds of the MIT-BIH Noise Stress Test Database (NSTDB), plus
    mains, each Gaussian noise shaped with ``scipy.signal`` filters:

    ========= ================================================ ==========
    kind      spectrum and time course                         RMS (mV)
    ========= ================================================ ==========
    ``bw``    baseline wander: a breathing oscillation          0.15
              (0.15-0.4 Hz, its rate drifting by about 10 %)
              over a random drift low-passed at 0.5 Hz; nearly
              all power below 1 Hz
    ``em``    electrode motion: 1-15 Hz band-passed noise in    0.10
              bursts (Poisson, 0.5 a second, 0.6 s Hann
              envelopes, a floor of 0.2): the band of the QRS
              and T wave, so filters cannot remove it
    ``ma``    muscle artifact (surface EMG): 20-150 Hz          0.03
              band-passed noise (capped at 0.45 ``fs``) whose
              level follows a log-normal envelope below 0.5 Hz
    ``mains`` power-line interference: a sinusoid at            0.02
              ``mains_freq`` (its level varying by about 5 %)
              with a third harmonic at a tenth of its
              amplitude when below the Nyquist frequency
    ========= ================================================ ==========

    The RMS levels are those of a fairly noisy ambulatory recording; with
    :func:`add_noise` only the shape matters, the level being set by the
    signal-to-noise ratio.

    Parameters
    ----------
    n_samples : int
        Length of the noise in samples.
    kind : {"bw", "em", "ma", "mains"}, default="ma"
        Kind of noise (see the table).
    fs : float, default=360.0
        Sampling frequency in Hz.
    rms : float, default=None
        RMS amplitude of the result in millivolts; None takes the kind's
        value from the table (``NOISE_RMS``).
    mains_freq : float, default=60.0
        Mains frequency in Hz (60 in the Americas, 50 elsewhere);
        ``kind="mains"`` only, and below ``fs / 2``.
    random_state : int, RandomState instance or None, default=None
        Seed of the noise: the same seed gives the same noise.

    Returns
    -------
    noise : ndarray of shape (n_samples,), dtype float64
        Zero-mean noise in millivolts.

    See Also
    --------
    add_noise : Add noise to a recording at a signal-to-noise ratio.
    load_nstdb : The recorded NSTDB noise.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.datasets import make_ecg_noise
    >>> noise = make_ecg_noise(3600, "bw", fs=360, random_state=0)
    >>> noise.shape, round(float(np.sqrt(np.mean(noise ** 2))), 3)
    ((3600,), 0.15)
    """
    rng = check_random_state(random_state)
    rng = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
    fs = float(fs)
    if kind == "mains" and not mains_freq < fs / 2:
        raise ValueError(
            f"mains_freq={mains_freq} Hz is not below the Nyquist frequency of fs={fs} Hz "
            f"({fs / 2} Hz); raise fs or pass mains_freq=50 or 60."
        )
    if kind == "bw":
        noise = _baseline_wander(rng, n_samples, fs)
    elif kind == "em":
        noise = _electrode_motion(rng, n_samples, fs)
    elif kind == "ma":
        noise = _muscle(rng, n_samples, fs)
    else:
        noise = _mains(rng, n_samples, fs, float(mains_freq))
    return noise * (NOISE_RMS[kind] if rms is None else float(rms))


def _check_signal(signal):
    sig = np.asarray(signal)
    if sig.ndim not in (1, 2) or sig.shape[-1] == 0:
        raise ValueError(
            f"signal must be a 1-D (n_times,) or 2-D (n_channels, n_times) array of samples; "
            f"got an array of shape {sig.shape}."
        )
    if not np.issubdtype(sig.dtype, np.number) or np.issubdtype(
        sig.dtype, np.complexfloating
    ):
        raise ValueError(f"signal must hold real numbers; got dtype {sig.dtype}.")
    if not np.isfinite(sig).all():
        raise ValueError(
            "signal contains NaN or infinity; clean or interpolate it first."
        )
    return sig


def _check_peaks(peaks, n_times):
    peaks = np.asarray(peaks)
    if peaks.ndim != 1 or (peaks.size and not np.issubdtype(peaks.dtype, np.integer)):
        raise ValueError(f"peaks must be a 1-D array of sample indices; got {peaks!r}.")
    if peaks.size == 0:
        raise ValueError(
            "peaks is empty; the signal power is measured on the QRS complexes, so give "
            "at least one R-peak (or peaks=None to detect them)."
        )
    if peaks.min() < 0 or peaks.max() >= n_times:
        raise ValueError(
            f"peaks must lie in [0, {n_times}) for a signal of {n_times} samples; got values "
            f"from {peaks.min()} to {peaks.max()}."
        )
    return peaks.astype(np.int64)


def _qrs_amplitude(signal, peaks, fs):
    """Median peak-to-peak QRS amplitude of each channel, within ``QRS_HALF_WIDTH`` of the peaks."""
    half = max(1, int(round(QRS_HALF_WIDTH * fs)))
    sig = np.atleast_2d(np.asarray(signal, dtype=np.float64))
    padded = np.pad(sig, ((0, 0), (half, half)), mode="edge")
    # the window around the peak at sample r starts at padded index r
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1, axis=-1)
    return np.median(np.ptp(windows[:, peaks], axis=-1), axis=-1)


def _check_noise(noise, n_channels, n_times):
    noise = np.asarray(noise)
    if noise.ndim not in (1, 2) or noise.shape[-1] == 0:
        raise ValueError(
            f"noise must be a kind name {NOISE_KINDS}, or a 1-D (n_times,) or 2-D "
            f"(n_channels, n_times) array; got an array of shape {noise.shape}."
        )
    if not np.issubdtype(noise.dtype, np.number) or np.issubdtype(
        noise.dtype, np.complexfloating
    ):
        raise ValueError(f"noise must hold real numbers; got dtype {noise.dtype}.")
    if not np.isfinite(noise).all():
        raise ValueError("noise contains NaN or infinity.")
    noise = np.atleast_2d(noise.astype(np.float64, copy=False))
    # channels pair with noise rows in turn, as nst pairs clean and noise signals
    noise = noise[np.arange(n_channels) % noise.shape[0]]
    if noise.shape[-1] < n_times:
        warnings.warn(
            f"noise holds {noise.shape[-1]} samples, fewer than the signal's {n_times}; it is "
            "repeated from its start to cover the signal (as nst rewinds its noise record).",
            UserWarning,
            stacklevel=3,
        )
        noise = np.tile(noise, (1, -(-n_times // noise.shape[-1])))
    noise = noise[:, :n_times]
    noise = noise - noise.mean(axis=-1, keepdims=True)
    power = np.mean(noise * noise, axis=-1)
    if not (power > 0).all():
        raise ValueError(
            "noise is constant over the signal's length (zero power); no signal-to-noise "
            "ratio can be set with it."
        )
    return noise, power


@validate_params(
    {
        "signal": ["array-like"],
        "noise": [StrOptions(set(NOISE_KINDS)), "array-like"],
        "snr": [Real],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "peaks": ["array-like", None],
        "mains_freq": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def add_noise(
    signal, noise, snr, *, fs, peaks=None, mains_freq=60.0, random_state=None
):
    """Add noise to a recording at a signal-to-noise ratio, as the NSTDB defines it.

    The MIT-BIH Noise Stress Test Database (and PhysioNet's ``nst``) measure
    the signal by its QRS complexes: with ``pp`` the median peak-to-peak
    amplitude of the clean signal within 60 ms of each R-peak, the signal power is ``S = pp**2 / 8`` (that of a sinusoid of
    amplitude ``pp / 2``).  The noise power ``N`` is the mean square of the
    noise once its mean is removed, over the stretch added.  The noise is
    scaled so that ``10 * log10(S / N) = snr``, per channel, and added.

    Parameters
    ----------
    signal : array-like of shape (n_times,) or (n_channels, n_times)
        The clean recording, in any unit (usually millivolts).
    noise : {"bw", "em", "ma", "mains"} or array-like of shape (n_noise,) or (n_noise_channels, n_noise)
        A kind of synthetic noise (generated with :func:`make_ecg_noise`,
        one independent draw per channel) or a noise recording (e.g. a
        record of :func:`load_nstdb`), whose level does not matter.  Rows of
        a 2-D noise pair with the signal's channels in turn; the first
        ``n_times`` samples are used, and a noise shorter than the signal is
        repeated from its start with a ``UserWarning``.
    snr : float
        Signal-to-noise ratio in decibels (NSTDB records use 24, 18, 12, 6,
        0 and -6).
    fs : float
        Sampling frequency in Hz.
    peaks : array-like of int, default=None
        R-peak sample indices (e.g. the reference annotations, as ``nst``
        uses).  None detects them on the first channel of the clean signal
        with :func:`~sklearn_ecg.preprocessing.detect_r_peaks` (wfdb's XQRS).
    mains_freq : float, default=60.0
        Mains frequency in Hz when ``noise="mains"``.
    random_state : int, RandomState instance or None, default=None
        Seed of the synthetic noise (ignored for a noise array).

    Returns
    -------
    noisy : ndarray of the shape of ``signal``
        ``signal`` plus the scaled noise; float32 stays float32, other
        input becomes float64.

    Raises
    ------
    ValueError
        If ``snr`` is not finite, ``signal`` or ``noise`` hold NaN or
        infinity or have the wrong rank, ``peaks`` is empty or outside the
        signal, the noise is constant, or the QRS amplitude is zero.

    See Also
    --------
    make_ecg_noise : Synthetic noise of the NSTDB kinds.
    load_nstdb : The recorded NSTDB noise.

    References
    ----------
    G. B. Moody, W. K. Muldrow and R. G. Mark, "A noise stress test for
    arrhythmia detectors", Computers in Cardiology 11:381-384 (1984).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.datasets import add_noise
    >>> clean = np.zeros(3600)
    >>> peaks = np.arange(180, 3600, 360)
    >>> clean[peaks] = 1.0  # 1 mV spikes: pp = 1, S = 1 / 8
    >>> noisy = add_noise(clean, "ma", snr=12, fs=360, peaks=peaks, random_state=0)
    >>> noise = noisy - clean
    >>> round(float(10 * np.log10((1 / 8) / np.var(noise))), 6)
    12.0
    """
    sig = _check_signal(signal)
    if isinstance(snr, bool) or not np.isfinite(snr):
        raise ValueError(
            f"snr must be a finite number of decibels (e.g. 24, 12 or 0); got {snr!r}."
        )
    fs = float(fs)
    sig2 = np.atleast_2d(sig)
    n_channels, n_times = sig2.shape
    if peaks is None:
        from ..preprocessing import detect_r_peaks

        peaks = detect_r_peaks(sig2[0], fs)
    peaks = _check_peaks(peaks, n_times)
    if isinstance(noise, str):
        rng = check_random_state(random_state)
        noise = np.stack(
            [
                make_ecg_noise(
                    n_times, noise, fs=fs, mains_freq=mains_freq, random_state=rng
                )
                for _ in range(n_channels)
            ]
        )
    noise, power = _check_noise(noise, n_channels, n_times)
    pp = _qrs_amplitude(sig2, peaks, fs)
    if not (pp > 0).all():
        raise ValueError(
            f"The QRS peak-to-peak amplitude of channel(s) {np.flatnonzero(pp <= 0).tolist()} "
            "is zero at the given peaks; the signal power cannot be measured there."
        )
    gain = np.sqrt((pp**2 / 8) / (power * 10 ** (float(snr) / 10)))
    dtype = sig.dtype if sig.dtype in (np.float32, np.float64) else np.float64
    noisy = (sig2 + gain[:, None] * noise).astype(dtype, copy=False)
    return noisy.reshape(sig.shape)


NOISE_AUGMENTATION = {"kinds": NSTDB_RECORDS, "snr": (6.0, 24.0), "copies": 1}
"""Defaults of the ``noise`` spec of :func:`load_wfdb_beats` (and ``random_state=None``)."""


def _check_noise_spec(noise):
    """Validate the ``noise`` augmentation spec of the beat loaders; return it complete.

    ``noise`` is None or a dict with the keys ``kinds`` (a kind of
    :func:`make_ecg_noise` or a sequence of them), ``snr`` (decibels: a
    number, or a ``(low, high)`` range), ``copies`` (a positive int) and
    ``random_state``; missing keys take ``NOISE_AUGMENTATION``'s values.
    The result has ``kinds`` a tuple, ``snr`` a ``(low, high)`` tuple of
    floats, ``copies`` an int.
    """
    if noise is None:
        return None
    if not isinstance(noise, dict):
        raise TypeError(
            f"noise must be None or a dict such as {{'kinds': ('bw', 'em', 'ma'), "
            f"'snr': (6, 24), 'copies': 1, 'random_state': 0}}; got {noise!r}."
        )
    allowed = (*NOISE_AUGMENTATION, "random_state")
    unknown = sorted(set(noise) - set(allowed), key=str)
    if unknown:
        raise ValueError(
            f"noise has unknown key(s) {unknown}; its keys are {list(allowed)}."
        )
    spec = {**NOISE_AUGMENTATION, "random_state": None, **noise}
    kinds = spec["kinds"]
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    try:
        kinds = tuple(kinds)
    except TypeError:
        kinds = None
    if (
        not kinds
        or not all(isinstance(k, str) and k in NOISE_KINDS for k in kinds)
        or len(set(kinds)) != len(kinds)
    ):
        raise ValueError(
            f"noise['kinds'] must be one of {list(NOISE_KINDS)} or a sequence of them, "
            f"each once; got {spec['kinds']!r}."
        )
    snr = spec["snr"]
    snr = (snr, snr) if isinstance(snr, Real) else snr
    try:
        low, high = snr
        ok = all(
            isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v)
            for v in (low, high)
        )
    except (TypeError, ValueError):
        ok = False
    if not ok or not low <= high:
        raise ValueError(
            "noise['snr'] must be a finite number of decibels or a (low, high) range of "
            f"them with low <= high, e.g. 12 or (6, 24); got {spec['snr']!r}."
        )
    copies = spec["copies"]
    if isinstance(copies, bool) or not isinstance(copies, Integral) or copies < 1:
        raise ValueError(
            f"noise['copies'] must be a positive int (noisy copies of every record); "
            f"got {copies!r}."
        )
    try:
        check_random_state(spec["random_state"])
    except ValueError as exc:
        raise ValueError(
            f"noise['random_state'] must be None, an int or a RandomState; got "
            f"{spec['random_state']!r}."
        ) from exc
    return {
        "kinds": kinds,
        "snr": (float(low), float(high)),
        "copies": int(copies),
        "random_state": spec["random_state"],
    }


def _download(data_home, kinds):
    import wfdb

    try:
        data_home.mkdir(parents=True, exist_ok=True)
        wfdb.dl_database("nstdb", dl_dir=str(data_home), records=list(kinds))
    except Exception as exc:  # requests/urllib/OS errors, all meaning "no data"
        raise OSError(
            f"Downloading the MIT-BIH Noise Stress Test Database from PhysioNet failed "
            f"({type(exc).__name__}: {exc}). Check the network connection, or put the noise "
            f"records (bw.hea, bw.dat, em.hea, ...; https://physionet.org/content/nstdb/) in "
            f"{str(data_home)!r} by hand and call again with download=False."
        ) from exc


@validate_params(
    {
        "data_home": [str, os.PathLike, None],
        "kinds": [StrOptions(set(NSTDB_RECORDS)), "array-like"],
        "lead": [str, None],
        "target_fs": [Interval(Real, 0, None, closed="neither"), None],
        "download": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_nstdb(
    data_home=None, kinds=NSTDB_RECORDS, *, lead=None, target_fs=None, download=False
):
    """Load the noise records of the MIT-BIH Noise Stress Test Database.

    The NSTDB's three noise records were recorded from active, healthy
    volunteers with electrodes placed where the ECG is barely visible: "bw"
    (baseline wander), "em" (electrode motion artifact, with some of the
    other two) and "ma" (muscle artifact), each 30 minutes of two signals
    ("noise1", "noise2") at 360 Hz.  Add them to a record with
    :func:`add_noise`.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``bw.hea``, ``bw.dat``, ... When None,
        ``$SKLEARN_ECG_DATA/nstdb`` if that variable is set, else
        ``~/sklearn_ecg_data/nstdb``.
    kinds : {"bw", "em", "ma"} or list of them, default=("bw", "em", "ma")
        Noise records to load, in this order.
    lead : str, default=None
        Signal to read from every record (e.g. "noise1"); None reads all of
        them.  A record without it raises ``ValueError``.
    target_fs : float, default=None
        Resample the records to this rate (Hz), e.g. that of the records the
        noise will be added to.
    download : bool, default=False
        If True and a record is not in ``data_home``, download it from
        PhysioNet with ``wfdb.dl_database`` first.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_kinds, n_leads, n_times), dtype float32
            The noise in millivolts; records of different lengths are
            cropped to the shortest.
        kinds : list of str
            Record of each first-axis entry.
        lead : list of str
            Signal of each second-axis entry.
        fs : float
            Sampling frequency in Hz (360, or ``target_fs``).
        DESCR : str
            Description of the dataset.

    Raises
    ------
    FileNotFoundError
        If ``data_home`` or a record is missing and ``download`` is False.
    ValueError
        On an unknown or repeated kind, a lead missing from a record,
        records whose signals differ (``lead=None``), or an unreadable
        header.

    See Also
    --------
    add_noise : Add noise to a recording at a signal-to-noise ratio.
    make_ecg_noise : Synthetic noise of the same kinds, offline.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_nstdb  # doctest: +SKIP
    >>> noise = load_nstdb(kinds=["em"], lead="noise1")  # doctest: +SKIP
    >>> noise.data.shape, noise.fs  # doctest: +SKIP
    ((1, 1, 650000), 360.0)
    """
    kinds = [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]
    unknown = [k for k in kinds if k not in NSTDB_RECORDS]
    if unknown or not kinds or len(set(kinds)) != len(kinds):
        raise ValueError(
            f"kinds must name NSTDB noise records among {list(NSTDB_RECORDS)}, each once; "
            f"got {kinds}."
        )
    data_home = get_data_home(data_home, subdir="nstdb")
    if download and not all((data_home / f"{k}.hea").is_file() for k in kinds):
        _download(data_home, kinds)
    check_folder(
        data_home, dataset="MIT-BIH Noise Stress Test Database", how_to=_HOW_TO + "."
    )
    missing = [k for k in kinds if not (data_home / f"{k}.hea").is_file()]
    if missing:
        raise FileNotFoundError(
            f"NSTDB noise record(s) {missing} not found in {str(data_home)!r}. {_HOW_TO}."
        )

    headers = {k: read_header(data_home / k) for k in kinds}
    channels, names = {}, None
    for kind, header in headers.items():
        sig_name = list(header.sig_name)
        if lead is None:
            if names is not None and sig_name != names:
                raise ValueError(
                    f"NSTDB records hold different signals ({names} and {sig_name} in "
                    f"{kind!r}); pass lead=<name> to read one of them."
                )
            names, channels[kind] = sig_name, list(range(len(sig_name)))
        elif lead in sig_name:
            names, channels[kind] = [lead], [sig_name.index(lead)]
        else:
            raise ValueError(
                f"NSTDB record {kind!r} has no lead {lead!r}; it holds {sig_name}. Pass one "
                "of them, or lead=None for all."
            )
    rates = {k: float(h.fs) for k, h in headers.items()}
    if target_fs is None and len(set(rates.values())) > 1:
        raise ValueError(
            f"NSTDB records have different sampling frequencies {sorted(set(rates.values()))} "
            "Hz; pass target_fs=<Hz> to resample them to one."
        )
    fs = float(target_fs) if target_fs is not None else rates[kinds[0]]
    signals = [
        resample(read_signal(data_home / k, channels[k]), rates[k], fs) for k in kinds
    ]
    n_times = min(s.shape[-1] for s in signals)
    data = np.stack([s[:, :n_times] for s in signals]).astype(np.float32, copy=False)
    return Bunch(
        data=data, kinds=kinds, lead=names, fs=fs, DESCR=load_descr("nstdb.rst")
    )
