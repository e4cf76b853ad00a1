"""Transformers from beat-centred context windows to network inputs.

Arrays in, arrays out: ``(n, T)`` or ``(n, C, T)`` float signals, float32
kept.  ``detect_r_peaks`` finds the R-peaks of a whole recording,
``qrs_agreement`` scores how readable the signal around each is, and
``segment_recording`` cuts context rows there; ``BeatSegmenter`` cuts beats
(``detect_beats`` finds them in a window); ``RhythmFeatures``, ``MorphologyFeatures`` and ``RelativeBeat``
read the record context (R-R history, running template) that context rows
carry, laid out as ``context_layout`` describes; ``DWTDenoiser`` and
``GaussianDerivativeFeatures`` clean and describe the waveform,
``SignalToImage`` encodes it as images.  ``RRFeatures`` (rhythm from the
4 s window alone) is deprecated in favour of ``RhythmFeatures``.
"""

from .._context import (
    ContextLayout,
    add_context,
    context_layout,
    record_context,
    template_length,
)
from ._beat_detection import detect_beats
from ._fiducial import FiducialFeatures
from ._gaussian import GaussianDerivativeFeatures
from ._images import SignalToImage
from ._morphology import MorphologyFeatures, RelativeBeat
from ._quality import qrs_agreement
from ._r_peaks import detect_r_peaks
from ._rhythm_history import RhythmFeatures, rhythm_irregularity
from ._segment import BeatSegmenter, segment_recording
from ._wavelet import DWTDenoiser
from ._window_rr import RRFeatures

__all__ = [
    "BeatSegmenter",
    "ContextLayout",
    "DWTDenoiser",
    "FiducialFeatures",
    "GaussianDerivativeFeatures",
    "MorphologyFeatures",
    "RRFeatures",
    "RelativeBeat",
    "RhythmFeatures",
    "SignalToImage",
    "add_context",
    "context_layout",
    "detect_beats",
    "detect_r_peaks",
    "qrs_agreement",
    "record_context",
    "rhythm_irregularity",
    "segment_recording",
    "template_length",
]
