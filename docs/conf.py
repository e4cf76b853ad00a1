"""Sphinx configuration for the sklearn-ecg documentation."""

import importlib
import os
import re
import sys
from pathlib import Path

import sklearn_ecg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

project = "sklearn-ecg"
author = "sklearn-ecg developers"
copyright = "2026, sklearn-ecg developers"
release = version = sklearn_ecg.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.json",
    "auto_examples/*.md5",
    "auto_examples/*.pickle",
    "sg_execution_times.rst",
]
html_theme = "alabaster"
html_static_path = []
html_title = f"sklearn-ecg {release}"

autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
# Docstrings write ``ndarray of shape (n, T)`` and similar prose types; they are
# not cross-references.
numpydoc_xref_param_type = False

# The examples run in their fast, synthetic mode while the docs build unless
# SKLEARN_ECG_DATA is set in the environment that runs ``make``.
sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": str(HERE / "auto_examples"),
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py|_common\.py",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "remove_config_comments": True,
    "download_all_examples": False,
    "plot_gallery": "True",
    "within_subsection_order": "gallery_order.ExampleOrder",
    "matplotlib_animations": False,
    "show_memory": False,
    "doc_module": ("sklearn_ecg",),
    # Backreferences under the path the examples import from
    # (sklearn_ecg.models.CNN1D), which is where the API pages live.
    "prefer_full_module": {r"sklearn_ecg\."},
    "backreferences_dir": str(HERE / "generated" / "backreferences"),
    "write_computation_times": False,
}
os.environ.setdefault("MPLBACKEND", "Agg")

# --------------------------------------------------------------------------
# Keep the API reference complete: every name a room lists in ``__all__`` must
# appear in api.rst (an autosummary table or a ``.. data::`` entry), or the build fails (-W).


def _public_modules():
    """sklearn_ecg and every submodule whose name does not start with an underscore."""
    import pkgutil

    names = ["sklearn_ecg"]
    for info in pkgutil.iter_modules(sklearn_ecg.__path__):
        if not info.name.startswith("_"):
            names.append(f"sklearn_ecg.{info.name}")
    return names


API_MODULES = _public_modules()


def _public_names():
    names = {}
    for modname in API_MODULES:
        module = importlib.import_module(modname)
        for name in getattr(module, "__all__", []):
            if name.startswith("__"):
                continue
            obj = getattr(module, name)
            home = modname
            # A top-level re-export is documented once, under its own room.
            if modname == "sklearn_ecg" and hasattr(obj, "__module__"):
                room = ".".join(obj.__module__.split(".")[:2])
                # names from a private top-level module are documented at the top level
                home = modname if room.rsplit(".", 1)[-1].startswith("_") else room
            names.setdefault(name, set()).add(home)
    return names


def _documented_names(text):
    documented = set()
    current = None
    in_table = False
    for line in text.splitlines():
        m = re.match(r"\.\. currentmodule:: (\S+)", line.strip())
        if m:
            current = m.group(1)
            continue
        m = re.match(r"\.\. (?:auto)?data:: (\S+)", line.strip())
        if m:
            documented.add((current, m.group(1)))
            continue
        if line.strip().startswith(".. autosummary::"):
            in_table = True
            continue
        if in_table:
            stripped = line.strip()
            if not stripped or stripped.startswith(":"):
                continue
            if not line.startswith(" "):
                in_table = False
                continue
            documented.add((current, stripped))
    return documented


def _check_api_reference(app):
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    documented = _documented_names((HERE / "api.rst").read_text())
    for name, homes in sorted(_public_names().items()):
        if not any((home, name) in documented for home in homes):
            logger.warning(
                "public name %s (from %s) is missing from docs/api.rst",
                name,
                ", ".join(sorted(homes)),
            )


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document only the methods sklearn-ecg defines, not those of sklearn or torch."""
    if what != "class" or skip:
        return None
    if name.startswith("set_") and name.endswith("_request"):
        return True
    target = getattr(obj, "fget", obj)
    target = getattr(target, "__func__", target)
    module = getattr(target, "__module__", None)
    if module is None:
        return None
    return None if module.startswith("sklearn_ecg") else True


def setup(app):
    app.connect("builder-inited", _check_api_reference)
    app.connect("autodoc-skip-member", _skip_foreign_members)
