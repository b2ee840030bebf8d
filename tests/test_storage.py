"""The encoded corpus in memory-mapped files: same vectors, nothing left behind."""

import gzip
import os

import numpy as np
import pytest

from skw2v import LineCorpus, Word2VecTransformer
from skw2v._io.storage import CorpusStorage, cumsum_into

PARAMS = dict(vector_size=12, min_count=2, epochs=2, n_jobs=1, random_state=0)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory, kjv_docs):
    path = tmp_path_factory.mktemp("storage") / "corpus.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(" ".join(doc) + "\n" for doc in kjv_docs[0][:1500])
    return path


@pytest.mark.parametrize("source", ["line_corpus", "generator", "list"])
def test_disk_storage_trains_the_same_vectors_as_memory(corpus_file, tmp_path, source,
                                                         monkeypatch):  # fmt: skip
    from skw2v._io import storage as _storage

    monkeypatch.setattr(_storage, "BLOCK", 1000)  # many blocks on a small corpus
    lines = [doc for doc in LineCorpus(corpus_file)]

    def documents():
        return {"line_corpus": LineCorpus(corpus_file), "generator": iter(lines),
                "list": lines}[source]  # fmt: skip

    memory = Word2VecTransformer(**PARAMS, corpus_storage="memory")
    X_memory = memory.fit_transform(documents())
    disk = Word2VecTransformer(**PARAMS, corpus_storage="disk", temp_folder=tmp_path)
    X_disk = disk.fit_transform(documents())
    np.testing.assert_array_equal(memory.wv_.vectors, disk.wv_.vectors)
    np.testing.assert_array_equal(X_memory, X_disk)
    assert memory.loss_history_ == disk.loss_history_
    assert os.listdir(tmp_path) == []  # the temporary folder is gone
    disk.partial_fit(documents())
    memory.partial_fit(documents())
    np.testing.assert_array_equal(memory.wv_.vectors, disk.wv_.vectors)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("failure", [ValueError, KeyboardInterrupt])
def test_temporary_files_are_removed_on_error_and_interrupt(tmp_path, failure):
    def documents():
        yield from [["the", "cat"]] * 100
        raise failure("stop")

    with pytest.raises(failure):
        Word2VecTransformer(**PARAMS, corpus_storage="disk", temp_folder=tmp_path).fit(documents())
    assert os.listdir(tmp_path) == []


def test_joblib_temp_folder_is_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    with CorpusStorage(on_disk=True) as storage:
        assert os.path.dirname(storage.folder) == str(tmp_path)
        ids = storage.zeros("ids", 10, np.int32)
        ids[:] = 7
        assert not isinstance(ids, np.memmap) and ids.flags.c_contiguous and ids.flags.writeable
    assert os.listdir(tmp_path) == []
    assert ids.sum() == 70  # still readable: the mapping outlives the removed file


def test_cumsum_into_matches_numpy(monkeypatch):
    from skw2v._io import storage as _storage

    monkeypatch.setattr(_storage, "BLOCK", 7)
    values = np.random.default_rng(0).integers(0, 100, 50)
    out = np.empty(51, dtype=np.int64)
    cumsum_into(values, out, start=3)
    np.testing.assert_array_equal(out, np.concatenate(([3], 3 + np.cumsum(values))))
