"""SignalToImage: numerically equal to pyts' image transformers, batched."""

import warnings

import numpy as np
import pytest

from sklearn_ecg.preprocessing import SignalToImage


def signals(n=12, n_times=187, seed=0):
    X = np.random.default_rng(seed).normal(size=(n, n_times)).cumsum(axis=1)
    X[0] = 1.5  # flat row
    X[1, : n_times // 2] = 0.0  # many tied values: equal quantiles merge MTF bins
    return X


@pytest.fixture(scope="module")
def pyts_images():
    """``transform(X, method, image_size, **options)``: the pyts image of every row of 2-D ``X``.

    pyts compiles its numba kernels on import (about 30 s of CPU), so only
    the tests that compare with it pay for it.
    """
    from pyts.approximation import PiecewiseAggregateApproximation
    from pyts.image import GramianAngularField, MarkovTransitionField, RecurrencePlot

    def transform(X, method, image_size, **options):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method in ("gasf", "gadf"):
                kind = "summation" if method == "gasf" else "difference"
                return GramianAngularField(
                    image_size=image_size, method=kind
                ).transform(X)
            if method == "mtf":
                return MarkovTransitionField(
                    image_size=image_size,
                    n_bins=options.get("mtf_n_bins", 5),
                    strategy=options.get("mtf_strategy", "quantile"),
                ).transform(X)
            if X.shape[1] > image_size:
                X = PiecewiseAggregateApproximation(
                    window_size=None, output_size=image_size, overlapping=False
                ).transform(X)
            return RecurrencePlot(
                threshold=options.get("rp_threshold"),
                percentage=options.get("rp_percentage", 10),
            ).transform(X)

    return transform


@pytest.mark.parametrize(
    "n_times, image_size", [(187, 64), (1000, 64), (100, 100), (50, 7)]
)
@pytest.mark.parametrize("method", ["gasf", "gadf", "mtf", "rp"])
def test_equals_pyts_on_2d_input(pyts_images, method, n_times, image_size):
    X = signals(n_times=n_times)
    ours = SignalToImage(methods=(method,), image_size=image_size).fit_transform(X)
    assert (
        ours.shape == (len(X), 1, image_size, image_size) and ours.dtype == np.float64
    )
    np.testing.assert_allclose(
        ours[:, 0], pyts_images(X, method, image_size), atol=1e-6
    )


@pytest.mark.parametrize(
    "options",
    [
        dict(mtf_n_bins=8, mtf_strategy="uniform"),
        dict(mtf_n_bins=4, mtf_strategy="normal"),
        dict(mtf_n_bins=2),
        dict(rp_threshold="point", rp_percentage=20),
        dict(rp_threshold="distance", rp_percentage=30),
        dict(rp_threshold=0.5),
    ],
)
def test_equals_pyts_with_options(pyts_images, options):
    X = signals(n_times=300)
    method = "mtf" if "mtf_n_bins" in options else "rp"
    ours = SignalToImage(methods=(method,), image_size=32, **options).fit_transform(X)
    np.testing.assert_allclose(
        ours[:, 0], pyts_images(X, method, 32, **options), atol=1e-6
    )


def test_3d_input_is_channel_major_and_equals_pyts(pyts_images):
    X = signals(n=8, n_times=187).astype(np.float32)
    X3 = X.reshape(4, 2, 187)
    methods = ("rp", "gasf", "mtf")  # order kept, any subset
    out = SignalToImage(methods=methods, image_size=16).fit_transform(X3)
    assert out.shape == (4, 2 * len(methods), 16, 16) and out.dtype == np.float32
    X64 = X.astype(np.float64)
    for c in range(2):
        for i, method in enumerate(methods):
            expected = pyts_images(X64, method, 16).reshape(4, 2, 16, 16)[:, c]
            np.testing.assert_allclose(
                out[:, c * len(methods) + i], expected, atol=1e-5
            )


def test_gramian_fields_are_cosines_and_sines_of_angle_sums_and_differences():
    X = signals(n=3, n_times=64)[2:]
    gasf, gadf = SignalToImage(methods=("gasf", "gadf"), image_size=64).fit_transform(
        X
    )[0]
    x = X[0]
    phi = np.arccos(np.clip(2 * (x - x.min()) / np.ptp(x) - 1, -1, 1))
    np.testing.assert_allclose(gasf, np.cos(phi[:, None] + phi[None, :]), atol=1e-6)
    np.testing.assert_allclose(gadf, np.sin(phi[:, None] - phi[None, :]), atol=1e-6)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(methods=("gasf", "cwt")), "methods"),
        (dict(methods=()), "methods"),
        (dict(image_size=0), "image_size"),
        (dict(image_size=1.5), "image_size"),
        (dict(mtf_n_bins=1), "mtf_n_bins"),
        (dict(mtf_strategy="kmeans"), "mtf_strategy"),
        (dict(rp_threshold="nearest"), "rp_threshold"),
        (dict(rp_percentage=150), "rp_percentage"),
        (dict(sample_range=(0, 2)), "sample_range"),
    ],
)
def test_bad_parameters_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        SignalToImage(**params).fit(np.zeros((2, 100)))


@pytest.mark.parametrize(
    "image_size, n_times, side",
    [(64, 50, 50), (64, 3, 3), (64, 187, 64), (0.5, 187, 94), (1.0, 7, 7)],
)
def test_image_side_is_capped_at_the_window_length_or_a_fraction_of_it(
    image_size, n_times, side
):
    X = np.random.default_rng(0).normal(size=(2, n_times))
    if isinstance(image_size, int) and image_size > n_times:
        with pytest.warns(UserWarning, match=f"{side} x {side} pixels"):
            est = SignalToImage(image_size=image_size).fit(X)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            est = SignalToImage(image_size=image_size).fit(X)
    assert est.image_size_ == side
    assert est.transform(X).shape == (2, 4, side, side)


def test_short_windows_equal_pyts_at_their_own_length(pyts_images):
    X = np.random.default_rng(0).normal(size=(3, 20))
    with pytest.warns(UserWarning, match="image_size=64 is larger than the rows"):
        ours = SignalToImage(methods=("gasf",)).fit_transform(X)
    np.testing.assert_allclose(ours[:, 0], pyts_images(X, "gasf", 20), atol=1e-6)


@pytest.mark.parametrize(
    "X", [np.zeros(100), np.zeros((1, 1, 1, 100)), np.full((2, 100), np.nan)]
)
def test_bad_input_raises(X):
    with pytest.raises(ValueError):
        SignalToImage().fit(X)
