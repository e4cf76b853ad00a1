"""The order of the gallery: from the building blocks to whole applications."""

ORDER = (
    "plot_gaussian_filter.py",
    "plot_signal_images.py",
    "plot_dwt_smote_cnn.py",
    "plot_long_span_rhythm.py",
    "plot_kachuee_transfer.py",
    "plot_incepse_multilabel.py",
    "plot_grid_search.py",
    "plot_annotate_record.py",
)


class ExampleOrder:
    """sphinx-gallery sort key: examples in ``ORDER`` first, in that order, then the rest by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        rank = ORDER.index(filename) if filename in ORDER else len(ORDER)
        return rank, filename

    def __repr__(self):
        return f"<{type(self).__name__}>"
