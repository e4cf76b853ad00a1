"""scikit-learn classifiers over the torch networks of :mod:`sklearn_ecg.nn`.

Each estimator builds its network in ``fit`` and trains it with skorch; it
clones, pickles, works in ``Pipeline``/``GridSearchCV``/``cross_validate`` and
passes scikit-learn's ``check_estimator``.
"""

from ._cnn1d import CNN1D

__all__ = ["CNN1D"]
