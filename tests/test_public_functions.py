"""Every public function validates its parameters, as scikit-learn's estimators do.

In the style of scikit-learn's ``test_public_functions.py`` and
imbalanced-learn's ``check_param_validation``: for each parameter, a value of
a type no constraint allows, and a value of an allowed type outside the
allowed range, must raise ``InvalidParameterError`` (a ``ValueError`` and a
``TypeError``) naming the parameter and the function, before any work is done.
"""

import inspect

import pytest

import sklearn_ecg.datasets
import sklearn_ecg.metrics
import sklearn_ecg.preprocessing
from sklearn_ecg.utils._sklearn_compat import (
    InvalidParameterError,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)

_ROOMS = (sklearn_ecg.datasets, sklearn_ecg.metrics, sklearn_ecg.preprocessing)


def public_functions():
    """(qualified name, function) of every public function of the rooms."""
    return [
        (f"{room.__name__}.{name}", obj)
        for room in _ROOMS
        for name in room.__all__
        if inspect.isfunction(obj := getattr(room, name))
    ]


def test_public_functions_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in public_functions()}
    assert {
        "load_mitbih", "load_ptbxl", "load_ptbdb", "load_physionet_challenge", "load_heartbeat_csv",
        "make_ecg_beats", "make_multilabel_ecg", "get_data_home", "aami_report",
        "sensitivity_specificity", "multilabel_auroc", "fmax_score", "select_thresholds",
        "detect_beats", "segment_recording", "plot_beat_gallery",
    } <= names  # fmt: skip


def _valid_value(constraints):
    """A value the first constraint accepts."""
    if constraints == "no_validation":
        return 1
    return generate_valid_param(make_constraint(constraints[0]))


@pytest.mark.parametrize(
    "func_name, func", public_functions(), ids=[n for n, _ in public_functions()]
)
def test_function_param_validation(func_name, func):
    constraints = getattr(func, "_skl_parameter_constraints", None)
    assert constraints is not None, f"{func_name} is not decorated with validate_params"
    signature = inspect.signature(func)
    params = [
        p
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    assert set(constraints) == {p.name for p in params}, (
        f"{func_name}: the constraints do not list exactly the parameters of its signature"
    )
    required = {
        p.name: _valid_value(constraints[p.name])
        for p in params
        if p.default is p.empty
    }
    short_name = func.__name__
    bad_type = type("BadType", (), {})()
    for p in params:
        if constraints[p.name] == "no_validation":
            continue
        match = rf"The '{p.name}' parameter of {short_name} must be .* Got .* instead."
        with pytest.raises(InvalidParameterError, match=match):
            func(**{**required, p.name: bad_type})
        for constraint in map(make_constraint, constraints[p.name]):
            try:
                bad_value = generate_invalid_param_val(constraint)
            except NotImplementedError:
                continue
            with pytest.raises(InvalidParameterError, match=match):
                func(**{**required, p.name: bad_value})
