"""Files written by the previous release keep loading and transform the same.

``tests/data/compat`` holds a ``Word2VecTransformer`` (tf-idf pooling) and a
``Doc2VecTransformer`` (PV-DM) fitted by the code of commit 6ee55cb (before the shared
estimator front-end), pickled and saved with skops, and what their ``transform`` gave
then for the first 20 KJV verses. Parameters added since (``Doc2VecTransformer``'s
``memory``, ``corpus_storage`` and ``temp_folder``) take their defaults on load.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from skw2v import Doc2VecTransformer, Word2VecTransformer

COMPAT = Path(__file__).parent / "data" / "compat"
CLASSES = {"word2vec": Word2VecTransformer, "doc2vec": Doc2VecTransformer}


@pytest.fixture(scope="module")
def expected():
    with np.load(COMPAT / "expected.npz") as saved:
        return dict(saved)


def _check(model, name: str, expected, kjv) -> None:
    assert type(model) is CLASSES[name]
    assert model.get_params()["n_jobs"] == 1
    np.testing.assert_array_equal(model.transform(kjv.data[:20]), expected[name])


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_a_pickle_of_the_previous_release_loads_and_transforms_the_same(name, expected, kjv):
    model = pickle.loads((COMPAT / f"{name}.pkl").read_bytes())
    _check(model, name, expected, kjv)
    if name == "doc2vec":  # parameters it did not have then
        assert model.memory is None and model.corpus_storage == "auto"
        assert model.temp_folder is None


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_a_skops_file_of_the_previous_release_loads_and_transforms_the_same(name, expected,
                                                                           kjv):  # fmt: skip
    sio = pytest.importorskip("skops.io")
    untrusted = sio.get_untrusted_types(file=COMPAT / f"{name}.skops")
    assert {t for t in untrusted if t.startswith("skw2v.")} <= {
        "skw2v._transformer.Word2VecTransformer", "skw2v._doc2vec.Doc2VecTransformer",
        "skw2v._vectors.WordVectors",
    }  # fmt: skip
    model = sio.load(COMPAT / f"{name}.skops", trusted=untrusted)
    _check(model, name, expected, kjv)
