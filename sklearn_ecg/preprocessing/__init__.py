"""Transformers from beat-centred context windows to network inputs.

Arrays in, arrays out: ``(n, T)`` or ``(n, C, T)`` float signals, float32
kept.  ``BeatSegmenter`` cuts beats, ``RRFeatures`` measures the rhythm the
cut loses, ``RhythmFeatures``, ``MorphologyFeatures`` and ``RelativeBeat`` read the
record context (R-R history, running template) that context rows carry;
``DWTDenoiser`` and ``GaussianDerivativeFeatures`` clean and
describe the waveform, ``SignalToImage`` encodes it as images.
"""

from .._context import (
    ContextLayout,
    add_context,
    context_layout,
    record_context,
    template_length,
)
from ._gaussian import GaussianDerivativeFeatures
from ._images import SignalToImage
from ._morphology import MorphologyFeatures, RelativeBeat
from ._rhythm import RRFeatures, detect_beats
from ._rhythm_history import RhythmFeatures, rhythm_irregularity
from ._segment import BeatSegmenter, segment_recording
from ._wavelet import DWTDenoiser

__all__ = [
    "BeatSegmenter",
    "ContextLayout",
    "DWTDenoiser",
    "GaussianDerivativeFeatures",
    "MorphologyFeatures",
    "RRFeatures",
    "RelativeBeat",
    "RhythmFeatures",
    "SignalToImage",
    "add_context",
    "context_layout",
    "detect_beats",
    "record_context",
    "rhythm_irregularity",
    "segment_recording",
    "template_length",
]
