"""Small helpers shared by the rooms of :mod:`sklearn_ecg`."""

from ._signal import minmax_rows, resample
from ._validation import check_lead, check_signal_shape, validate_signal

__all__ = [
    "check_lead",
    "check_signal_shape",
    "minmax_rows",
    "resample",
    "validate_signal",
]
