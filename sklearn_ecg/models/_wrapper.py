"""What the wrappers that adjust a classifier's probabilities share."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping


def _rows_of(params, rows):
    """``params`` with each value that holds one entry per row cut to ``rows`` (a mask)."""
    return {
        name: np.asarray(value)[rows] if _per_row(value, len(rows)) else value
        for name, value in params.items()
    }


def _per_row(value, n_rows):
    return (
        hasattr(value, "__len__")
        and not isinstance(value, (str, dict))
        and len(value) == n_rows
    )


class _ProbabilityAdjuster:
    """Mixin of a wrapper whose ``predict_proba`` adjusts that of ``self._estimator()``.

    It supplies ``predict`` (the most probable class after the adjustment),
    the routing of ``fit`` metadata to the wrapped classifier, and that
    classifier: ``estimator``, or a logistic regression where it is None.
    """

    def _estimator(self):
        if self.estimator is not None:
            return self.estimator
        return LogisticRegression(max_iter=1000)

    def predict(self, X):
        """Class labels, the most probable after the adjustment.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Rows as in :meth:`fit`.

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the wrapped classifier.

        Returns
        -------
        routing : MetadataRouter
        """
        return MetadataRouter(owner=self.__class__.__name__).add(
            estimator=self._estimator(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
