"""Small helpers shared by the rooms of :mod:`sklearn_ecg`."""

from ._validation import check_signal_shape, validate_signal

__all__ = ["check_signal_shape", "validate_signal"]
