"""GaussianDerivativeFeatures: equal to scipy's Gaussian filters, exact on polynomials."""

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter1d
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_ecg._kernels import MAX_ORDER
from sklearn_ecg.preprocessing import GaussianDerivativeFeatures


@pytest.mark.parametrize(
    "sigma, order, truncate",
    [(2.0, 2, 4.0), (0.7, 3, 4.0), (3.5, 1, 2.5), (1.0, 0, 4.0)],
)
def test_equals_scipy_gaussian_filter1d_per_order(sigma, order, truncate):
    X = np.random.default_rng(0).normal(size=(5, 120)).cumsum(axis=1)
    out = GaussianDerivativeFeatures(sigma, order, truncate=truncate).fit_transform(X)
    assert out.shape == (5, order + 1, 120)
    for n in range(order + 1):
        expected = gaussian_filter1d(
            X, sigma, order=n, mode="nearest", truncate=truncate, axis=-1
        )
        np.testing.assert_allclose(out[:, n], expected, atol=1e-10)


def test_three_d_output_is_channel_major():
    X3 = np.random.default_rng(1).normal(size=(4, 3, 80)).astype(np.float32)
    out = GaussianDerivativeFeatures(sigma=1.5, order=2).fit_transform(X3)
    assert out.shape == (4, 9, 80) and out.dtype == np.float32
    for c in range(3):
        for n in range(3):
            expected = gaussian_filter1d(
                X3[:, c], 1.5, order=n, mode="nearest", axis=-1
            )
            np.testing.assert_allclose(out[:, 3 * c + n], expected, atol=1e-5)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_derivative_of_a_polynomial_is_constant_in_the_interior(order):
    s = (np.arange(200.0) - 100) / 10  # in units of 10 samples
    a = np.array([[0.5], [-1 / 3]])
    X = a * s**order + 2.0 * s ** (order - 1)  # the lower-degree term must vanish
    # truncate=8 makes the cut-off tails negligible (at 4 sigma they leak
    # up to 1e-3 of the lower derivatives into the result, as in scipy)
    out = GaussianDerivativeFeatures(
        sigma=2.0, order=order, truncate=8.0
    ).fit_transform(X)
    interior = out[:, order, 20:-20]
    factorial = np.prod(np.arange(1, order + 1))
    expected = a * factorial / 10.0**order
    np.testing.assert_allclose(
        interior, np.broadcast_to(expected, interior.shape), rtol=1e-4
    )


def test_smoothing_keeps_the_level_and_reduces_noise():
    X = 3.0 + 0.1 * np.random.default_rng(2).normal(size=(10, 500))
    smooth = GaussianDerivativeFeatures(sigma=4.0, order=0).fit_transform(X)[:, 0]
    assert abs(smooth.mean() - 3.0) < 0.01
    assert smooth.std() < 0.3 * X.std()


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(sigma=0.0), "sigma"),
        (dict(sigma=-1.0), "sigma"),
        (dict(order=-1), "order"),
        (dict(order=1.5), "order"),
        (dict(truncate=0), "truncate"),
    ],
)
def test_bad_parameters_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        GaussianDerivativeFeatures(**params).fit(np.zeros((2, 100)))


@pytest.mark.parametrize("n_times", [2, 8])
def test_rows_shorter_than_the_kernel_match_scipy(n_times):
    X = np.random.default_rng(1).normal(size=(3, n_times))
    out = GaussianDerivativeFeatures(sigma=2.0, order=2).fit_transform(
        X
    )  # radius 8 samples
    for n in range(3):
        expected = gaussian_filter1d(X, 2.0, order=n, mode="nearest", axis=-1)
        np.testing.assert_allclose(out[:, n], expected, rtol=1e-6, atol=1e-10)


def test_order_above_the_maximum_is_refused_and_the_maximum_stays_finite():
    X = np.random.default_rng(0).normal(size=(4, 200)).astype(np.float32)
    with pytest.raises(ValueError, match="order"):
        GaussianDerivativeFeatures(order=200).fit(X)
    out = GaussianDerivativeFeatures(sigma=0.25, order=MAX_ORDER).fit_transform(X)
    assert np.isfinite(out).all()


def test_overflow_of_the_output_dtype_is_an_error():
    X = np.full((2, 50), 1e30, dtype=np.float32)
    X[:, ::2] = -1e30
    with pytest.raises(ValueError, match="overflow"):
        GaussianDerivativeFeatures(sigma=0.25, order=MAX_ORDER).fit_transform(X)


@pytest.mark.parametrize(
    "X", [np.zeros(50), np.zeros((1, 1, 1, 50)), np.full((2, 50), np.inf)]
)
def test_bad_input_raises(X):
    with pytest.raises(ValueError):
        GaussianDerivativeFeatures().fit(X)


def test_grid_search_over_sigma_and_order():
    rng = np.random.default_rng(3)
    t = np.linspace(0, 1, 64)
    y = np.repeat([0, 1], 20)
    X = np.where(y[:, None] == 1, np.sin(12 * t), np.sin(6 * t)) + 0.3 * rng.normal(
        size=(40, 64)
    )
    pipe = make_pipeline(
        GaussianDerivativeFeatures(),
        FunctionTransformer(lambda Z: Z.reshape(len(Z), -1)),
        LogisticRegression(max_iter=200),
    )
    grid = GridSearchCV(
        pipe,
        {
            "gaussianderivativefeatures__sigma": [1.0, 3.0],
            "gaussianderivativefeatures__order": [0, 2],
        },
        cv=2,
    ).fit(X, y)
    assert grid.best_score_ > 0.8
    best = grid.best_estimator_.named_steps["gaussianderivativefeatures"]
    assert best.sigma in (1.0, 3.0) and best.order in (0, 2)
    est = clone(GaussianDerivativeFeatures()).set_params(sigma=1.0, order=1)
    assert est.fit_transform(X).shape == (40, 2, 64)
