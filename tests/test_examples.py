"""Run every gallery example in its fast, synthetic mode."""

import runpy
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("plot_*.py"))


def test_examples_are_found():
    assert len(EXAMPLES) >= 7


@pytest.fixture
def one_torch_thread():
    """The examples' networks are tiny: one thread avoids oversubscribing small CI machines."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_and_draws(path, monkeypatch, tmp_path, one_torch_thread):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # Run from an empty folder, so nothing an example writes lands in the checkout.
    monkeypatch.chdir(tmp_path)
    plt.close("all")
    try:
        runpy.run_path(str(path), run_name="__main__")
        figures = plt.get_fignums()
        assert figures, f"{path.name} drew no figure"
        for num in figures:
            fig = plt.figure(num)
            assert fig.axes, f"{path.name}: figure {num} has no axes"
    finally:
        plt.close("all")
