"""Tests of the pure torch modules in sklearn_ecg.nn."""

import math
import subprocess
import sys

import numpy as np
import pytest
import torch
from scipy.ndimage import gaussian_filter1d

from sklearn_ecg.nn import (
    AlexNetImageModule,
    CNN1DModule,
    DeepGaussianFilter,
    GeneratorDropout,
    IncepSEModule,
    init_parameters,
    set_dropout_generator,
)


def _signals(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("order", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("sigma", [0.8, 2.5])
def test_gaussian_filter_matches_scipy(order, sigma):
    x = _signals((3, 2, 70))
    layer = DeepGaussianFilter(2, order=order, sigma=sigma).double()
    with torch.no_grad():
        layer.log_sigma.fill_(math.log(sigma))  # exact in float64
    out = layer(torch.from_numpy(x)).detach().numpy()
    assert out.shape == (3, 2 * (order + 1), 70)
    for c in range(2):
        for n in range(order + 1):
            expected = gaussian_filter1d(
                x[:, c], sigma, axis=-1, order=n, mode="nearest", truncate=4.0
            )
            # channel-major layout: channel c, order n at c * (order + 1) + n
            np.testing.assert_allclose(
                out[:, c * (order + 1) + n], expected, rtol=1e-9, atol=1e-11
            )


def test_gaussian_filter_per_channel_widths():
    x = _signals((2, 3, 50))
    layer = DeepGaussianFilter(
        3, order=2, sigma=1.0, per_channel=True, max_sigma=3.0
    ).double()
    widths = np.array([0.7, 1.5, 3.0])
    with torch.no_grad():
        layer.log_sigma.copy_(torch.log(torch.from_numpy(widths))[:, None])
    np.testing.assert_allclose(layer.sigma.numpy(), widths)
    out = layer(torch.from_numpy(x)).detach().numpy()
    for c, s in enumerate(widths):
        # the same kernel support as the layer: radius fixed from max_sigma
        truncate = layer.radius / s
        for n in range(3):
            expected = gaussian_filter1d(
                x[:, c], s, axis=-1, order=n, mode="nearest", truncate=truncate
            )
            np.testing.assert_allclose(
                out[:, 3 * c + n], expected, rtol=1e-9, atol=1e-11
            )


@pytest.mark.parametrize("order", [3, 4])
def test_gaussian_filter_high_orders_match_finite_differences(order):
    t = np.arange(400)
    x = np.sin(2 * np.pi * t / 60) + 0.5 * np.cos(2 * np.pi * t / 90)
    # a wide support: a kernel cut at 4 widths misses ~8 % of the third moment
    layer = DeepGaussianFilter(1, order=order, sigma=3.0, truncate=8.0).double()
    out = layer(torch.from_numpy(x)[None, None]).detach().numpy()[0]
    derivative = out[0]
    for _ in range(order):
        derivative = np.gradient(derivative)
    interior = slice(60, -60)
    scale = np.abs(out[order, interior]).max()
    np.testing.assert_allclose(
        derivative[interior], out[order, interior], atol=0.02 * scale
    )


def test_gaussian_filter_sigma_is_learned():
    torch.manual_seed(0)
    x = torch.randn(16, 1, 80)
    target = torch.from_numpy(
        gaussian_filter1d(x.numpy(), 4.0, axis=-1, mode="nearest")
    ).float()
    layer = DeepGaussianFilter(1, order=0, sigma=2.0, max_sigma=8.0)
    loss = torch.nn.functional.mse_loss(layer(x), target)
    loss.backward()
    grad = layer.log_sigma.grad
    assert grad is not None and torch.isfinite(grad).all() and grad.abs().sum() > 0
    optimizer = torch.optim.Adam(layer.parameters(), lr=0.05)
    for _ in range(60):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(layer(x), target).backward()
        optimizer.step()
    assert abs(float(layer.sigma[0]) - 4.0) < 0.5


def test_gaussian_filter_width_stays_positive_and_bounded():
    layer = DeepGaussianFilter(1, order=1, sigma=2.0, max_sigma=3.0)
    assert layer.radius == 12
    with torch.no_grad():
        layer.log_sigma.fill_(-50.0)
    assert float(layer.sigma[0]) > 0
    with torch.no_grad():
        layer.log_sigma.fill_(10.0)
    assert float(layer.sigma[0]) == pytest.approx(3.0)
    assert torch.isfinite(layer(torch.randn(2, 1, 30))).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sigma=0.0), "sigma"),
        (dict(order=-1), "order"),
        (dict(sigma=2.0, max_sigma=1.0), "max_sigma"),
    ],
)
def test_gaussian_filter_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DeepGaussianFilter(1, **kwargs)


@pytest.mark.parametrize("n_times", [1, 2, 7, 187])
@pytest.mark.parametrize("gaussian_order", [None, 2])
def test_signal_networks_take_any_length(n_times, gaussian_order):
    cnn = CNN1DModule(2, 4, n_filters=4, n_blocks=5, gaussian_order=gaussian_order)
    incep = IncepSEModule(2, 4, n_filters=4, depth=3, gaussian_order=gaussian_order)
    x = torch.randn(3, 2, n_times)
    assert cnn(x).shape == (3, 4)
    assert incep(x).shape == (3, 4)
    assert CNN1DModule(1, 3, n_filters=4)(torch.randn(3, n_times)).shape == (3, 3)


@pytest.mark.parametrize("size", [(1, 1), (1, 7), (15, 15), (40, 33)])
def test_alexnet_takes_any_image_size(size):
    net = AlexNetImageModule(3, 5, width=0.125)
    assert net(torch.randn(2, 3, *size)).shape == (2, 5)


@pytest.mark.parametrize("cls", [CNN1DModule, IncepSEModule])
def test_extra_features_skip_the_convolutions(cls):
    torch.manual_seed(0)
    net = cls(
        1,
        2,
        n_filters=4,
        n_extra_features=3,
        extra_mean=[1.0, 0.0, 0.0],
        extra_scale=[2.0, 1.0, 1.0],
    ).eval()
    x = torch.randn(4, 50 + 3)
    changed = x.clone()
    changed[:, -1] += 5.0
    assert not torch.allclose(net(x), net(changed))
    # the standardised tabular columns are what the dense head receives
    z = net.features(x[:, :-3].unsqueeze(1))
    extra = (x[:, -3:] - torch.tensor([1.0, 0.0, 0.0])) / torch.tensor([2.0, 1.0, 1.0])
    expected = net.output(net.dense(torch.cat([z, extra], 1)))
    torch.testing.assert_close(net(x), expected)


@pytest.mark.parametrize(
    "net",
    [
        CNN1DModule(1, 3, n_filters=4, gaussian_order=1),
        IncepSEModule(2, 3, n_filters=4, depth=3),
        AlexNetImageModule(1, 3, width=0.125),
    ],
    ids=["CNN1D", "IncepSE", "AlexNetImage"],
)
def test_freeze_blocks(net):
    blocks = net.blocks()
    k = 2
    net.freeze(k)
    net.train()
    for i, block in enumerate(blocks):
        params = list(block.parameters())
        assert params and all(p.requires_grad == (i >= k) for p in params)
        modules = [m for m in block.modules() if m is not block] or [block]
        assert all(m.training == (i >= k) for m in modules)
    assert all(p.requires_grad for p in net.output.parameters())
    with pytest.raises(ValueError, match="n_blocks"):
        net.freeze(len(blocks) + 1)


def test_nn_does_not_import_sklearn():
    code = (
        "import sys, sklearn_ecg.nn; "
        "bad = [m for m in sys.modules if m == 'sklearn' or m.startswith('sklearn.')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "net",
    [
        CNN1DModule(1, 3, n_filters=4),
        IncepSEModule(2, 3, n_filters=4, depth=3),
        AlexNetImageModule(1, 3, width=0.125),
    ],
    ids=["CNN1D", "IncepSE", "AlexNetImage"],
)
def test_head_is_declared_and_can_be_replaced(net):
    head = net.head()
    head_params = {id(p) for p in head.parameters()}
    assert all(
        id(p) not in head_params for block in net.blocks() for p in block.parameters()
    )
    assert net.head_state_keys() == {"output.weight", "output.bias"}
    new = net.reset_head(7, torch.Generator().manual_seed(0))
    assert (
        net.head() is new
        and new.out_features == 7
        and new.in_features == head.in_features
    )
    x = (
        torch.zeros(2, 1, 16, 16)
        if isinstance(net, AlexNetImageModule)
        else torch.zeros(2, net.in_channels, 40)
    )
    net.eval()
    assert net(x).shape == (2, 7)


def test_init_parameters_is_reproducible_and_leaves_the_global_generator_alone():
    a = init_parameters(
        IncepSEModule(2, 3, n_filters=4, depth=3), torch.Generator().manual_seed(1)
    )
    module = IncepSEModule(2, 3, n_filters=4, depth=3)
    state = torch.get_rng_state()
    b = init_parameters(module, torch.Generator().manual_seed(1))
    assert torch.equal(torch.get_rng_state(), state)
    c = init_parameters(
        IncepSEModule(2, 3, n_filters=4, depth=3), torch.Generator().manual_seed(2)
    )
    for (name, pa), pb, pc in zip(a.named_parameters(), b.parameters(), c.parameters()):
        torch.testing.assert_close(pa, pb, rtol=0, atol=0)
        if name.endswith("weight") and pa.dim() > 1:
            assert not torch.equal(pa, pc), name
    weight = a.output.weight
    bound = 1 / math.sqrt(weight.shape[1])
    assert weight.abs().max() <= bound and weight.std() > bound / 4


def test_generator_dropout_uses_only_its_generator():
    net = AlexNetImageModule(1, 3, width=0.125, dropout=0.5).train()
    x = torch.randn(4, 1, 12, 12)
    outputs = []
    for _ in range(2):
        set_dropout_generator(net, torch.Generator().manual_seed(0))
        state = torch.get_rng_state()
        outputs.append(net(x))
        assert torch.equal(torch.get_rng_state(), state)
    torch.testing.assert_close(outputs[0], outputs[1], rtol=0, atol=0)
    set_dropout_generator(net, torch.Generator().manual_seed(1))
    assert not torch.equal(net(x), outputs[0])
    layer = GeneratorDropout(0.5).train()
    layer.generator = torch.Generator().manual_seed(0)
    kept = layer(torch.ones(10000))
    assert (
        set(kept.unique().tolist()) == {0.0, 2.0}
        and abs(kept.mean().item() - 1.0) < 0.05
    )
