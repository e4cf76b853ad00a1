"""sklearn-ecg: scikit-learn compatible ECG classification with deep learning.

The public estimators are importable from the top level::

    from sklearn_ecg import BeatSegmenter, DWTDenoiser, CNN1D

and so are :func:`save_model`, :func:`load_model` and :func:`read_model_card`,
which store fitted models in files that load without running code.

They are loaded on first access, so ``import sklearn_ecg.datasets`` does not
import torch.
"""

import importlib

__version__ = "0.1.0"

_LAZY = {
    "BeatSegmenter": "sklearn_ecg.preprocessing",
    "RRFeatures": "sklearn_ecg.preprocessing",
    "RhythmFeatures": "sklearn_ecg.preprocessing",
    "MorphologyFeatures": "sklearn_ecg.preprocessing",
    "FiducialFeatures": "sklearn_ecg.preprocessing",
    "RelativeBeat": "sklearn_ecg.preprocessing",
    "DWTDenoiser": "sklearn_ecg.preprocessing",
    "GaussianDerivativeFeatures": "sklearn_ecg.preprocessing",
    "SignalToImage": "sklearn_ecg.preprocessing",
    "CNN1D": "sklearn_ecg.models",
    "IncepSE": "sklearn_ecg.models",
    "AlexNetImage": "sklearn_ecg.models",
    "IrregularRhythmGate": "sklearn_ecg.models",
    "SpecialistClassifier": "sklearn_ecg.models",
    "LeadSubsetClassifier": "sklearn_ecg.models",
    "save_model": "sklearn_ecg._persistence",
    "load_model": "sklearn_ecg._persistence",
    "read_model_card": "sklearn_ecg._persistence",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sklearn_ecg' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
