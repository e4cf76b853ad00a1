"""Transformers from beat-centred context windows to network inputs.

Arrays in, arrays out: ``(n, T)`` or ``(n, C, T)`` float signals, float32
kept.  ``BeatSegmenter`` cuts beats, ``RRFeatures`` measures the rhythm the
cut loses, ``DWTDenoiser`` and ``GaussianDerivativeFeatures`` clean and
describe the waveform, ``SignalToImage`` encodes it as images.
"""

from ._gaussian import GaussianDerivativeFeatures
from ._images import SignalToImage
from ._rhythm import RRFeatures, detect_beats
from ._segment import BeatSegmenter, segment_recording
from ._wavelet import DWTDenoiser

__all__ = [
    "BeatSegmenter",
    "DWTDenoiser",
    "GaussianDerivativeFeatures",
    "RRFeatures",
    "SignalToImage",
    "detect_beats",
    "segment_recording",
]
