"""Data-home resolution, DESCR text and WFDB reading shared by the loaders."""

import math
import os
from importlib import resources
from pathlib import Path

import numpy as np

from ..utils._signal import resample
from ..utils._sklearn_compat import validate_params

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
