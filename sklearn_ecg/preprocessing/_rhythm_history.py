"""Rhythm features from the record-scale R-R history each context row carries."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from .._context import ON_TIME, ON_TIME_SPAN, check_context_rows
from ..utils._sklearn_compat import (
    Interval,
    _fit_context,
    validate_data,
    validate_params,
)

__all__ = ["RhythmFeatures", "rhythm_irregularity"]

_NAMES = (
    "rr_pre",
    "rr_post",
    "rr_mean10",
    "rr_mean32",
    "rr_mean1min",
    "rr_mean5min",
    "log_pre_mean32",
    "log_post_mean32",
    "log_pre_mean5min",
    "log_post_mean5min",
    "log_pre_post",
    "log_mean10_mean32",
    "rr_cv32",
    "rr_msd32",
    "z_pre32",
    "z_post32",
    "log_pre_prev",
    "rr_msd8",
    "premature_share32",
    "log_pre_both",
    "log_mean32_mean5min",
)
_DEFAULT_RR = 1.0  # seconds, for a row without any interval (a one-beat record)
_MAD_TO_SD = 1.4826
# floor of the robust SD in the z-scores, as a share of the median interval: a
# perfectly regular rhythm must not turn a 2 % shorter interval into z = -inf
_SD_FLOOR = 0.02
_Z_CLIP = 20.0
# an interval this many times the median is a pause (a sinus beat after a run of
# ectopic ones, a dropped beat), not the variation of the prevailing rhythm
_PAUSE = 2.0


def _nanmean(a):
    count = np.sum(~np.isnan(a), axis=1)
    total = np.nansum(a, axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _first_finite(*columns):
    out = columns[0].copy()
    for col in columns[1:]:
        out = np.where(np.isnan(out), col, out)
    return out


def _variability(span):
    """Robust coefficient of variation, median successive difference (both over the
    median, 0 with fewer than two intervals), median and MAD of each row's intervals."""
    counted = np.sum(~np.isnan(span), axis=1)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
        median = np.nanmedian(span, axis=1)
        mad = np.nanmedian(np.abs(span - median[:, None]), axis=1)
        # median, not mean: the odd pause of a regular rhythm leaves it low,
        # a fibrillating rhythm is irregular at every beat
        msd = np.nanmedian(np.abs(np.diff(span, axis=1)), axis=1) / median
    several = counted > 1
    cv = np.where(several, _MAD_TO_SD * mad / median, 0.0)
    msd = np.where(several & np.isfinite(msd), msd, 0.0)
    return cv, msd, median, np.where(several, mad, 0.0)


def _on_time_irregularity(span):
    """Median absolute successive difference of the on-time intervals over their median.

    ``span`` holds each row's intervals newest first, NaN where missing.
    Premature intervals (shorter than ``ON_TIME`` of the median), the
    interval after each and pauses (longer than ``_PAUSE`` times the median)
    are left out, so occasional, alternating or prevailing ectopic beats add
    nothing; 0 where fewer than two adjacent intervals are left.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
        median = np.nanmedian(span, axis=1)
        short = span < ON_TIME * median[:, None]
        after_short = np.zeros_like(short)
        after_short[:, :-1] = short[:, 1:]  # newest first: the next column is earlier
        pause = span > _PAUSE * median[:, None]
        on_time = np.where(short | after_short | pause, np.nan, span)
        msd = np.nanmedian(np.abs(np.diff(on_time, axis=1)), axis=1) / median
    return np.where(np.isfinite(msd), msd, 0.0)


@validate_params(
    {
        "X": ["array-like"],
        "n_rr": [Interval(Integral, 1, None, closed="left"), None],
        "n_next": [Interval(Integral, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def rhythm_irregularity(X, *, n_rr=None, n_next=1):
    """How irregular the rhythm before each beat is, ectopic beats left out.

    Over the 32 R-R intervals before each beat's own (the rr block that
    context rows carry, see :class:`RhythmFeatures`), the intervals shorter
    than 85 % of their median (premature beats), the interval after each
    (the pause that follows) and the intervals longer than twice the median
    (pauses) are left out; the rest is the rhythm the patient's own
    pacemaker, or its absence, sets.  The result is the median absolute
    difference of successive remaining intervals over their median: about
    0.01-0.03 in sinus rhythm, with or without occasional or alternating
    premature beats, and 0.1-0.2 in atrial fibrillation, where every
    interval differs from the one before.  Where premature beats are most
    of the beats (runs of atrial ectopy broken by the pauses of a slow sinus
    rhythm), they set the median and the ectopic rhythm is what is judged:
    the pauses before the sinus beats are left out, as the short intervals
    are in sinus rhythm.  Rows with fewer than two adjacent intervals left
    get 0.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_columns)
        Rows ending with the rr block: context rows, or the rr block alone
        (``n_rr=None``).  Intervals in seconds, 0 where missing.
    n_rr : int or None, default=None
        Previous R-R intervals in each context row, as the rows were built
        (the loaders' ``n_rr``), as in :class:`RhythmFeatures`; None: the
        rows are the rr block alone, every column before the last
        ``n_next`` being history.
    n_next : int, default=1
        Following intervals in each row.

    Returns
    -------
    irregularity : ndarray of shape (n_samples,)
        Median absolute successive difference of the on-time intervals,
        over their median.

    See Also
    --------
    sklearn_ecg.models.IrregularRhythmGate : Withholds premature-beat labels
        where this is high.
    RhythmFeatures : ``rr_msd32``, the same over all 32 intervals.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import record_context, rhythm_irregularity
    >>> rng = np.random.default_rng(0)
    >>> bigeminy = np.tile([200, 400], 40)  # every other beat premature
    >>> fibrillation = rng.integers(180, 330, 80)
    >>> peaks = np.cumsum(np.r_[bigeminy, fibrillation])
    >>> _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=64)
    >>> irregularity = rhythm_irregularity(rr)
    >>> float(irregularity[79]), bool(irregularity[-1] > 0.1)
    (0.0, True)
    """
    X = check_array(X, dtype=[np.float64, np.float32])
    layout = check_context_rows(
        X,
        f"rhythm_irregularity(n_rr={n_rr}, n_next={n_next})",
        n_rr=n_rr,
        n_next=n_next,
    )
    history = X[:, layout.history][:, ::-1].astype(np.float64)  # newest first
    history[history == 0] = np.nan
    return _on_time_irregularity(history[:, 1 : 1 + ON_TIME_SPAN])


class RhythmFeatures(TransformerMixin, BaseEstimator):
    """Rhythm features of every beat from the R-R history its row carries.

    A premature supraventricular beat is short only against the patient's
    own rhythm over the last minutes, not against the few beats around it
    (in a slow sinus rhythm with pauses, the 4 s around a premature beat
    look normal).  The loaders with ``context=True`` and
    :func:`segment_recording` append to every row the R-R intervals around
    the beat in seconds: ``n_rr`` previous ones, oldest first (the last is
    the pre-RR), then ``n_next`` following ones (the first is the post-RR),
    0 where the record has none.  This transformer reads that block (the
    last ``n_rr + n_next`` columns) and returns, in this order:

    =======================  =================================================
    ``rr_pre``               interval ending at the beat (s)
    ``rr_post``              interval starting at the beat (s)
    ``rr_mean10``            mean of the previous 10 intervals (s)
    ``rr_mean32``            mean of the previous 32 intervals (s)
    ``rr_mean1min``          mean of the intervals of the last minute (s)
    ``rr_mean5min``          mean of the intervals of the last 5 minutes (s)
    ``log_pre_mean32``       ``log(rr_pre / rr_mean32)`` (< 0: premature)
    ``log_post_mean32``      ``log(rr_post / rr_mean32)`` (> 0: pause after)
    ``log_pre_mean5min``     ``log(rr_pre / rr_mean5min)``
    ``log_post_mean5min``    ``log(rr_post / rr_mean5min)``
    ``log_pre_post``         ``log(rr_pre / rr_post)``
    ``log_mean10_mean32``    ``log(rr_mean10 / rr_mean32)``
    ``rr_cv32``              robust coefficient of variation of the 32
                             intervals before the pre-RR (1.4826 MAD / median)
    ``rr_msd32``             median absolute successive difference of those
                             32 intervals over their median
    ``z_pre32``              robust z-score of the pre-RR against those 32
                             intervals: ``(rr_pre - median) / sd`` with
                             ``sd = 1.4826 MAD + 0.02 median``, clipped to
                             [-20, 20]
    ``z_post32``             the same for the post-RR
    ``log_pre_prev``         ``log(rr_pre / interval before it)``
    ``rr_msd8``              ``rr_msd32`` over the 8 intervals before the
                             pre-RR (irregularity of the last few beats)
    ``premature_share32``    share of those 32 intervals shorter than 85 % of
                             their median (frequent ectopy or fibrillation)
    ``log_pre_both``         the larger of ``log_pre_mean32`` and
                             ``log_pre_mean5min``: below 0 only for a beat
                             early against both the last beats and the last
                             minutes
    ``log_mean32_mean5min``  ``log(rr_mean32 / rr_mean5min)`` (< 0: the
                             rhythm has sped up, as at the onset of
                             fibrillation or a tachycardia)
    =======================  =================================================

    The minute-scale means add up the history backwards in time (a
    cumulative sum), so they cover the same span at any heart rate.  All
    features are in seconds or unitless, so they do not depend on the
    sampling frequency.  The variability features are high in atrial
    fibrillation and flutter, where normal beats look premature; they leave
    out the beat's own intervals, so one premature beat does not raise them.
    A rhythm that speeds up for minutes (atrial fibrillation after sinus
    rhythm) makes every beat short against the 5-minute mean but not
    against the last 32 beats; ``log_pre_both`` and ``log_mean32_mean5min``
    tell that apart from a single early beat.  The z-scores judge
    prematurity in units of that variability: an early beat in a regular
    rhythm scores far from 0, the same interval in
    fibrillation does not.  Being in units of a regular rhythm's small
    spread, they are the features most sensitive to the sampling frequency:
    R-peaks rounded to a 128 Hz grid move them by up to about one unit,
    against an early beat's -10 to -20.

    With ``causal=False`` the references are centred on the beat: the
    10- and 32-interval means and variabilities use the intervals before
    and after it (half each, as far as the ``n_next`` following columns
    reach; the variabilities leave out the pre- and post-RR) and the 1- and
    5-minute means the intervals within 30 s and 150 s on either side.

    Missing intervals (0: before the record's first beat, after its last,
    or anywhere a user masks one) are ignored: means are over the intervals
    available.  R-peaks that are not strictly increasing are refused where
    the history is built (:func:`record_context`); here a negative interval
    or NaN raises ``ValueError``.  Fallbacks, so that every row gives finite features: a
    missing pre-RR takes the post-RR and the other way round; a mean with no
    interval in its span takes the pre-RR; a row with no interval at all
    takes 1 s; variabilities of fewer than two intervals are 0 and the
    z-scores then use the floor of the deviation alone.

    Parameters
    ----------
    n_rr : int or None, default=None
        Previous R-R intervals in each context row, as the rows were built
        (the loaders' ``n_rr``, 512 by default): the rows end with the rr
        block of ``n_rr + n_next`` columns (see :func:`context_layout`).
        None: the rows are not context rows but the rr block alone (e.g.
        ``beats.rr``), every column before the last ``n_next`` being
        history.  Rows too narrow for ``n_rr + n_next`` columns and values
        that are no intervals (negative, above 60 s: signal samples, when
        ``n_rr`` reaches into the template or the rows are not the rr block
        alone) raise ``ValueError`` naming the layout.
    n_next : int, default=1
        Following intervals in each row.
    causal : bool, default=True
        Use only the past and the post-RR; False also uses the following
        intervals for the references.

    Attributes
    ----------
    n_features : int
        Number of output columns (class attribute, 21).
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    n_rr_ : int
        Previous intervals per row used (``n_rr``, or inferred when None).

    See Also
    --------
    MorphologyFeatures : Beat shape against the patient's running template.
    record_context : The R-R history of a record.
    context_layout : Where the rr block sits in a row.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.preprocessing import RhythmFeatures, record_context
    >>> peaks = np.cumsum([300] * 40 + [200, 400] + [300] * 10)  # one premature beat
    >>> _, rr = record_context(np.zeros(peaks[-1] + 1), peaks, fs=360, n_rr=64)
    >>> features = RhythmFeatures().fit(rr)
    >>> f = features.transform(rr)
    >>> names = list(features.get_feature_names_out())
    >>> premature = 40  # peaks[40] comes 200 samples after peaks[39]
    >>> bool(f[premature, names.index("log_pre_mean32")] < -0.3)
    True
    >>> bool(f[premature, names.index("log_post_mean32")] > 0.2)
    True
    """

    n_features = len(_NAMES)

    _parameter_constraints = {
        "n_rr": [Interval(Integral, 1, None, closed="left"), None],
        "n_next": [Interval(Integral, 0, None, closed="left")],
        "causal": ["boolean"],
    }

    def __init__(self, n_rr=None, n_next=1, causal=True):
        self.n_rr = n_rr
        self.n_next = n_next
        self.causal = causal

    def _validate(self, X, reset):
        X = validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])
        layout = check_context_rows(
            X,
            f"RhythmFeatures(n_rr={self.n_rr}, n_next={self.n_next})",
            n_rr=self.n_rr,
            n_next=self.n_next,
        )
        if reset:
            self.n_rr_ = layout.n_rr
        return X, layout

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the rows and the parameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Context rows (``n_rr`` given) or the rr block alone
            (``n_rr=None``).
        y : None
            Ignored.

        Returns
        -------
        self : RhythmFeatures
        """
        self._validate(X, reset=True)
        return self

    def transform(self, X):
        """Compute the rhythm features of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Rows laid out as in :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, 21)
            Columns as listed by :meth:`get_feature_names_out`, in the
            dtype of ``X``.
        """
        check_is_fitted(self)
        X, layout = self._validate(X, reset=False)
        dtype = X.dtype
        hist = X[:, layout.history][:, ::-1].astype(np.float64)  # newest first
        nxt = X[:, layout.next].astype(np.float64)
        hist[hist == 0] = np.nan
        nxt[nxt == 0] = np.nan
        n = X.shape[0]
        empty = np.full((n, 0), np.nan)
        pre = hist[:, 0]
        post = nxt[:, 0] if nxt.shape[1] else np.full(n, np.nan)
        pre, post = (
            _first_finite(pre, post, np.full(n, _DEFAULT_RR)),
            _first_finite(post, pre),
        )
        post = _first_finite(post, np.full(n, _DEFAULT_RR))
        after = nxt if not self.causal else empty

        def span_count(k, skip=0):
            """The k intervals nearest the beat (the ``skip`` nearest left out): before
            only, or half after when non-causal."""
            if self.causal:
                return hist[:, skip : skip + k]
            k_after = min(k // 2, max(after.shape[1] - skip, 0))
            return np.hstack(
                [hist[:, skip : skip + k - k_after], after[:, skip : skip + k_after]]
            )

        def span_time(seconds):
            half = seconds if self.causal else seconds / 2
            # time from the end of each interval back to the beat
            elapsed = np.nancumsum(hist, axis=1) - np.nan_to_num(hist)
            parts = [np.where(elapsed < half, hist, np.nan)]
            if after.shape[1]:
                elapsed_after = np.nancumsum(after, axis=1) - np.nan_to_num(after)
                parts.append(np.where(elapsed_after < half, after, np.nan))
            return np.hstack(parts)

        means = [
            _first_finite(_nanmean(span), pre)
            for span in (
                span_count(10),
                span_count(32),
                span_time(60.0),
                span_time(300.0),
            )
        ]
        mean10, mean32, mean1min, mean5min = means
        # the beat's own intervals stay out of the variability: a premature beat
        # must not look like an irregular rhythm
        last32 = span_count(32, skip=1)
        cv, msd, median, mad = _variability(last32)
        _, msd8, _, _ = _variability(span_count(8, skip=1))
        median = np.where(np.isnan(median), pre, median)
        sd = _MAD_TO_SD * mad + _SD_FLOOR * median
        z_pre = np.clip((pre - median) / sd, -_Z_CLIP, _Z_CLIP)
        z_post = np.clip((post - median) / sd, -_Z_CLIP, _Z_CLIP)
        prev = _first_finite(hist[:, 1], pre) if hist.shape[1] > 1 else pre
        counted = np.sum(~np.isnan(last32), axis=1)
        short = np.sum(last32 < ON_TIME * median[:, None], axis=1)  # premature
        premature_share = short / np.maximum(counted, 1)
        pre_32, pre_5min = np.log(pre / mean32), np.log(pre / mean5min)
        out = np.column_stack(
            [
                pre,
                post,
                mean10,
                mean32,
                mean1min,
                mean5min,
                pre_32,
                np.log(post / mean32),
                pre_5min,
                np.log(post / mean5min),
                np.log(pre / post),
                np.log(mean10 / mean32),
                cv,
                msd,
                z_pre,
                z_post,
                np.log(pre / prev),
                msd8,
                premature_share,
                np.maximum(pre_32, pre_5min),
                np.log(mean32 / mean5min),
            ]
        )
        return out.astype(dtype, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return np.asarray(_NAMES, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = self.n_rr is None
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
