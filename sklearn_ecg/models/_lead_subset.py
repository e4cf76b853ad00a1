"""A classifier wrapper that learns from the rows of some leads and predicts every row."""

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metadata_routing import process_routing
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn_compat import HasMethods, _fit_context, validate_data
from ._wrapper import _ProbabilityAdjuster, _rows_of

__all__ = ["LeadSubsetClassifier"]


class LeadSubsetClassifier(
    _ProbabilityAdjuster, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Fit a classifier on the rows of some leads; predict the rows of any lead.

    Rows loaded from every lead of each record
    (``load_mitbih(lead="all")``, ``load_wfdb_beats(lead="all")``) teach a
    model what a beat looks like in more than one lead, which not every model
    profits from.  Inside an ensemble (a
    :class:`~sklearn.ensemble.VotingClassifier`, a
    :class:`~sklearn_ecg.models.SpecialistClassifier`) this wrapper lets one
    member learn from the rows of ``leads`` alone while the others learn
    from every row: :meth:`fit` takes each row's lead name as ``lead``
    (the bunch's ``row_lead``) and fits ``estimator`` on the rows whose lead
    is one of ``leads``; :meth:`predict_proba` predicts every row it is
    given, whatever its lead.

    With scikit-learn's metadata routing on, the wrapper requests ``lead``
    in ``fit``, so a meta-estimator that is given it passes it here without
    a ``set_fit_request`` call; the wrapped estimator's own requests (e.g.
    ``groups``) are routed to it, restricted to the same rows.  Without
    ``lead``, or with ``leads=None``, every row is used: rows of one lead
    need no names.

    Parameters
    ----------
    estimator : classifier or None, default=None
        Classifier with ``predict_proba``; cloned in :meth:`fit`.  None:
        ``LogisticRegression(max_iter=1000)``.
    leads : str, tuple of str or None, default=None
        Names of the leads whose rows the estimator learns from (e.g.
        ``"MLII"``); None, every row.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        Class labels of every row of ``y``: a class that only rows of other
        leads hold gets probability 0.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    n_rows_fit_ : int
        Number of rows the estimator learned from.

    See Also
    --------
    sklearn_ecg.pipelines.make_ensemble_pipeline : Its ``feature_leads``
        keeps the feature models to one lead while the network learns from
        every lead.
    SpecialistClassifier : Routes ``lead`` to its specialist too.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg.models import LeadSubsetClassifier
    >>> X = np.array([[0.0], [1.0], [0.1], [0.9], [5.0], [6.0]])
    >>> y = np.array(["N", "V", "N", "V", "N", "V"])
    >>> lead = np.array(["MLII", "MLII", "MLII", "MLII", "V1", "V1"])
    >>> model = LeadSubsetClassifier(leads="MLII").fit(X, y, lead=lead)
    >>> model.n_rows_fit_
    4
    >>> model.predict([[0.05], [0.95]])
    array(['N', 'V'], dtype='<U1')
    """

    __metadata_request__fit = {"lead": True}

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "leads": [str, tuple, list, None],
    }

    def __init__(self, estimator=None, *, leads=None):
        self.estimator = estimator
        self.leads = leads

    def _wanted(self, lead, n_rows):
        """Boolean mask of the rows to learn from."""
        if self.leads is None or lead is None:
            return np.ones(n_rows, dtype=bool)
        leads = (self.leads,) if isinstance(self.leads, str) else tuple(self.leads)
        if not leads or not all(isinstance(name, str) for name in leads):
            raise ValueError(
                f"leads must be a lead name or a non-empty tuple of lead names; got {self.leads!r}."
            )
        lead = np.asarray(lead)
        if lead.shape != (n_rows,):
            raise ValueError(
                f"lead must hold one lead name per row of X ({n_rows}); got an array of "
                f"shape {lead.shape}."
            )
        wanted = np.isin(lead.astype(str), leads)
        if not wanted.any():
            raise ValueError(
                f"no row is of leads {list(leads)}: the rows' leads are "
                f"{sorted(set(lead.astype(str).tolist()))}."
            )
        return wanted

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, lead=None, **fit_params):
        """Fit the estimator on the rows of ``leads``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.
        lead : array-like of shape (n_samples,) or None, default=None
            Each row's lead name; None, every row is of the wanted leads.
        **fit_params : dict
            Passed to the estimator's ``fit`` (with metadata routing on, as
            it requests them), restricted to the same rows where they hold
            one value per row.

        Returns
        -------
        self : LeadSubsetClassifier
        """
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        wanted = self._wanted(lead, len(y))
        if get_config().get("enable_metadata_routing", False):
            fit_params = process_routing(self, "fit", **fit_params).estimator.fit
        self.classes_ = np.unique(y)
        self.estimator_ = clone(self._estimator()).fit(
            X[wanted], y[wanted], **_rows_of(fit_params, wanted)
        )
        missing = set(self.estimator_.classes_.tolist()) - set(self.classes_.tolist())
        if missing:
            raise ValueError(
                f"the estimator's classes_ hold {sorted(missing)!r}, which are not labels of y."
            )
        self.n_rows_fit_ = int(wanted.sum())
        return self

    def predict_proba(self, X):
        """Class probabilities of every row, whatever its lead.

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
        own = self.estimator_.predict_proba(X)
        proba = np.zeros((own.shape[0], len(self.classes_)))
        proba[:, np.searchsorted(self.classes_, self.estimator_.classes_)] = own
        return proba

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the wrapped classifier; ``lead`` is its own.

        Returns
        -------
        routing : MetadataRouter
        """
        return super().get_metadata_routing().add_self_request(self)
