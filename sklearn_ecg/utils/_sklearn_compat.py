"""The one place where sklearn-ecg uses scikit-learn's private API.

``_fit_context``, ``validate_data`` and ``validate_params`` come through
`sklearn-compat <https://github.com/sklearn-compat/sklearn-compat>`_ (as in
imbalanced-learn), which keeps them working across scikit-learn releases;
the parameter constraints (and the generators of valid and invalid values
that the tests use) come from ``sklearn.utils._param_validation``.
Every other module imports these names from here, so a scikit-learn release
that moves them needs one edit.  ``pyproject.toml`` pins the tested range.
"""

from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    RealNotInt,
    StrOptions,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)
from sklearn_compat.base import _fit_context
from sklearn_compat.utils._param_validation import validate_params
from sklearn_compat.utils.validation import validate_data

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_fit_context",
    "generate_invalid_param_val",
    "generate_valid_param",
    "make_constraint",
    "validate_data",
    "validate_params",
]
