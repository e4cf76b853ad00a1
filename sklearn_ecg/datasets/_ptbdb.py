"""PTB Diagnostic ECG Database loader: myocardial infarction versus healthy control."""

import math
import os
from numbers import Real

import numpy as np
from sklearn.utils import Bunch

from ..utils._sklearn_compat import Interval, validate_params
from ._base import (
    check_folder,
    get_data_home,
    header_info,
    load_descr,
    parse_age,
    parse_sex,
    read_records,
)

PTBDB_LEADS = (
    "i",
    "ii",
    "iii",
    "avr",
    "avl",
    "avf",
    "v1",
    "v2",
    "v3",
    "v4",
    "v5",
    "v6",
    "vx",
    "vy",
    "vz",
)

_HOW_TO = (
    "Download it with wfdb.dl_database('ptbdb', dl_dir=<folder>) (patientNNN/sNNNNlre.hea/.dat/.xyz) "
    "and pass data_home=<folder>"
)


@validate_params(
    {
        "data_home": [str, os.PathLike, None],
        "diagnoses": [str, "array-like", None],
        "leads": ["array-like", None],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_ptbdb(
    data_home=None,
    diagnoses=("Myocardial infarction", "Healthy control"),
    leads=None,
    fs=1000,
    duration=10.0,
    return_X_y=False,
):
    """Load the PTB Diagnostic ECG Database (myocardial infarction vs healthy control).

    Each record (15 simultaneous leads at 1000 Hz: the 12 standard leads and
    the Frank leads vx, vy, vz) is labelled with the "Reason for admission"
    of its header. By default only myocardial infarction and healthy control
    records are kept (368 and 80 of the 549 records); ``diagnoses=None``
    keeps every record. Patients have several records: use ``groups`` for
    grouped cross-validation.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder of the PhysioNet ``ptbdb`` layout (``patient001/s0010_re.hea``,
        ...; subfolders are searched). When None, ``$SKLEARN_ECG_DATA/ptbdb``
        if that environment variable is set, else ``~/sklearn_ecg_data/ptbdb``.
    diagnoses : sequence of str or None, default=("Myocardial infarction", "Healthy control")
        Reasons for admission to keep (case-insensitive). None keeps all
        records, including other diagnoses and "n/a".
    leads : list of str or None, default=None
        Leads to keep, in this order (case-insensitive); None keeps all 15.
    fs : float, default=1000
        Sampling frequency of the returned signals; records are resampled
        with :func:`scipy.signal.resample_poly` when it differs.
    duration : float or None, default=10.0
        Keep the first ``duration`` seconds of each record (zero-padded at the
        end when shorter). None keeps whole records, which then must all have
        the same length.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : ndarray of shape (n_records, n_leads, n_samples), dtype float32
            Signals in mV.
        target : ndarray of shape (n_records,), dtype str
            Reason for admission as written in the header, e.g.
            "Myocardial infarction" or "Healthy control".
        target_names : ndarray of str
            The distinct values of ``target``, sorted.
        groups : ndarray of shape (n_records,), dtype str
            Patient folder of each record, e.g. "patient001".
        record : ndarray of shape (n_records,), dtype str
            Record name, e.g. "s0010_re".
        age : ndarray of shape (n_records,), dtype float64
            Age in years, NaN when unknown.
        sex : ndarray of shape (n_records,), dtype str
            "Male", "Female" or "Unknown".
        fs : float
            Sampling frequency of ``data``.
        lead_names : list of str
            Lead of each channel.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    load_ptbxl : The larger PTB-XL database.
    load_heartbeat_csv : Pre-cut PTB heartbeats from the shared CSV files.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_ptbdb  # doctest: +SKIP
    >>> ptb = load_ptbdb(leads=["ii", "v1"], duration=5)  # doctest: +SKIP
    >>> ptb.data.shape  # doctest: +SKIP
    (448, 2, 5000)
    """
    if isinstance(diagnoses, str):
        diagnoses = [diagnoses]
    keep = None if diagnoses is None else {str(d).strip().lower() for d in diagnoses}
    if keep is not None and not keep:
        raise ValueError(
            "diagnoses is empty; name at least one reason for admission or pass None."
        )
    if isinstance(leads, str):
        raise TypeError(
            f"leads must be a list of lead names or None; got the string {leads!r}."
        )

    data_home = get_data_home(data_home, subdir="ptbdb")
    check_folder(data_home, dataset="PTB Diagnostic ECG Database", how_to=_HOW_TO + ".")
    paths = sorted(data_home.rglob("*.hea"), key=lambda p: (p.parent.name, p.stem))
    if not paths:
        raise FileNotFoundError(
            f"No .hea records found under {str(data_home)!r}. {_HOW_TO}."
        )

    meta, seen = [], set()
    for hea in paths:
        header = header_info(hea)
        reason = header["comments"].get("reason for admission", "n/a")
        seen.add(reason)
        if keep is not None and reason.lower() not in keep:
            continue
        names = [n.lower() for n in header["sig_name"]]
        wanted = list(names) if leads is None else [str(lead).lower() for lead in leads]
        missing = [lead for lead in wanted if lead not in names]
        if missing or not wanted:
            raise ValueError(
                f"Record {str(hea)!r} has no lead(s) {missing or leads}; it holds {header['sig_name']}."
            )
        sig_len, rate = header["sig_len"], header["fs"]
        n_in = sig_len if duration is None else min(sig_len, math.ceil(duration * rate))
        meta.append(
            {
                "path": hea.with_suffix(""),
                "record": hea.stem,
                "patient": hea.parent.name,
                "reason": reason,
                "fs": rate,
                "n_in": n_in,
                "n_out": math.ceil(n_in * fs / rate),
                "channels": [names.index(lead) for lead in wanted],
                "lead_names": [
                    header["sig_name"][names.index(lead)] for lead in wanted
                ],
                "age": parse_age(header["comments"].get("age")),
                "sex": parse_sex(header["comments"].get("sex")),
            }
        )
    if not meta:
        raise ValueError(
            f"No record has a reason for admission among {sorted(diagnoses)}; "
            f"the headers under {str(data_home)!r} hold {sorted(seen)}."
        )
    if len({tuple(m["lead_names"]) for m in meta}) > 1:
        raise ValueError(
            "Records hold different leads; pass leads=[...] to choose common ones."
        )
    X = read_records(meta, fs, duration)
    y = np.array([m["reason"] for m in meta], dtype=str)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        target_names=np.unique(y),
        groups=np.array([m["patient"] for m in meta], dtype=str),
        record=np.array([m["record"] for m in meta], dtype=str),
        age=np.array([m["age"] for m in meta], dtype=np.float64),
        sex=np.array([m["sex"] for m in meta], dtype=str),
        fs=float(fs),
        lead_names=meta[0]["lead_names"],
        DESCR=load_descr("ptbdb.rst"),
    )
