"""scikit-learn's estimator checks over every public estimator of sklearn_ecg."""

import inspect

from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import sklearn_ecg
import sklearn_ecg.preprocessing


def all_estimators():
    """Every public estimator class exported by ``sklearn_ecg`` or its preprocessing room."""
    found = {}
    for module in (sklearn_ecg, sklearn_ecg.preprocessing):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found[name] = obj
    return list(found.values())


# Small, fast settings so the checks run in seconds: smaller networks and
# kernels, fewer epochs, and a learning rate to match.  Every check still
# runs, with no expected failures.
_CHECKING_PARAMETERS = {
    "CNN1D": dict(
        n_filters=8,
        n_blocks=1,
        n_dense=16,
        max_epochs=6,
        lr=1e-2,
        batch_size=32,
        random_state=0,
    ),
    "IncepSE": dict(
        n_filters=4,
        depth=1,
        kernel_sizes=(5, 3),
        bottleneck=4,
        se_reduction=2,
        max_epochs=6,
        lr=1e-2,
        batch_size=32,
        random_state=0,
    ),
    "AlexNetImage": dict(
        width=0.125, max_epochs=6, lr=3e-3, batch_size=32, random_state=0
    ),
    "GaussianDerivativeFeatures": dict(sigma=0.25),
    "SignalToImage": dict(image_size=2),
}

# The networks with their default (full-size) parameters take minutes per
# check run; tests/test_models.py checks them under the ``slow`` marker.
_DEFAULTS_CHECKED_IN_TEST_MODELS = {"CNN1D", "IncepSE", "AlexNetImage"}


def _set_checking_parameters(estimator):
    params = _CHECKING_PARAMETERS.get(type(estimator).__name__, {})
    valid = estimator.get_params()
    return estimator.set_params(**{k: v for k, v in params.items() if k in valid})


def _instances():
    """Every estimator as a user constructs it, then with the fast settings where they differ."""
    defaults = [
        cls()
        for cls in all_estimators()
        if cls.__name__ not in _DEFAULTS_CHECKED_IN_TEST_MODELS
    ]
    fast = [
        _set_checking_parameters(cls())
        for cls in all_estimators()
        if cls.__name__ in _CHECKING_PARAMETERS
    ]
    return defaults + fast


def test_all_public_estimators_are_checked():
    names = {cls.__name__ for cls in all_estimators()}
    assert {
        "BeatSegmenter",
        "DWTDenoiser",
        "FiducialFeatures",
        "GaussianDerivativeFeatures",
        "MorphologyFeatures",
        "RelativeBeat",
        "RhythmFeatures",
        "RRFeatures",
        "SignalToImage",
        "CNN1D",
        "IncepSE",
        "AlexNetImage",
        "IrregularRhythmGate",
        "SpecialistClassifier",
        "LeadSubsetClassifier",
    } <= names
    instances = _instances()
    with_defaults = {
        type(e).__name__ for e in instances if e.get_params() == type(e)().get_params()
    }
    assert with_defaults | _DEFAULTS_CHECKED_IN_TEST_MODELS == names
    assert {type(e).__name__ for e in instances} == names


@parametrize_with_checks(_instances())
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
