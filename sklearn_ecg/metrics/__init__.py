"""Metrics and plots for ECG classification.

The AAMI EC57 heartbeat report, the EC57 beat-by-beat comparison of
annotation files (PhysioNet's ``bxb``), multilabel scores for 12-lead record
classification (PTB-XL, PhysioNet/CinC), and plots built on scikit-learn's
Display objects.  matplotlib is imported only when a plot is drawn.
"""

from ._aami import aami_report
from ._ec57 import (
    EC57_LABELS,
    compare_annotation_files,
    compare_annotations,
    ec57_gross,
    ec57_report,
)
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
    "EC57_LABELS",
    "aami_confusion_matrix_display",
    "aami_report",
    "compare_annotation_files",
    "compare_annotations",
    "ec57_gross",
    "ec57_report",
    "fmax_score",
    "multilabel_auroc",
    "plot_beat_gallery",
    "plot_per_class_pr",
    "plot_per_class_roc",
    "select_thresholds",
    "sensitivity_specificity",
]
