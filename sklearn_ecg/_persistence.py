"""Model files that load without running code from the file.

A model file is a zip archive holding

- ``model.skops``: the fitted estimator graph (a pipeline, a search, a single
  estimator), written by :mod:`skops.io`.  Loading it builds only objects
  whose types are on an allow-list; nothing in the file is executed.
- ``networks/<i>.safetensors``: the weights of every network estimator of
  the graph (skorch nets cannot go through skops), in the ``safetensors``
  format (tensors only, no code).  The network estimators in
  ``model.skops`` carry their hyper-parameters and fitted attributes, and
  are rebuilt around these weights without training.
- ``card.json``: the model card (format version, the SHA-256 of every other
  member, classes, what the model expects, package versions, anything the
  caller adds such as training records and validation scores).
"""

import copy
import hashlib
import importlib
import json
import os
import platform
import tempfile
import zipfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = ["load_model", "read_model_card", "save_model"]

FORMAT = "sklearn-ecg model"
FORMAT_VERSION = 1

_GRAPH = "model.skops"
_CARD = "card.json"
_FITTED_KEY = "_sklearn_ecg_saved_network"
_RESERVED = (
    "format",
    "format_version",
    "files",
    "versions",
    "created",
    "estimator",
    "classes",
)

# Classes from these packages may be built from a model file; functions only
# from the last group, and never the numpy functions that read or write files.
_TRUSTED_CLASS_MODULES = (
    "sklearn",
    "imblearn",
    "sklearn_ecg",
    "numpy",
    "scipy.sparse",
    "torch.optim",
)
_TRUSTED_FUNCTION_MODULES = (
    "numpy",
    "sklearn.preprocessing",
    "sklearn.metrics",
    "sklearn_ecg",
)
_FILE_FUNCTIONS = {
    "load",
    "save",
    "savez",
    "savez_compressed",
    "loadtxt",
    "savetxt",
    "genfromtxt",
    "fromfile",
    "fromregex",
    "memmap",
    "open_memmap",
}
# Training-time parameters holding objects (a transfer-learning source, skorch
# callbacks): saved as None, since they play no part in prediction.
_TRAINING_OBJECTS = ("warm_start_from", "callbacks")
_VERSIONED = (
    "sklearn-ecg",
    "numpy",
    "scipy",
    "scikit-learn",
    "imbalanced-learn",
    "torch",
    "skorch",
    "skops",
    "safetensors",
    "wfdb",
)


def _network_base():
    from .models._base import BaseNetworkClassifier

    return BaseNetworkClassifier


def _walk(obj, visit, seen):
    """Call ``visit`` on every object reachable through attributes, lists, tuples and dicts."""
    if id(obj) in seen or isinstance(
        obj, (str, bytes, int, float, bool, type(None), np.ndarray, np.generic)
    ):
        return
    seen.add(id(obj))
    if visit(obj):
        return
    if isinstance(obj, dict):
        children = obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        children = obj
    elif hasattr(obj, "__dict__") and type(obj).__module__.split(".")[0] in (
        "sklearn",
        "imblearn",
        "sklearn_ecg",
    ):
        children = vars(obj).values()
    else:
        return
    for child in list(children):
        _walk(child, visit, seen)


def _networks(estimator):
    """Every fitted network estimator reachable from ``estimator``, in a stable order."""
    base = _network_base()
    found = []

    def visit(obj):
        if isinstance(obj, base):
            if hasattr(obj, "net_"):
                found.append(obj)
            return True
        return False

    _walk(estimator, visit, set())
    return found


def _is_trusted(name, extra):
    if name in extra:
        return True
    module, _, attr = name.rpartition(".")

    def under(prefixes):
        return any(module == p or module.startswith(p + ".") for p in prefixes)

    if not under(_TRUSTED_CLASS_MODULES + _TRUSTED_FUNCTION_MODULES):
        return False  # never import a module the allow-list does not name
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return False
    if isinstance(obj, type):
        return under(_TRUSTED_CLASS_MODULES)
    return (
        callable(obj)
        and under(_TRUSTED_FUNCTION_MODULES)
        and attr not in _FILE_FUNCTIONS
    )


def _untrusted(types, extra):
    return sorted(t for t in types if not _is_trusted(t, extra))


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _versions():
    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    from . import __version__

    out["sklearn-ecg"] = __version__
    return out


def _json_ready(card):
    try:
        return json.loads(json.dumps(card))
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"card must hold JSON-serialisable values (str, numbers, lists, dicts, None); {exc}."
        ) from None


def _check_card(card):
    """``ValueError`` naming a conventional card field that holds the wrong kind of value."""
    fs = card.get("fs")
    if fs is not None and (
        isinstance(fs, bool) or not isinstance(fs, (int, float)) or not fs > 0
    ):
        raise ValueError(
            f"card['fs'] must be the positive sampling frequency (Hz) of the rows the model "
            f"expects; got {fs!r}."
        )
    rows = card.get("segment_recording")
    if rows is not None and not isinstance(rows, dict):
        raise ValueError(
            "card['segment_recording'] must be a dict of segment_recording keyword arguments "
            f"(e.g. {{'window': 4.0}}); got {rows!r}."
        )
    for key in ("leads", "databases", "records"):
        value = card.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise ValueError(
                f"card[{key!r}] must be a list of names (strings), e.g. ['MLII']; got {value!r}."
            )


def save_model(estimator, path, *, card=None, trusted=None):
    """Save a fitted estimator or pipeline to a model file that loads without running code.

    The file is a zip archive: the estimator graph written by
    :mod:`skops.io`, the weights of every network estimator
    (:class:`~sklearn_ecg.CNN1D`, :class:`~sklearn_ecg.IncepSE`,
    :class:`~sklearn_ecg.AlexNetImage`, wherever they sit in the graph) as
    ``safetensors``, and ``card.json``, the model card.  The card records the
    SHA-256 of the other members (checked by :func:`load_model`), the
    classes, the package versions and whatever ``card`` adds.  An existing
    file at ``path`` is replaced.

    Use it to keep a model and to share it; :func:`joblib.dump` keeps
    working too, but a joblib (pickle) file runs code when it is loaded.

    Parameters
    ----------
    estimator : estimator
        A fitted estimator: a pipeline, a search object, a single estimator.
        Every object in it must be a scikit-learn, imbalanced-learn,
        sklearn-ecg or numpy type (or be named in ``trusted``).
    path : str or path-like
        File to write (by convention ``.skecg`` or ``.zip``).
    card : dict, default=None
        Extra JSON-serialisable fields of the model card.  Conventional keys,
        read by :func:`sklearn_ecg.annotation.annotate_record` (and so by
        ``python -m sklearn_ecg annotate``): ``fs`` (sampling frequency of
        the rows the model expects, Hz), ``segment_recording`` (the keyword
        arguments of :func:`~sklearn_ecg.preprocessing.segment_recording`
        that cut rows like the training rows, e.g. ``{"window": 4.0}``),
        ``leads`` (the leads it was trained on, e.g. ``["MLII"]``).  What it
        learned from: ``databases`` (folder names, e.g. ``["mitdb"]``),
        ``records`` (training records); and ``scores`` (validation scores),
        ``description``.  Conventional keys are checked: ``fs`` a positive
        number, ``segment_recording`` a dict, ``leads``, ``databases`` and
        ``records`` lists of strings.
    trusted : list of str, default=None
        Further types (``"module.Name"``) the graph may hold; the same list
        must then be given to :func:`load_model`.

    Returns
    -------
    path : pathlib.Path
        The written file.

    See Also
    --------
    load_model : Load the file back.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_ecg import load_model, save_model
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> model = LogisticRegression().fit(X, y)
    >>> path = save_model(model, f"{tempfile.mkdtemp()}/model.skecg", card={"fs": 360})
    >>> loaded, card = load_model(path, return_card=True)
    >>> loaded.predict([[0.2], [2.8]]).tolist(), card["fs"], card["classes"]
    ([0, 1], 360, [0, 1])
    """
    import skops.io as sio
    from safetensors.torch import save as save_tensors
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(estimator)
    except TypeError:
        raise TypeError(
            f"estimator must be a scikit-learn estimator; got {type(estimator).__name__}."
        ) from None
    extra_trusted = set(trusted or ())
    user_card = _json_ready(dict(card or {}))
    clash = sorted(set(user_card) & set(_RESERVED))
    if clash:
        raise ValueError(
            f"card must not set {clash}: save_model writes these fields itself."
        )
    _check_card(user_card)

    members = {}
    memo = {}
    for i, network in enumerate(_networks(estimator)):
        attributes, weights = network._fitted_state()
        name = f"networks/{i}.safetensors"
        members[name] = save_tensors({k: v.contiguous() for k, v in weights.items()})
        # The hyper-parameters only; the fitted attributes travel in _FITTED_KEY.
        stub = object.__new__(type(network))
        params = network.get_params(deep=False)
        stub.__dict__.update(
            {
                key: copy.deepcopy(value)
                for key, value in params.items()
                if key not in _TRAINING_OBJECTS
            }
        )
        stub.__dict__.update({key: None for key in _TRAINING_OBJECTS if key in params})
        stub.__dict__[_FITTED_KEY] = {"weights": name, "attributes": attributes}
        memo[id(network)] = stub
    graph = copy.deepcopy(estimator, memo)

    try:
        data = sio.dumps(graph)
    except TypeError as exc:
        # e.g. a step fitted with set_output(transform="pandas") keeps pandas objects
        raise TypeError(
            f"{type(estimator).__name__} holds an object skops cannot store ({exc}). Steps "
            'fitted with set_output(transform="pandas") keep pandas objects: fit a clone with '
            'set_output(transform="default") to save a model file, or use joblib.'
        ) from exc
    untrusted = _untrusted(sio.get_untrusted_types(data=data), extra_trusted)
    if untrusted:
        raise TypeError(
            f"{type(estimator).__name__} holds objects of types {untrusted}, which a model file cannot "
            "hold safely (only scikit-learn, imbalanced-learn, sklearn-ecg and numpy types). Pass "
            "trusted=[...] naming them here and to load_model if you trust them, or use joblib."
        )
    members = {_GRAPH: data, **members}
    classes = getattr(estimator, "classes_", None)
    full_card = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "estimator": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "classes": None if classes is None else np.asarray(classes).tolist(),
        "versions": _versions(),
        **user_card,
        "files": {name: _sha256(blob) for name, blob in members.items()},
    }
    full_card = _json_ready(full_card)

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"path {str(path)!r} is a folder; give a file name such as {str(path / 'model.skecg')!r}."
        )
    try:
        fd, tmp = tempfile.mkstemp(
            dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}."
        )
    except OSError as exc:
        raise OSError(
            f"Cannot write the model file {str(path)!r}: {exc.strerror or exc}. Choose a folder "
            "that exists and that you can write to."
        ) from exc
    try:
        with (
            os.fdopen(fd, "wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive,
        ):
            archive.writestr(_CARD, json.dumps(full_card, indent=2))
            for name, blob in members.items():
                archive.writestr(name, blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _open(path):
    """Read and check a model file: ``(card, members)``, hashes verified."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Model file {str(path)!r} does not exist.")
    head = path.open("rb").read(4)
    if not zipfile.is_zipfile(path):
        kind = "a pickle (joblib) file" if head[:1] == b"\x80" else "not a zip archive"
        raise ValueError(
            f"{str(path)!r} is not a sklearn-ecg model file ({kind}). Model files are written by "
            "sklearn_ecg.save_model. A joblib or pickle file loads with joblib.load, which runs code "
            "from the file: only do that with files from a source you trust."
        )
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if _CARD not in names:
            raise ValueError(
                f"{str(path)!r} is a zip archive but not a sklearn-ecg model file: it has no {_CARD}."
            )
        try:
            card = json.loads(archive.read(_CARD))
        except ValueError as exc:
            raise ValueError(
                f"The model card {_CARD} of {str(path)!r} is not valid JSON ({exc}); "
                "the file is damaged."
            ) from None
        if not isinstance(card, dict) or card.get("format") != FORMAT:
            raise ValueError(
                f"{str(path)!r} is not a sklearn-ecg model file: its {_CARD} does not say "
                f"format={FORMAT!r}."
            )
        version = card.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise ValueError(
                f"{str(path)!r} has an invalid format_version {version!r}; the file is damaged."
            )
        if version > FORMAT_VERSION:
            raise ValueError(
                f"{str(path)!r} was written in model format version {version} (by sklearn-ecg "
                f"{card.get('versions', {}).get('sklearn-ecg', '?')}); this sklearn-ecg reads format "
                f"versions up to {FORMAT_VERSION}. Upgrade sklearn-ecg to load it."
            )
        files = card.get("files")
        if not isinstance(files, dict) or _GRAPH not in files:
            raise ValueError(
                f"The model card of {str(path)!r} lists no {_GRAPH}; the file is damaged."
            )
        unlisted = sorted(names - set(files) - {_CARD})
        missing = sorted(set(files) - names)
        if unlisted or missing:
            raise ValueError(
                f"{str(path)!r} does not hold the members its card lists (missing: {missing}, not "
                f"listed: {unlisted}); the file is damaged or was modified."
            )
        members = {}
        for name, expected in files.items():
            data = archive.read(name)
            found = _sha256(data)
            if found != expected:
                raise ValueError(
                    f"SHA-256 mismatch for {name!r} in model file {str(path)!r}: the card records "
                    f"{expected}, the file holds {found}. The file is damaged or was modified; do not "
                    "use it, save the model again."
                )
            members[name] = data
    return card, members


def read_model_card(path):
    """The model card of a model file, after checking the file's integrity.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save_model`.

    Returns
    -------
    card : dict
        ``format``, ``format_version``, ``created``, ``estimator``,
        ``classes``, ``versions``, ``files`` (SHA-256 per member) and the
        fields given to :func:`save_model` as ``card``.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn_ecg import read_model_card, save_model
    >>> path = save_model(DummyClassifier().fit([[0], [1]], ["N", "V"]),
    ...                   f"{tempfile.mkdtemp()}/m.skecg", card={"records": ["100"]})
    >>> card = read_model_card(path)
    >>> card["classes"], card["records"], card["format_version"]
    (['N', 'V'], ['100'], 1)
    """
    return _open(path)[0]


def load_model(path, *, trusted=None, return_card=False):
    """Load a model file written by :func:`save_model`, running no code from it.

    The SHA-256 of every member is checked against the card first, so a
    damaged or modified file fails with an error naming the member.  The
    estimator graph is then built by :mod:`skops.io` from an allow-list of
    types (scikit-learn, imbalanced-learn, sklearn-ecg, numpy classes and a
    few numpy / scikit-learn functions such as :func:`numpy.asarray`); a type
    outside it raises ``TypeError`` before anything is built.  Network
    weights come from ``safetensors`` onto the CPU, or onto the GPU when the
    estimator's ``device`` asks for one and one is present, so a model
    trained on a GPU predicts on a CPU-only machine.  Predictions are
    identical to those of the saved estimator.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save_model`.
    trusted : list of str, default=None
        Further types (``"module.Name"``) to accept, as given to
        :func:`save_model`.
    return_card : bool, default=False
        Also return the model card.

    Returns
    -------
    estimator : estimator
        The fitted estimator.
    card : dict
        The model card (only with ``return_card=True``, see
        :func:`read_model_card`).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        ``path`` is not a model file (a pickle, another archive, a text
        file), was written in a newer format version, or is damaged.
    TypeError
        The graph holds a type outside the allow-list.

    See Also
    --------
    save_model : Write a model file.
    read_model_card : The card alone.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_ecg import load_model, save_model
    >>> model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], ["N", "N", "V", "V"])
    >>> path = save_model(model, f"{tempfile.mkdtemp()}/model.skecg")
    >>> load_model(path).predict([[0.1], [2.9]]).tolist()
    ['N', 'V']
    """
    import skops.io as sio
    from safetensors.torch import load as load_tensors

    card, members = _open(path)
    data = members[_GRAPH]
    try:
        types = sio.get_untrusted_types(data=data)
    except Exception as exc:  # skops raises many types on a malformed graph
        raise ValueError(
            f"The estimator graph of {str(path)!r} cannot be read ({exc})."
        ) from exc
    untrusted = _untrusted(types, set(trusted or ()))
    if untrusted:
        raise TypeError(
            f"Model file {str(path)!r} holds objects of types {untrusted}, which are not on the "
            "allow-list of scikit-learn, imbalanced-learn, sklearn-ecg and numpy types; nothing was "
            "loaded. If you trust the file's source, pass trusted=[...] naming them."
        )
    estimator = sio.loads(data, trusted=types)
    base = _network_base()

    def restore(obj):
        if isinstance(obj, base) and _FITTED_KEY in obj.__dict__:
            saved = obj.__dict__.pop(_FITTED_KEY)
            weights = load_tensors(members[saved["weights"]])
            obj._restore(saved["attributes"], weights)
            return True
        return False

    _walk(estimator, restore, set())
    return (estimator, card) if return_card else estimator
