"""Metrics and plots for ECG classification.

The AAMI EC57 heartbeat report, multilabel scores for 12-lead record
classification (PTB-XL, PhysioNet/CinC), and plots built on scikit-learn's
Display objects.  matplotlib is imported only when a plot is drawn.
"""

from ._aami import aami_report
from ._multilabel import (
    fmax_score,
    multilabel_auroc,
    select_thresholds,
    sensitivity_specificity,
)

__all__ = [
    "aami_report",
    "fmax_score",
    "multilabel_auroc",
    "select_thresholds",
    "sensitivity_specificity",
]
