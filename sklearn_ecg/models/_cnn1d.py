"""The CNN1D heartbeat classifier."""

from numbers import Integral

from ..utils._sklearn_compat import Interval
from ._parameters import Parameter
from ._signal import BaseSignalClassifier

__all__ = ["CNN1D"]


class CNN1D(BaseSignalClassifier):
    """Residual 1-D CNN heartbeat classifier (Kachuee et al., 2018).

    A scikit-learn classifier over the torch module
    :class:`sklearn_ecg.nn.CNN1DModule`: a convolution, ``n_blocks`` residual blocks
    with max pooling, two dense layers and the output layer, trained with
    skorch.  It accepts beats of any length, one lead ``(n, T)`` or several
    ``(n, C, T)``; multiclass labels of any type or a multilabel indicator
    matrix (sigmoid outputs, binary cross-entropy).

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(fitted_attrs)s

    See Also
    --------
    IncepSE : InceptionTime network for long multi-lead records.
    AlexNetImage : the network for signals turned into images.
    sklearn_ecg.RhythmFeatures : Rhythm features of context rows, to pass as
        extra columns.
    sklearn_ecg.pipelines.make_beat_pipeline : The recommended recipe around
        this network.

    Notes
    -----
    Rhythm context: arrhythmia classes differ by timing as much as by shape,
    judged against the patient's own rhythm over minutes.  Context rows
    (``load_mitbih(context=True)`` and the other loaders) carry every beat's
    R-R history and running template; append the features computed from
    them as the last columns and tell the network how many there are; the
    columns travel through ``SMOTE`` and any other 2-D step with the beat::

        context = dict(n_rr=512)  # as the rows were built
        features = FeatureUnion([
            ("beat", RelativeBeat(fs=360, **context)),
            ("rhythm", RhythmFeatures(**context)),
            ("morphology", MorphologyFeatures(fs=360, **context)),
        ])
        model = imblearn.pipeline.Pipeline([
            ("features", features),
            ("smote", SMOTE()),
            ("clf", CNN1D(n_extra_features=RhythmFeatures.n_features
                          + MorphologyFeatures.n_features)),
        ])

    With ``features.set_output(transform="pandas")`` the columns carry
    their step's name, and ``n_extra_features="auto"`` counts them (such a
    pipeline saves with joblib; a model file cannot hold pandas objects).

    Inside, the last ``n_extra_features`` columns are standardised with the
    training mean and standard deviation and join the output of the
    convolutions at the first dense layer.

    References
    ----------
    M. Kachuee, S. Fazeli and M. Sarrafzadeh, "ECG Heartbeat Classification:
    A Deep Transferable Representation", IEEE ICHI 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ecg import CNN1D
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 64)).astype("float32")
    >>> y = np.where(X[:, 20:30].mean(axis=1) > 0, "N", "V")
    >>> clf = CNN1D(n_filters=8, n_blocks=2, max_epochs=2, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['N', 'V'], dtype='<U1')
    >>> clf.predict_proba(X[:3]).shape
    (3, 2)
    """

    _architecture_parameters = (
        Parameter(
            "n_filters",
            32,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Convolution filters in every layer.",
        ),
        Parameter(
            "kernel_size",
            5,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Convolution kernel size (odd, so the residual shortcuts keep the length).",
        ),
        Parameter(
            "n_blocks",
            5,
            [Interval(Integral, 0, None, closed="left")],
            "int",
            "Number of residual blocks.",
        ),
        Parameter(
            "n_dense",
            32,
            [Interval(Integral, 1, None, closed="left")],
            "int",
            "Units of each of the two dense layers.",
        ),
    )
    _training_defaults = {"max_epochs": 20, "batch_size": 64, "lr": 1e-3}

    def _module_class(self):
        from ..nn import CNN1DModule

        return CNN1DModule

    def _module_kwargs(self, input_shape, n_outputs):
        if self.kernel_size % 2 == 0:
            raise ValueError(
                f"kernel_size must be odd so that the residual shortcuts keep the length, got {self.kernel_size}."
            )
        return {
            "n_outputs": n_outputs,
            "n_filters": self.n_filters,
            "kernel_size": self.kernel_size,
            "n_blocks": self.n_blocks,
            "n_dense": self.n_dense,
            **self._signal_module_kwargs(input_shape),
        }
