"""Metrics and plots for ECG classification.

The AAMI EC57 heartbeat report, multilabel scores for 12-lead record
classification (PTB-XL, PhysioNet/CinC), and plots built on scikit-learn's
Display objects.  matplotlib is imported only when a plot is drawn.
"""

from ._aami import aami_report

__all__ = [
    "aami_report",
]
