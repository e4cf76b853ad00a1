"""README.md's Python blocks run as written, on a small synthetic stand-in for MIT-BIH."""

import inspect
import re
from pathlib import Path

import numpy as np

import sklearn_ecg.datasets
from sklearn_ecg.datasets import make_ecg_beats

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks():
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _stand_in(real, calls):
    """A loader called exactly as ``real`` can be, returning synthetic context rows."""

    def loader(*args, **kwargs):
        inspect.signature(real).bind(*args, **kwargs)
        calls.append(real.__name__)
        beats = make_ecg_beats(
            n_samples=160,
            n_patients=4,
            weights=[0.6, 0.2, 0.2, 0, 0],
            context=kwargs.get("context", False),
            random_state=0,
        )
        if kwargs.get("lead") != "all":
            return beats
        # every lead: the same beats again as a second lead, as the real loaders do
        beats.update(
            **{k: np.r_[beats[k], beats[k]] for k in ("data", "target", "groups")},
            row_lead=np.repeat(["MLII", "V1"], 160),
            lead_names=["MLII", "V1"],
        )
        return beats

    return loader


def test_readme_has_the_python_blocks():
    blocks = _python_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        compile(block, str(README), "exec")


def test_readme_python_blocks_run(monkeypatch):
    calls = []
    for name in ("load_mitbih", "load_wfdb_beats"):
        real = getattr(sklearn_ecg.datasets, name)
        monkeypatch.setattr(sklearn_ecg.datasets, name, _stand_in(real, calls))
    namespace = {}
    for block in _python_blocks():
        exec(compile(block, str(README), "exec"), namespace)
    assert calls == ["load_mitbih"] * 4 + ["load_wfdb_beats"]
    train = namespace["train"]
    for model in (namespace["pipe"], namespace["model"]):
        proba = model.predict_proba(train.data[:20])
        assert proba.shape == (20, 3) and np.isfinite(proba).all()
    # all but the relative beat (63 samples at 90 Hz) reach the dense head
    features = namespace["features"].transform(train.data[:5])
    network = namespace["network"]
    assert features.shape[1] - network.n_extra_features == 63
