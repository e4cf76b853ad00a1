"""Batch loading for the skorch nets."""

import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

__all__ = ["BatchLoader"]


class BatchLoader(DataLoader):
    """A ``DataLoader`` that fetches whole batches with one ``dataset[indices]`` call.

    skorch's datasets index numpy arrays, so one fancy-indexing call per batch
    replaces a ``__getitem__`` per sample followed by collation, which costs
    more than the forward pass of a small network.  Takes the arguments skorch
    gives its iterators (``batch_size``, ``shuffle``, ``drop_last``, ...).
    Shuffling and the loader's own seed come from ``generator`` (the
    estimators give each fit its own).  Without one, an unshuffled loader
    uses a fresh generator, so prediction leaves torch's global random state
    untouched (a ``DataLoader`` draws a seed from it on every pass
    otherwise); a shuffling one draws from the global state, like torch.
    """

    def __init__(
        self,
        dataset,
        batch_size=1,
        shuffle=False,
        drop_last=False,
        generator=None,
        **kwargs,
    ):
        if generator is None and not shuffle:
            generator = torch.Generator()
        sampler = (
            RandomSampler(dataset, generator=generator)
            if shuffle
            else SequentialSampler(dataset)
        )
        super().__init__(
            dataset,
            batch_size=None,
            sampler=BatchSampler(sampler, batch_size, drop_last),
            generator=generator,
            **kwargs,
        )
