"""dask: GridSearchCV on a real LocalCluster (2 worker processes), a shared memory cache,
and transforming dask collections."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import dask.bag as db  # noqa: E402
import joblib  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from skw2v import Word2VecTransformer  # noqa: E402
from skw2v import dask as skw2v_dask  # noqa: E402

PARAMS = dict(vector_size=12, min_count=2, epochs=2, random_state=0)


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,  # fmt: skip
        distributed.Client(cluster) as client,
    ):
        yield client


def _search(X, y, memory=None):
    pipe = make_pipeline(Word2VecTransformer(**PARAMS, memory=memory),
                         LogisticRegression(max_iter=300))  # fmt: skip
    grid = {"word2vectransformer__window": [2, 4], "word2vectransformer__pooling": ["mean", "max"]}
    cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    return GridSearchCV(pipe, grid, cv=cv, n_jobs=-1, refit=False).fit(X, y)


def test_grid_search_under_the_dask_backend_equals_the_local_one(client, kjv_docs, tmp_path):
    docs, books = kjv_docs
    X, y = docs[::4], books[::4]
    local = _search(X, y)
    with joblib.parallel_config(backend="dask"):
        remote = _search(X, y, memory=str(tmp_path))
    # n_jobs=None is one thread in each worker: seeded fits give the same vectors there
    np.testing.assert_array_equal(local.cv_results_["mean_test_score"],
                                  remote.cv_results_["mean_test_score"])  # fmt: skip
    # the workers shared one memory cache: one training per (window, fold), not per pooling
    cached = list(tmp_path.rglob("output.pkl"))
    assert len(cached) == 2 * 2


def test_transform_of_a_bag_of_token_lists_equals_the_in_memory_result(client, kjv_docs):
    docs = kjv_docs[0][:400]
    model = Word2VecTransformer(**PARAMS, n_jobs=1).fit(docs)
    result = skw2v_dask.transform(model, db.from_sequence(docs, npartitions=5))
    np.testing.assert_array_equal(result.compute(), model.transform(docs))


def test_transform_of_a_dask_series_of_raw_text(client, kjv_docs):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    text = [" ".join(doc) for doc in kjv_docs[0][:300]]
    model = Word2VecTransformer(**PARAMS, n_jobs=1, analyzer="word").fit(text)
    frame = dd.from_pandas(pd.DataFrame({"text": text, "n": range(300)}), npartitions=3)
    np.testing.assert_array_equal(skw2v_dask.transform(model, frame["text"]).compute(),
                                  model.transform(text))  # fmt: skip
    with pytest.raises(TypeError, match="text column"):
        skw2v_dask.transform(model, frame)
