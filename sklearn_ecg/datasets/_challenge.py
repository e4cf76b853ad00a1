"""PhysioNet/Computing in Cardiology Challenge 2020/2021 12-lead ECG loader."""

import math
import os
import re
from numbers import Integral, Real

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
from ._bunch import with_renamed_key

CHALLENGE_LEADS = (
    "I",
    "II",
    "III",
    "aVR",
    "aVL",
    "aVF",
    "V1",
    "V2",
    "V3",
    "V4",
    "V5",
    "V6",
)

CHALLENGE_SOURCES = {
    "A": "CPSC 2018",
    "Q": "CPSC 2018 (extra)",
    "I": "St Petersburg INCART",
    "S": "PTB Diagnostic",
    "HR": "PTB-XL",
    "E": "Georgia 12-lead ECG Challenge",
    "JS": "Chapman-Shaoxing and Ningbo",
}
"""Record-name prefix -> source database."""

SNOMED_CT_NAMES = {
    "164889003": "atrial fibrillation",
    "164890007": "atrial flutter",
    "6374002": "bundle branch block",
    "426627000": "bradycardia",
    "733534002": "complete left bundle branch block",
    "713427006": "complete right bundle branch block",
    "270492004": "1st degree av block",
    "713426002": "incomplete right bundle branch block",
    "39732003": "left axis deviation",
    "445118002": "left anterior fascicular block",
    "164909002": "left bundle branch block",
    "251146004": "low qrs voltages",
    "698252002": "nonspecific intraventricular conduction disorder",
    "426783006": "sinus rhythm",
    "284470004": "premature atrial contraction",
    "10370003": "pacing rhythm",
    "365413008": "poor R wave progression",
    "427172004": "premature ventricular contractions",
    "164947007": "prolonged pr interval",
    "111975006": "prolonged qt interval",
    "164917005": "qwave abnormal",
    "47665007": "right axis deviation",
    "59118001": "right bundle branch block",
    "427393009": "sinus arrhythmia",
    "426177001": "sinus bradycardia",
    "427084000": "sinus tachycardia",
    "63593006": "supraventricular premature beats",
    "164934002": "t wave abnormal",
    "59931005": "t wave inversion",
    "17338001": "ventricular premature beats",
    "164951009": "abnormal QRS",
    "54329005": "anterior myocardial infarction",
    "106068003": "atrial rhythm",
    "713422000": "atrial tachycardia",
    "233917008": "av block",
    "233897008": "atrioventricular reentrant tachycardia",
    "251170000": "blocked premature atrial contraction",
    "61721007": "clockwise or counterclockwise vectorcardiographic loop",
    "27885002": "complete heart block",
    "413844008": "chronic myocardial ischemia",
    "13640000": "fusion beats",
    "195042002": "2nd degree av block",
    "426434006": "anterior ischemia",
    "251187003": "atrial escape beat",
    "425419005": "inferior ischaemia",
    "253352002": "left atrial abnormality",
    "67741000119109": "left atrial enlargement",
    "425623009": "lateral ischaemia",
    "164873001": "left ventricular hypertrophy",
    "55827005": "left ventricular high voltage",
    "164865005": "myocardial infarction",
    "164861001": "myocardial ischemia",
    "428750005": "nonspecific st t abnormality",
    "164867002": "old myocardial infarction",
    "425856008": "paroxysmal ventricular tachycardia",
    "446358003": "right atrial hypertrophy",
    "89792004": "right ventricular hypertrophy",
    "55930002": "s t changes",
    "429622005": "st depression",
    "164931005": "st elevation",
    "164930006": "st interval abnormal",
    "426761007": "supraventricular tachycardia",
    "251223006": "tall p wave",
    "11157007": "ventricular bigeminy",
    "164884008": "ventricular ectopics",
    "251180001": "ventricular trigeminy",
    "164896001": "ventricular fibrillation",
    "164895002": "ventricular tachycardia",
    "74390002": "wolff parkinson white pattern",
}
"""SNOMED-CT code -> diagnosis name, for the codes common in the challenge data."""

_HOW_TO = (
    "Download the challenge training data from https://physionet.org/content/challenge-2021/ "
    "and pass data_home=<folder holding the .hea/.mat records>"
)


@validate_params(
    {
        "data_home": [str, os.PathLike, None],
        "fs": [Interval(Real, 0, None, closed="neither")],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "classes": [str, Integral, "array-like", None],
        "leads": ["array-like", None],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_physionet_challenge(
    data_home=None,
    fs=500,
    duration=None,
    classes=None,
    leads=None,
    return_X_y=False,
):
    """Load 12-lead ECGs in the PhysioNet/CinC Challenge 2020/2021 layout.

    Every ``.hea`` header under ``data_home`` (searched recursively) is read
    with its ``.mat`` signal file through ``wfdb.rdrecord``. Header comments
    give the age (``#Age``), sex (``#Sex``) and the diagnoses (``#Dx``, comma
    separated SNOMED-CT codes). Records come at 500 Hz or 1000 Hz (the PTB
    ``S*`` records) and with different lengths: each is resampled to ``fs``
    with :func:`scipy.signal.resample_poly` and, when ``duration`` is given,
    cropped to its first ``duration`` seconds or zero-padded at the end.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding the records (subfolders are searched too). When None,
        ``$SKLEARN_ECG_DATA/physionet_challenge`` if that environment
        variable is set, else ``~/sklearn_ecg_data/physionet_challenge``.
    fs : float, default=500
        Sampling frequency of the returned signals, in Hz.
    duration : float or None, default=None
        Length of the returned signals in seconds. None keeps the records'
        own length, which must then be the same for all records (after
        resampling), else a ``ValueError`` asks for ``duration``.
    classes : list of str or int, or None, default=None
        SNOMED-CT codes (at least one) that make the columns of ``target``, in
        this order.
        None uses every code present (sorted numerically). Records holding
        none of the given codes are kept, with an all-zero row.
    leads : list of str or None, default=None
        Leads to keep, in this order (case-insensitive); None keeps the 12
        standard leads I, II, III, aVR, aVL, aVF, V1-V6.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : ndarray of shape (n_records, n_leads, n_samples), dtype float32
            Signals in mV.
        target : ndarray of shape (n_records, n_classes), dtype int64
            Indicator matrix of the diagnoses.
        target_names : ndarray of shape (n_classes,), dtype str
            SNOMED-CT code of each column of ``target``.
        classes : ndarray of shape (n_classes,), dtype str
            Deprecated alias of ``target_names`` (reading it warns with a
            ``FutureWarning``); it will be removed in 0.4.
        class_names : ndarray of shape (n_classes,), dtype str
            Diagnosis name of each code (the code itself when unknown).
        source : ndarray of shape (n_records,), dtype str
            Record-name prefix, i.e. source database: A (CPSC 2018), Q (CPSC
            2018 extra), I (INCART), S (PTB), HR (PTB-XL), E (Georgia),
            JS (Chapman-Shaoxing and Ningbo); see ``CHALLENGE_SOURCES``.
        age : ndarray of shape (n_records,), dtype float64
            Age in years, NaN when unknown.
        sex : ndarray of shape (n_records,), dtype str
            "Male", "Female" or "Unknown".
        record : ndarray of shape (n_records,), dtype str
            Record name.
        record_fs : ndarray of shape (n_records,), dtype float64
            Sampling frequency each record was stored at.
        dx : list of list of str
            All SNOMED-CT codes of each record, as written in its header.
        fs : float
            Sampling frequency of ``data``.
        lead_names : list of str
            Lead of each channel.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    load_ptbxl : PTB-XL with the benchmark label aggregations.

    Examples
    --------
    >>> from sklearn_ecg.datasets import load_physionet_challenge  # doctest: +SKIP
    >>> cinc = load_physionet_challenge(duration=10)  # doctest: +SKIP
    >>> cinc.data.shape[1:]  # doctest: +SKIP
    (12, 5000)
    """
    if isinstance(leads, str):
        raise TypeError(
            f"leads must be a list of lead names or None; got the string {leads!r}."
        )
    wanted = list(CHALLENGE_LEADS) if leads is None else [str(lead) for lead in leads]
    if not wanted:
        raise ValueError("leads is empty; name at least one lead or pass None.")
    if classes is not None:
        if isinstance(classes, (str, int)):
            classes = [classes]
        codes = [str(c).strip() for c in classes]
        if not codes:
            raise ValueError(
                "classes is empty, which would give a target with no columns; name at "
                "least one SNOMED-CT code, or pass None for every code in the records."
            )
        if not all(c.isdigit() for c in codes) or len(set(codes)) != len(codes):
            raise ValueError(
                f"classes must be distinct SNOMED-CT codes (digits); got {list(classes)}."
            )

    data_home = get_data_home(data_home, subdir="physionet_challenge")
    check_folder(data_home, dataset="PhysioNet/CinC Challenge", how_to=_HOW_TO + ".")
    paths = sorted(data_home.rglob("*.hea"), key=lambda p: (p.stem, str(p)))
    if not paths:
        raise FileNotFoundError(
            f"No .hea records found under {str(data_home)!r}. {_HOW_TO}."
        )

    meta = []
    for hea in paths:
        header = header_info(hea)
        names = [n.lower() for n in header["sig_name"]]
        missing = [lead for lead in wanted if lead.lower() not in names]
        if missing:
            raise ValueError(
                f"Record {str(hea)!r} has no lead(s) {missing}; it holds {header['sig_name']}."
            )
        comments = header["comments"]
        dx = [c.strip() for c in comments.get("dx", "").split(",") if c.strip()]
        sig_len, rate = header["sig_len"], header["fs"]
        n_in = sig_len if duration is None else min(sig_len, math.ceil(duration * rate))
        meta.append(
            {
                "path": hea.with_suffix(""),
                "record": hea.stem,
                "fs": rate,
                "n_in": n_in,
                "n_out": math.ceil(n_in * fs / rate),
                "channels": [names.index(lead.lower()) for lead in wanted],
                "dx": dx,
                "age": parse_age(comments.get("age")),
                "sex": parse_sex(comments.get("sex")),
            }
        )

    X = read_records(meta, fs, duration)

    if classes is None:
        codes = sorted({c for m in meta for c in m["dx"]}, key=int)
    index = {c: j for j, c in enumerate(codes)}
    y = np.zeros((len(meta), len(codes)), dtype=np.int64)
    for i, m in enumerate(meta):
        cols = [index[c] for c in m["dx"] if c in index]
        y[i, cols] = 1
    if return_X_y:
        return X, y
    bunch = Bunch(
        data=X,
        target=y,
        target_names=np.array(codes, dtype=str),
        class_names=np.array([SNOMED_CT_NAMES.get(c, c) for c in codes], dtype=str),
        source=np.array(
            [re.match(r"[A-Za-z]*", m["record"]).group(0) for m in meta], dtype=str
        ),
        age=np.array([m["age"] for m in meta], dtype=np.float64),
        sex=np.array([m["sex"] for m in meta], dtype=str),
        record=np.array([m["record"] for m in meta], dtype=str),
        record_fs=np.array([m["fs"] for m in meta], dtype=np.float64),
        dx=[m["dx"] for m in meta],
        fs=float(fs),
        lead_names=wanted if leads is not None else list(CHALLENGE_LEADS),
        DESCR=load_descr("physionet_challenge.rst"),
    )
    return with_renamed_key(bunch, "classes", "target_names")
