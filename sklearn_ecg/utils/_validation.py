"""Input validation for signal arrays: ``(n, T)`` or ``(n, C, T)``."""

import numpy as np

from ._sklearn_compat import validate_data

_SHAPES = (
    "a 2-D array (n_samples, n_times) or a 3-D array (n_samples, n_channels, n_times)"
)


def check_signal_shape(X, *, name="X", ndims=(2, 3), min_times=1):
    """Raise ``ValueError`` unless ``X`` has an accepted rank and length.

    Parameters
    ----------
    X : ndarray
        Array to check.
    name : str, default="X"
        Name used in the error message.
    ndims : tuple of int, default=(2, 3)
        Accepted numbers of dimensions.
    min_times : int, default=1
        Smallest accepted size of the last axis.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.utils import check_signal_shape
    >>> check_signal_shape(np.zeros((4, 10)))
    >>> check_signal_shape(np.zeros(10))
    Traceback (most recent call last):
    ...
    ValueError: X must be a 2-D array (n_samples, n_times) or a 3-D array (n_samples, n_channels, n_times); got an array of shape (10,).
    """
    if X.ndim not in ndims:
        expected = (
            _SHAPES
            if tuple(ndims) == (2, 3)
            else f"a {' or '.join(f'{d}-D' for d in ndims)} array"
        )
        raise ValueError(f"{name} must be {expected}; got an array of shape {X.shape}.")
    if X.shape[-1] < min_times:
        raise ValueError(
            f"{name} has {X.shape[-1]} time samples per row but at least {min_times} "
            f"are needed; got an array of shape {X.shape}."
        )


def validate_signal(
    estimator, X, *, reset, ndims=(2, 3), min_times=1, y=None, **kwargs
):
    """Validate ``X`` (and ``y``) like :func:`sklearn.utils.validation.validate_data`.

    Accepts 2-D or 3-D float arrays, keeps float32 and float64 (anything else
    becomes float64), rejects NaN and infinity, and checks the rank before the
    number of features, so a wrong rank is reported as such.  With
    ``reset=True`` the estimator's ``n_features_in_`` is set (``X.shape[1]``,
    the sklearn convention), and ``input_shape_`` records ``X.shape[1:]``;
    with ``reset=False`` both are checked: the rank and every size but the
    first must equal those seen in ``fit``, so a transformer never applies
    what it learnt (or checked) on one length to another.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator being fitted or applied.
    X : array-like
        Signals of shape ``(n, T)`` or ``(n, C, T)``.
    reset : bool
        ``True`` in ``fit``, ``False`` in ``transform``/``predict``.
    ndims : tuple of int, default=(2, 3)
        Accepted ranks.
    min_times : int, default=1
        Smallest accepted length of the last axis.
    y : array-like, default=None
        Targets, validated together with ``X`` when given.
    **kwargs
        Passed on to ``validate_data``.

    Returns
    -------
    X or (X, y)
        The validated arrays.
    """
    kwargs.setdefault("dtype", [np.float32, np.float64])
    if not reset and hasattr(estimator, "input_shape_"):
        # a change of rank, or of channels, is reported as such, not as a change of
        # n_features (scikit-learn's wording, kept for 2-D to 2-D)
        try:
            shape = np.shape(X)
        except (TypeError, ValueError):
            shape = ()
        if len(shape) >= 2 and (len(shape) > 2 or len(estimator.input_shape_) > 1):
            if tuple(shape[1:]) != tuple(estimator.input_shape_):
                _raise_shape_mismatch(estimator, shape)
    if y is not None:
        out = validate_data(estimator, X, y, reset=reset, allow_nd=True, **kwargs)
        X_checked = out[0]
    else:
        out = validate_data(estimator, X, reset=reset, allow_nd=True, **kwargs)
        X_checked = out
    check_signal_shape(X_checked, ndims=ndims, min_times=min_times)
    if reset:
        estimator.input_shape_ = tuple(X_checked.shape[1:])
    elif hasattr(estimator, "input_shape_") and tuple(X_checked.shape[1:]) != tuple(
        estimator.input_shape_
    ):
        _raise_shape_mismatch(estimator, X_checked.shape)
    return out


def _raise_shape_mismatch(estimator, shape):
    expected = ", ".join(map(str, estimator.input_shape_))
    raise ValueError(
        f"X has shape {tuple(shape)} but {type(estimator).__name__} was fitted on "
        f"arrays of shape (n_samples, {expected}); pass arrays of that shape (same rank, "
        "channels and length) or fit again on the new shape."
    )


def check_lead(X, lead, *, name="lead"):
    """Raise ``ValueError`` unless ``lead`` indexes a channel of a 3-D ``X``.

    A 2-D ``X`` is one channel and accepts any ``lead`` (it is ignored).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_times) or (n_samples, n_channels, n_times)
        Signals.
    lead : int
        Channel index.
    name : str, default="lead"
        Name of the parameter in the message.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.utils import check_lead
    >>> check_lead(np.zeros((2, 3, 10)), 2)
    >>> check_lead(np.zeros((2, 3, 10)), 3)
    Traceback (most recent call last):
    ...
    ValueError: lead=3 but X has 3 channels; expected 0 <= lead < 3.
    """
    if X.ndim == 3 and not 0 <= lead < X.shape[1]:
        raise ValueError(
            f"{name}={lead} but X has {X.shape[1]} channels; expected 0 <= {name} < {X.shape[1]}."
        )
