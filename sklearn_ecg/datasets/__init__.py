"""Loaders for public ECG databases and synthetic ECG generators.

Every loader returns a :class:`sklearn.utils.Bunch` (or ``(X, y)`` with
``return_X_y=True``) of numpy arrays; WFDB records are read with ``wfdb``.

- :func:`load_mitbih`: MIT-BIH Arrhythmia beats with rhythm context, AAMI labels.
- :func:`load_wfdb_beats`: the same for any beat-annotated WFDB database.
- :func:`load_wfdb_detections`: rows at the XQRS detections of such a database,
  labelled beat or artifact (training data of an artifact filter).
- :func:`load_ptbxl`: PTB-XL 12-lead records, multi-label benchmark tasks.
- :func:`load_physionet_challenge`: PhysioNet/CinC 2020/2021 12-lead records.
- :func:`load_ptbdb`: PTB Diagnostic records, myocardial infarction vs healthy.
- :func:`load_heartbeat_csv`: the shared 187-sample heartbeat CSV files.
- :func:`make_ecg_beats`: synthetic beats laid out like :func:`load_mitbih`.
- :func:`make_multilabel_ecg`: synthetic multi-label 12-lead records.
- :func:`make_ecg_noise`, :func:`add_noise`, :func:`load_nstdb`: noise of the
  MIT-BIH Noise Stress Test Database kinds (synthetic or recorded), added to a
  recording at a signal-to-noise ratio.
- :func:`read_wfdb_header`, :func:`read_wfdb_record`,
  :func:`read_wfdb_annotation`: one WFDB record's header, a lead of it
  (resampled on request) and an annotation file.

Data folders default to ``$SKLEARN_ECG_DATA/<dataset>`` or
``~/sklearn_ecg_data/<dataset>`` (see :func:`get_data_home`).
"""

from ._base import get_data_home, read_wfdb_header, read_wfdb_record
from ._challenge import CHALLENGE_SOURCES, SNOMED_CT_NAMES, load_physionet_challenge
from ._csv import load_heartbeat_csv
from ._detections import DETECTION_CLASSES, load_wfdb_detections
from ._mitbih import AAMI_CLASSES, AAMI_SYMBOL_MAP, DS1, DS2, PACED_RECORDS, load_mitbih
from ._noise import (
    NOISE_KINDS,
    NOISE_RMS,
    NSTDB_RECORDS,
    add_noise,
    load_nstdb,
    make_ecg_noise,
)
from ._ptbdb import load_ptbdb
from ._ptbxl import PTBXL_TASKS, load_ptbxl
from ._synthetic import MULTILABEL_EFFECTS, make_ecg_beats, make_multilabel_ecg
from ._wfdb_beats import load_wfdb_beats, read_wfdb_annotation

__all__ = [
    "AAMI_CLASSES",
    "AAMI_SYMBOL_MAP",
    "CHALLENGE_SOURCES",
    "DETECTION_CLASSES",
    "DS1",
    "DS2",
    "MULTILABEL_EFFECTS",
    "NOISE_KINDS",
    "NOISE_RMS",
    "NSTDB_RECORDS",
    "PACED_RECORDS",
    "PTBXL_TASKS",
    "SNOMED_CT_NAMES",
    "add_noise",
    "get_data_home",
    "load_heartbeat_csv",
    "load_mitbih",
    "load_nstdb",
    "load_physionet_challenge",
    "load_ptbdb",
    "load_ptbxl",
    "load_wfdb_beats",
    "load_wfdb_detections",
    "make_ecg_beats",
    "make_ecg_noise",
    "make_multilabel_ecg",
    "read_wfdb_annotation",
    "read_wfdb_header",
    "read_wfdb_record",
]
