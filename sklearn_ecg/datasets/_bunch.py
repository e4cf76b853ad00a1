"""A Bunch whose renamed keys still read, with a FutureWarning naming the new key."""

import warnings

from sklearn.utils import Bunch


class _RenamedKeysBunch(Bunch):
    """Bunch in which reading an old key warns and names the key to use instead."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.__dict__["_renamed"] = {}

    def _warn_if_renamed(self, key):
        message = self.__dict__.get("_renamed", {}).get(key)
        if message is not None:
            # caller -> __getitem__/__getattr__ -> here
            warnings.warn(message, FutureWarning, stacklevel=3)

    def __getitem__(self, key):
        self._warn_if_renamed(key)
        return dict.__getitem__(self, key)

    def __getattr__(self, key):
        self._warn_if_renamed(key)
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            raise AttributeError(key) from None


def with_renamed_key(bunch, old, new, *, deprecated="0.2", removed="0.4"):
    """Return ``bunch`` with ``old`` kept as a deprecated alias of its ``new`` key.

    Reading ``bunch.old`` or ``bunch[old]`` gives the same object as ``new``
    and emits a :class:`FutureWarning` that names ``new``.

    Examples
    --------
    >>> import warnings
    >>> from sklearn.utils import Bunch
    >>> b = with_renamed_key(Bunch(target_names=["a"]), "classes", "target_names")
    >>> b.target_names
    ['a']
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     b.classes
    ['a']
    >>> print(caught[0].category.__name__, caught[0].message)
    FutureWarning The Bunch key 'classes' is deprecated in 0.2 and will be removed in 0.4; read 'target_names' instead (the same array).
    """
    out = _RenamedKeysBunch(**bunch)
    dict.__setitem__(out, old, dict.__getitem__(bunch, new))
    out.__dict__["_renamed"][old] = (
        f"The Bunch key {old!r} is deprecated in {deprecated} and will be removed "
        f"in {removed}; read {new!r} instead (the same array)."
    )
    return out
