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


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_and_draws(path, monkeypatch, tmp_path):
    monkeypatch.delenv("SKLEARN_ECG_DATA", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # Examples that save a model write it to the working directory.
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
