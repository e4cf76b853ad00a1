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
from ._plot import (
    aami_confusion_matrix_display,
    plot_beat_gallery,
    plot_per_class_pr,
    plot_per_class_roc,
)

__all__ = [
    "aami_confusion_matrix_display",
    "aami_report",
    "fmax_score",
    "multilabel_auroc",
    "plot_beat_gallery",
    "plot_per_class_pr",
    "plot_per_class_roc",
    "select_thresholds",
    "sensitivity_specificity",
]
