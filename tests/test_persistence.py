import pickle

import joblib
import numpy as np
import pytest

from skw2v import Word2VecTransformer, WordVectors, WordVectorsTransformer

sio = pytest.importorskip("skops.io")

TRUSTED = [
    "skw2v._transformer.Word2VecTransformer",
    "skw2v._pretrained.WordVectorsTransformer",
    "skw2v._vectors.WordVectors",
]


@pytest.fixture(params=["trained", "pretrained"])
def model(request, fitted):
    if request.param == "trained":
        return fitted
    return WordVectorsTransformer(fitted.wv_).fit()


def test_pickle_and_joblib_round_trips(model, kjv_docs, tmp_path):
    docs, _ = kjv_docs
    expected = model.transform(docs[:100])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).transform(docs[:100]), expected)
    joblib.dump(model, tmp_path / "m.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "m.joblib").transform(docs[:100]), expected
    )


def test_pickles_hold_no_compiled_code(model):
    blob = pickle.dumps(model)
    assert b"numba" not in blob and b"Dispatcher" not in blob


def test_skops_round_trip_with_exactly_our_types_trusted(model, kjv_docs, tmp_path):
    docs, _ = kjv_docs
    sio.dump(model, tmp_path / "m.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "m.skops")
    assert set(untrusted) <= set(TRUSTED)
    restored = sio.load(tmp_path / "m.skops", trusted=TRUSTED)
    np.testing.assert_array_equal(restored.transform(docs[:100]), model.transform(docs[:100]))
    assert isinstance(restored.wv_, WordVectors)


def test_skops_refuses_an_untrusted_file(model, tmp_path):
    sio.dump(model, tmp_path / "m.skops")
    from skops.io.exceptions import UntrustedTypesFoundException

    with pytest.raises(UntrustedTypesFoundException):
        sio.load(tmp_path / "m.skops")


def test_word_vectors_alone_round_trip_through_skops(tmp_path):
    wv = WordVectors(np.eye(3, dtype=np.float32), ["a", "b", "c"], counts=[3, 2, 1])
    sio.dump(wv, tmp_path / "wv.skops")
    restored = sio.load(tmp_path / "wv.skops", trusted=["skw2v._vectors.WordVectors"])
    assert restored.index_to_key == wv.index_to_key
    np.testing.assert_array_equal(restored.vectors, wv.vectors)
    assert restored.most_similar("a", topn=1) == wv.most_similar("a", topn=1)
    assert isinstance(Word2VecTransformer, type)
