import os
from pathlib import Path

import pytest


def _shared_data():
    root = os.environ.get("SKLEARN_ECG_DATA")
    return Path(root) if root else None


@pytest.fixture(scope="session")
def mitdb_dir():
    """The real MIT-BIH directory, or skip with the reason."""
    root = _shared_data()
    if root is None or not (root / "mitdb" / "100.hea").exists():
        pytest.skip(
            "MIT-BIH data not found: set SKLEARN_ECG_DATA to a folder holding mitdb/ "
            "(CI uses ../shared/data)"
        )
    return root / "mitdb"


@pytest.fixture(scope="session")
def cinc_dir():
    """The real PhysioNet/CinC 2020/2021 sample, or skip with the reason."""
    root = _shared_data()
    if root is None or not (root / "cinc2021_sample").is_dir():
        pytest.skip(
            "CinC 2021 sample not found: set SKLEARN_ECG_DATA to a folder holding "
            "cinc2021_sample/ (CI uses ../shared/data)"
        )
    return root / "cinc2021_sample"
