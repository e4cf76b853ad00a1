"""``python -m sklearn_ecg``: the command line (see :mod:`sklearn_ecg._cli`).

``python -m sklearn_ecg --help`` lists the commands (run, train, annotate,
evaluate); with no command the main job runs: train a beat classifier and
evaluate it patient-wise.
"""

import sys

from ._cli import console, main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(console(sys.argv[1:]))
