"""Data-home resolution, DESCR text and WFDB reading shared by the loaders.

The public readers :func:`read_wfdb_header`, :func:`read_wfdb_record` and
:func:`read_wfdb_annotation` open one record; the loaders build on them.
"""

import math
import os
from importlib import resources
from numbers import Real
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ..utils._signal import resample
from ..utils._sklearn_compat import Interval, validate_params

DATA_ENV = "SKLEARN_ECG_DATA"
DEFAULT_ROOT = Path("~/sklearn_ecg_data")


@validate_params(
    {"data_home": [str, os.PathLike, None], "subdir": [str]},
    prefer_skip_nested_validation=True,
)
def get_data_home(data_home=None, *, subdir):
    """Return the folder a loader reads from.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder itself. When None, ``$SKLEARN_ECG_DATA/<subdir>`` if the
        environment variable is set, else ``~/sklearn_ecg_data/<subdir>``.
    subdir : str
        Name of the dataset's folder under the data root.

    Returns
    -------
    path : pathlib.Path
        The resolved folder (it may not exist).

    Examples
    --------
    >>> from sklearn_ecg.datasets import get_data_home
    >>> get_data_home("/data/mitdb", subdir="mitdb").as_posix()
    '/data/mitdb'
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    root = os.environ.get(DATA_ENV)
    root = Path(root) if root else DEFAULT_ROOT
    return (root / subdir).expanduser()


def load_descr(name):
    """Return the text of ``descr/<name>``."""
    return (
        resources.files("sklearn_ecg.datasets")
        .joinpath("descr", name)
        .read_text(encoding="utf-8")
    )


def read_text(path, *, what):
    """The text of a UTF-8 file, or ``ValueError`` naming it when it is binary or not UTF-8."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{str(path)!r} is not a text file ({what} is UTF-8 text): byte {exc.start} "
            "cannot be decoded. Is the file damaged or replaced by another format?"
        ) from None
    if "\x00" in text:
        raise ValueError(
            f"{str(path)!r} holds NUL bytes; {what} is a text file. Is the file damaged?"
        )
    return text


def check_folder(path, *, dataset, how_to):
    """Raise ``FileNotFoundError`` naming ``path`` unless it is a folder."""
    if not path.is_dir():
        raise FileNotFoundError(
            f"{dataset} data not found: {str(path)!r} is not a folder. {how_to} "
            f"(or set the {DATA_ENV} environment variable to a folder holding it)."
        )


def _declared_fs(hea):
    """The sampling frequency written on the record line of ``hea``, or None if absent.

    wfdb silently falls back to 250 Hz when this field does not parse (a
    negative or non-numeric rate), so it is read here first.
    """
    try:
        text = hea.read_text(encoding="latin-1")
    except OSError as exc:
        raise ValueError(f"Could not read the WFDB header {str(hea)!r}: {exc}") from exc
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) < 3:
            return None
        token = fields[2].split("/", 1)[0].split("(", 1)[0]
        try:
            fs = float(token)
        except ValueError:
            fs = math.nan
        if not (math.isfinite(fs) and fs > 0):
            raise ValueError(
                f"The WFDB header {str(hea)!r} declares a sampling frequency of {fields[2]!r}; "
                "expected a positive, finite number of Hz."
            )
        return fs
    return None


def read_header(record_path):
    """Read a WFDB header, raising ``ValueError`` naming the file on failure.

    Besides what wfdb checks, the declared sampling frequency must be a
    positive finite number and the record must declare signals and a length.
    """
    import wfdb

    hea = Path(f"{record_path}.hea")
    if not hea.is_file():
        raise FileNotFoundError(f"WFDB header {str(hea)!r} does not exist.")
    _declared_fs(hea)
    try:
        header = wfdb.rdheader(str(record_path))
    except Exception as exc:  # wfdb raises many types on malformed headers
        raise ValueError(f"Could not read the WFDB header {str(hea)!r}: {exc}") from exc
    if (
        not header.sig_name
        or len(header.sig_name) != header.n_sig
        or header.fs is None
        or not header.sig_len
    ):
        raise ValueError(
            f"The WFDB header {str(hea)!r} is incomplete: it declares no signals, "
            "no sampling frequency, no length, or fewer signal lines than signals."
        )
    if not (math.isfinite(float(header.fs)) and header.fs > 0):
        raise ValueError(
            f"The WFDB header {str(hea)!r} declares a sampling frequency of {header.fs!r}; "
            "expected a positive, finite number of Hz."
        )
    return header


def read_annotations(record_path, extension="atr", *, sig_len=None):
    """Read a WFDB annotation file and check that it decodes to a sane annotation list.

    Parameters
    ----------
    record_path : path-like
        Record path without extension.
    extension : str, default="atr"
        Annotation file extension.
    sig_len : int, default=None
        Length of the record in samples; when given, every annotation must
        lie inside it.

    Returns
    -------
    samples : ndarray of int64
        Annotation positions, non-decreasing.
    symbols : ndarray of str
        Annotation symbols, each one of wfdb's standard annotation labels.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        Naming the file, if wfdb cannot decode it, it holds no annotation,
        a code that is no WFDB annotation label, positions that go
        backwards, or positions outside the record: the signs of a damaged
        or foreign file, which would otherwise decode into random labels.
    """
    import wfdb
    from wfdb.io.annotation import ann_label_table

    path = f"{record_path}.{extension}"
    if not Path(path).is_file():
        raise FileNotFoundError(f"Annotation file {path!r} does not exist.")
    try:
        ann = wfdb.rdann(str(record_path), extension)
    except Exception as exc:  # wfdb raises many types on damaged files
        raise ValueError(f"Could not read the annotation file {path!r}: {exc}") from exc
    samples = np.asarray(ann.sample, dtype=np.int64)
    if samples.size == 0:
        raise ValueError(
            f"The annotation file {path!r} holds no annotations (is it empty?)."
        )
    known = set(ann_label_table["symbol"])
    unknown = [
        i
        for i, sym in enumerate(ann.symbol)
        if not isinstance(sym, str) or sym not in known
    ]
    if unknown:
        raise ValueError(
            f"The annotation file {path!r} holds {len(unknown)} codes that are no WFDB annotation "
            f"label (first at annotation {unknown[0]}); the file is damaged or not a WFDB "
            "annotation file."
        )
    back = np.flatnonzero(np.diff(samples) < 0)
    if back.size:
        raise ValueError(
            f"The annotation file {path!r} is damaged: annotation {back[0] + 1} at sample "
            f"{samples[back[0] + 1]} comes before the previous one at {samples[back[0]]}."
        )
    if sig_len is not None and (samples[0] < 0 or samples[-1] >= sig_len):
        raise ValueError(
            f"The annotation file {path!r} holds sample positions from {samples[0]} to "
            f"{samples[-1]}, outside the record's {sig_len} samples; the file is damaged or "
            "belongs to another record."
        )
    return samples, np.asarray(ann.symbol, dtype=str)


def read_signal(record_path, channels, *, sampto=None):
    """Read ``channels`` of a WFDB record as float32 physical units, (n_channels, n_times).

    Digital samples are read and scaled once, which is faster than letting
    wfdb convert every sample to float64.
    """
    import wfdb

    try:
        record = wfdb.rdrecord(
            str(record_path), channels=list(channels), physical=False, sampto=sampto
        )
    except Exception as exc:
        raise ValueError(
            f"Could not read the WFDB record {str(record_path)!r}: {exc}"
        ) from exc
    digital = record.d_signal
    gain = np.asarray(record.adc_gain, dtype=np.float32)
    baseline = np.asarray(record.baseline, dtype=np.float32)
    gain[gain == 0] = 200.0  # WFDB: a zero gain means the default of 200 adu per unit
    signal = np.empty((digital.shape[1], digital.shape[0]), dtype=np.float32)
    np.subtract(digital.T, baseline[:, None], out=signal, casting="unsafe")
    signal /= gain[:, None]
    return signal


ALL_LEADS = "all"
"""The ``lead`` of the beat loaders that reads every signal of each record."""


def check_lead(lead):
    """``lead`` as None, a name, ``ALL_LEADS``, or a tuple of names in order of preference.

    Anything else is a ``TypeError``.
    """
    if lead is None or isinstance(lead, str):
        return lead
    if (
        isinstance(lead, (list, tuple))
        and lead
        and all(isinstance(x, str) for x in lead)
    ):
        return tuple(lead)
    raise TypeError(
        f"lead must be a signal name such as 'MLII', a list of names in order of preference, "
        f"or None; got {lead!r}."
    )


def pick_channel(sig_name, lead):
    """Index of the lead in ``sig_name`` (first of a list that is present), None if absent."""
    if lead is None:
        return 0
    for name in (lead,) if isinstance(lead, str) else lead:
        if name in sig_name:
            return sig_name.index(name)
    return None


@validate_params({"record": [str, os.PathLike]}, prefer_skip_nested_validation=True)
def read_wfdb_header(record):
    """Read the header of a WFDB record: its name, sampling frequency, length and leads.

    The header is read with :func:`wfdb.rdheader` and checked: a declared
    sampling frequency that is not a positive finite number (which wfdb
    would silently replace by 250 Hz), or a header without signals or
    length, is an error naming the file.

    Parameters
    ----------
    record : str or path-like
        Record path without extension (``.../mitdb/100``).

    Returns
    -------
    header : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        record : pathlib.Path
            The record path.
        name : str
            The record name.
        fs : float
            Sampling frequency in Hz.
        sig_len : int
            Length of the record in samples.
        sig_name : list of str
            Name of every signal (lead), in file order.
        comments : list of str
            The header's comment lines.

    Raises
    ------
    FileNotFoundError
        If ``record.hea`` does not exist.
    ValueError
        Naming the file, if it cannot be read or is incomplete.

    See Also
    --------
    read_wfdb_record : One lead of the record, resampled.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import wfdb
    >>> from sklearn_ecg.datasets import read_wfdb_header
    >>> folder = tempfile.mkdtemp()
    >>> wfdb.wrsamp("rec", fs=250, units=["mV", "mV"], sig_name=["II", "V1"],
    ...             p_signal=np.zeros((1000, 2)), fmt=["16", "16"], write_dir=folder)
    >>> header = read_wfdb_header(f"{folder}/rec")
    >>> header.fs, header.sig_len, header.sig_name
    (250.0, 1000, ['II', 'V1'])
    """
    record = Path(record)
    header = read_header(record)
    return Bunch(
        record=record,
        name=str(header.record_name),
        fs=float(header.fs),
        sig_len=int(header.sig_len),
        sig_name=[str(name) for name in header.sig_name],
        comments=list(header.comments or []),
    )


@validate_params(
    {
        "record": [str, os.PathLike],
        "lead": [str, "array-like", None],
        "fs": [Interval(Real, 0, None, closed="neither"), None],
    },
    prefer_skip_nested_validation=True,
)
def read_wfdb_record(record, *, lead=None, fs=None):
    """Read one lead of a WFDB record in physical units, resampled to ``fs``.

    Parameters
    ----------
    record : str or path-like
        Record path without extension (``.../mitdb/100``).
    lead : None, str or list of str, default=None
        Signal to read: its name (``"MLII"``), a list of names in order of
        preference (the first the record holds), or None for the record's
        first signal.
    fs : float, default=None
        Resample the signal to this rate (Hz) with
        :func:`sklearn_ecg.utils.resample`; None keeps the record's rate.

    Returns
    -------
    record : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        signal : ndarray of shape (n_times,), dtype float32
            The lead in physical units (mV for ECG), at ``fs``.
        fs : float
            Sampling frequency of ``signal`` in Hz.
        record_fs : float
            Sampling frequency of the record in Hz.
        sig_len : int
            Length of the record in samples at ``record_fs``.
        lead : str
            Name of the lead read.
        sig_name : list of str
            Every lead of the record.
        name : str
            The record name.

    Raises
    ------
    FileNotFoundError
        If ``record.hea`` does not exist.
    ValueError
        If the record holds no lead ``lead`` (the message lists its leads),
        or the header or signal file cannot be read.

    See Also
    --------
    read_wfdb_header : The header alone.
    read_wfdb_annotation : An annotation file of the record.
    load_wfdb_beats : Every annotated beat of a folder of records as rows.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> import wfdb
    >>> from sklearn_ecg.datasets import read_wfdb_record
    >>> folder = tempfile.mkdtemp()
    >>> wfdb.wrsamp("rec", fs=250, units=["mV", "mV"], sig_name=["II", "V1"],
    ...             p_signal=np.ones((1000, 2)), fmt=["16", "16"], write_dir=folder)
    >>> rec = read_wfdb_record(f"{folder}/rec", lead="V1", fs=360)
    >>> rec.lead, rec.fs, rec.record_fs, rec.signal.shape
    ('V1', 360.0, 250.0, (1440,))
    """
    header = read_wfdb_header(record)
    lead = check_lead(lead)
    channel = pick_channel(header.sig_name, lead)
    if channel is None:
        which = (
            f"no lead {lead!r}"
            if isinstance(lead, str)
            else f"none of the leads {list(lead)}"
        )
        raise ValueError(
            f"Record {str(record)!r} has {which}; its leads are {header.sig_name}. "
            "Pass lead= one of them, or lead=None for its first signal."
        )
    signal = read_signal(record, [channel])[0]
    target = header.fs if fs is None else float(fs)
    return Bunch(
        signal=resample(signal, header.fs, target),
        fs=target,
        record_fs=header.fs,
        sig_len=header.sig_len,
        lead=header.sig_name[channel],
        sig_name=header.sig_name,
        name=header.name,
    )


def header_info(hea):
    """Read a WFDB ``.hea`` file with wfdb into a dict.

    Keys: name, fs, sig_len, sig_name and comments (``key: value`` comment
    lines as a dict, keys lower-cased).  Raises ``ValueError`` naming the file
    when the header is malformed.
    """
    header = read_header(Path(hea).with_suffix(""))
    comments = {}
    for line in header.comments:
        key, sep, value = line.strip().partition(":")
        if sep:
            comments[key.strip().lower()] = value.strip()
    return {
        "name": header.record_name,
        "fs": float(header.fs),
        "sig_len": int(header.sig_len),
        "sig_name": list(header.sig_name),
        "comments": comments,
    }


def fit_length(signal, n_times):
    """Crop the last axis to ``n_times`` or zero-pad it at the end."""
    if signal.shape[-1] >= n_times:
        return signal[..., :n_times]
    pad = [(0, 0)] * (signal.ndim - 1) + [(0, n_times - signal.shape[-1])]
    return np.pad(signal, pad)


def parse_age(text):
    """Age in years from a header comment, NaN when missing or unreadable."""
    try:
        age = float(text)
    except (TypeError, ValueError):
        return math.nan
    return age if math.isfinite(age) else math.nan


def parse_sex(text):
    """ "Male", "Female" or "Unknown" from a header comment."""
    text = (text or "").strip().lower()
    if text in ("male", "m"):
        return "Male"
    if text in ("female", "f"):
        return "Female"
    return "Unknown"


def read_records(meta, fs, duration):
    """Read, resample to ``fs`` and crop/pad the records described by ``meta``.

    Each entry of ``meta`` holds ``path``, ``channels``, ``fs`` (stored rate),
    ``n_in`` (samples to read) and ``n_out`` (samples after resampling).  With
    ``duration=None`` every record must have the same length at ``fs``.

    Returns
    -------
    X : ndarray of shape (n_records, n_channels, n_samples), float32
    """
    if duration is None:
        lengths = sorted({m["n_out"] for m in meta})
        if len(lengths) > 1:
            raise ValueError(
                f"Records have {len(lengths)} different lengths at {fs} Hz (from {lengths[0]} to "
                f"{lengths[-1]} samples); pass duration=<seconds> (e.g. duration=10) to crop or "
                "zero-pad them to one length."
            )
        n_samples = lengths[0]
    else:
        n_samples = int(round(duration * fs))
    X = np.empty((len(meta), len(meta[0]["channels"]), n_samples), dtype=np.float32)
    for i, m in enumerate(meta):
        signal = read_signal(m["path"], m["channels"], sampto=m["n_in"])
        X[i] = fit_length(resample(signal, m["fs"], fs), n_samples)
    return X
