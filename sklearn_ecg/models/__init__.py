"""scikit-learn classifiers over the torch networks of :mod:`sklearn_ecg.nn`.

Each estimator builds its network in ``fit`` and trains it with skorch; it
clones, pickles, works in ``Pipeline``/``GridSearchCV``/``cross_validate`` and
passes scikit-learn's ``check_estimator``.

- :class:`CNN1D`: residual CNN for heartbeats (Kachuee et al., 2018).
- :class:`IncepSE`: InceptionTime + squeeze-and-excitation for multi-lead records.
- :class:`AlexNetImage`: AlexNet for signals turned into images.

:class:`IrregularRhythmGate` wraps any classifier of context rows and
withholds premature-beat labels where the rhythm is irregular (atrial
fibrillation or flutter); :class:`SpecialistClassifier` lets a second model,
trained on a group of classes alone (S and V ectopic beats), share out the
probability a classifier gives that group; :class:`LeadSubsetClassifier`
fits a classifier on the rows of some leads alone, so an ensemble's members
can learn from different leads.
"""

from ._alexnet import AlexNetImage
from ._cnn1d import CNN1D
from ._gate import IrregularRhythmGate
from ._incepse import IncepSE
from ._lead_subset import LeadSubsetClassifier
from ._specialist import SpecialistClassifier

__all__ = [
    "AlexNetImage",
    "CNN1D",
    "IncepSE",
    "IrregularRhythmGate",
    "LeadSubsetClassifier",
    "SpecialistClassifier",
]
