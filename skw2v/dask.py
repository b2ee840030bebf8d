"""Dask collections: document vectors of a dask Bag or dask Series as a dask array.

Needs ``pip install "skw2v[dask]"``. Training stays on one machine (all its cores, any
corpus size from disk); what dask adds is scale-out for many fits (``GridSearchCV``
under ``joblib.parallel_config(backend="dask")``) and for transforming collections
larger than one machine's memory.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted


def _transform_partition(estimator, partition) -> np.ndarray:
    documents = partition.tolist() if hasattr(partition, "tolist") else list(partition)
    return estimator.transform(documents)


def transform(estimator, collection):
    """Document vectors of every document of a dask collection, as a dask array.

    Parameters
    ----------
    estimator : Word2VecTransformer or WordVectorsTransformer
        A fitted transformer. It is sent to the workers once.
    collection : dask.bag.Bag or dask.dataframe.Series
        The documents: a Bag of token lists, or a Series of token lists or of raw
        strings (for an estimator with ``analyzer``). A DataFrame is refused: pass its
        text column.

    Returns
    -------
    X_new : dask.array.Array of shape (n_documents, vector_size), float32
        One block of rows per partition, in order; the number of rows per block is known
        after computing (``X_new.compute_chunk_sizes()``).

    Examples
    --------
    >>> import dask.bag as db
    >>> from skw2v import Word2VecTransformer
    >>> from skw2v import dask as skw2v_dask
    >>> docs = [["the", "cat", "sat"], ["the", "dog", "sat"]] * 50
    >>> model = Word2VecTransformer(vector_size=8, min_count=1, n_jobs=1).fit(docs)
    >>> vectors = skw2v_dask.transform(model, db.from_sequence(docs, npartitions=4))
    >>> vectors.compute().shape
    (100, 8)
    """
    import dask
    import dask.array as da

    check_is_fitted(estimator, "fitted_pooling_")
    if getattr(collection, "ndim", 1) == 2:
        raise TypeError(
            "transform takes a dask Bag or Series of documents, not a DataFrame; pass its "
            "text column, e.g. frame['text']."
        )
    if not hasattr(collection, "to_delayed"):
        raise TypeError(
            f"collection is a {type(collection).__name__}; pass a dask Bag or a dask Series "
            "(for in-memory documents, call estimator.transform directly)."
        )
    shared = dask.delayed(estimator, pure=True)
    blocks = [
        da.from_delayed(dask.delayed(_transform_partition)(shared, partition),
                        shape=(np.nan, estimator.wv_.vector_size), dtype=np.float32)
        for partition in collection.to_delayed()
    ]  # fmt: skip
    return da.concatenate(blocks, axis=0)
