"""A classifier wrapper that lets a second model split the probability of a group of classes."""

from numbers import Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.metadata_routing import MethodMapping, process_routing
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import HasMethods, Interval, _fit_context, validate_data
from ._wrapper import _ProbabilityAdjuster, _rows_of

__all__ = ["SpecialistClassifier"]


class SpecialistClassifier(
    _ProbabilityAdjuster, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Let a specialist split the probability a classifier gives a group of classes.

    A classifier trained on every class, with balanced class weights, spends
    its capacity on what is most frequent and most different: in beat
    classification, normal against the rest.  Two rare classes that differ
    from each other in other ways, supraventricular (S) and ventricular (V)
    ectopic beats, then trade labels: a wide ventricular beat in a regular
    rhythm is called S because it is early.  This wrapper fits ``estimator``
    on every row and ``specialist`` on the rows of ``classes`` alone, and in
    :meth:`predict_proba` keeps the estimator's probability of the group as
    a whole (the row's probability of being any of ``classes``) but shares
    it among them as the specialist says (or, with ``weight`` below 1, as a
    weighted mean of the specialist's shares and the estimator's own).  The
    other classes' probabilities are the estimator's, so a row the estimator
    gives more to another class than to the whole group keeps that label;
    one it gives more to the group than to its most probable other class
    can change, to whichever member the specialist favours.

    When fewer than two of ``classes`` are labels of ``y`` (other label
    names, integers, a training set without one of them) there is nothing to
    split: ``specialist_`` is None and the output is the estimator's.

    Parameters
    ----------
    estimator : classifier or None, default=None
        Classifier of all classes, with ``predict_proba``; cloned in
        :meth:`fit`.  None: ``LogisticRegression(max_iter=1000)``.
    specialist : classifier or None, default=None
        Classifier of the rows of ``classes``, with ``predict_proba``;
        cloned in :meth:`fit`.  None: a random forest of 100 trees with
        leaves of at least 10 rows and ``class_weight="balanced_subsample"``
        (the size chosen on held-out patients of the MIT-BIH DS1 records;
        see the "Evaluating honestly" page), seeded by ``random_state``.
    classes : tuple, default=("S", "V")
        The group of labels the specialist shares out (at least two; AAMI
        supraventricular and ventricular ectopic beats by default).
    weight : float in [0, 1], default=1.0
        How much of the sharing out the specialist decides: 1, all of it; 0,
        none (the estimator's output); in between, the shares are
        ``weight`` times the specialist's plus ``1 - weight`` times the
        estimator's own (its probabilities of the group's classes over
        their sum).
    random_state : int, RandomState instance or None, default=None
        Seeds the default specialist; not used when ``specialist`` is given.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.
    specialist_ : classifier or None
        The fitted clone of ``specialist``, or None when ``y`` held fewer
        than two of ``classes``.
    classes_ : ndarray of shape (n_classes,)
        Class labels, those of ``estimator_``.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    See Also
    --------
    IrregularRhythmGate : Withholds premature-beat labels in irregular rhythm.
    sklearn_ecg.pipelines.make_feature_pipeline : Splits S from V with it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.models import SpecialistClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat(["N", "S", "V"], [300, 40, 40])
    >>> early = np.where(y == "N", 0.0, 1.0)  # S and V beats come early
    >>> wide = np.where(y == "V", 1.0, 0.0)  # V beats are wide
    >>> X = np.c_[early, wide] + rng.normal(0, 0.3, (y.size, 2))
    >>> model = SpecialistClassifier(random_state=0).fit(X, y)
    >>> model.specialist_.classes_
    array(['S', 'V'], dtype='<U1')
    >>> proba, alone = model.predict_proba(X), model.estimator_.predict_proba(X)
    >>> bool(np.allclose(proba[:, 1:].sum(axis=1), alone[:, 1:].sum(axis=1)))
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "specialist": [HasMethods(["fit", "predict_proba"]), None],
        "classes": [tuple, list],
        "weight": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        specialist=None,
        *,
        classes=("S", "V"),
        weight=1.0,
        random_state=None,
    ):
        self.estimator = estimator
        self.specialist = specialist
        self.classes = classes
        self.weight = weight
        self.random_state = random_state

    def _specialist(self):
        if self.specialist is not None:
            return clone(self.specialist)
        return RandomForestClassifier(
            n_estimators=100,
            min_samples_leaf=10,
            class_weight="balanced_subsample",
            random_state=self.random_state,
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the estimator on every row and the specialist on the rows of ``classes``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.
        **fit_params : dict
            Passed to the estimator's ``fit``.  With metadata routing on,
            each is passed to the estimator and to the specialist as they
            request it, the specialist's restricted to the rows of
            ``classes`` (e.g. ``lead`` to a
            :class:`~sklearn_ecg.models.LeadSubsetClassifier`; the default
            specialist requests none); with it off, the specialist gets
            none.

        Returns
        -------
        self : SpecialistClassifier
        """
        if len(self.classes) < 2 or len(set(self.classes)) != len(self.classes):
            raise ValueError(
                f"classes must name at least two different labels; got {self.classes!r}."
            )
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        specialist_params = {}
        if get_config().get("enable_metadata_routing", False):
            routed = process_routing(self, "fit", **fit_params)
            fit_params = routed.estimator.fit
            if self.specialist is not None:
                specialist_params = routed.specialist.fit
        self.estimator_ = clone(self._estimator()).fit(X, y, **fit_params)
        self.classes_ = self.estimator_.classes_
        group = np.isin(y, np.asarray(self.classes, dtype=object))
        self.specialist_ = None
        if np.unique(y[group]).size >= 2:
            missing = set(np.unique(y[group]).tolist()) - set(self.classes_.tolist())
            if missing:
                raise ValueError(
                    f"the estimator's classes_ lack {sorted(missing)!r}, labels of y "
                    "in classes: the specialist's classes must be the estimator's."
                )
            self.specialist_ = self._specialist().fit(
                X[group], y[group], **_rows_of(specialist_params, group)
            )
        return self

    def predict_proba(self, X):
        """Class probabilities, those of ``classes`` shared out by the specialist.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        proba = np.array(self.estimator_.predict_proba(X), dtype=np.float64, copy=True)
        if self.specialist_ is not None:
            classes = list(self.classes_)
            columns = [classes.index(label) for label in self.specialist_.classes_]
            group = proba[:, columns].sum(axis=1, keepdims=True)
            shares = self.specialist_.predict_proba(X)
            if self.weight < 1:
                own = np.divide(
                    proba[:, columns],
                    group,
                    out=np.full_like(shares, 1.0 / len(columns)),
                    where=group > 0,
                )
                shares = self.weight * shares + (1 - self.weight) * own
            proba[:, columns] = group * shares
        return proba

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the estimator and to a given specialist.

        Returns
        -------
        routing : MetadataRouter
        """
        routing = super().get_metadata_routing()
        if self.specialist is None:  # the default forest takes no metadata
            return routing
        return routing.add(
            specialist=self.specialist,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
