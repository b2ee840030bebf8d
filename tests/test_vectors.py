import numpy as np
import pytest

from skw2v import WordVectors


@pytest.fixture
def toy():
    vectors = np.array(
        [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.8, 0.6], [-1.0, 0.0, 0.0]],
        dtype=np.float32,
    )
    return WordVectors(vectors, ["a", "b", "c", "d", "e"], counts=[9, 7, 5, 3, 1])


def test_container_protocol(toy):
    assert len(toy) == 5
    assert "c" in toy and "zz" not in toy
    assert toy["d"].tolist() == pytest.approx([0.0, 0.8, 0.6])
    assert toy.vector_size == 3
    assert toy.counts.tolist() == [9, 7, 5, 3, 1]
    with pytest.raises(KeyError, match="'zz' is not in the vocabulary"):
        toy["zz"]


def test_similarity_is_cosine(toy):
    a, d = toy["a"], toy["d"]
    assert toy.similarity("a", "d") == pytest.approx(a @ d / np.linalg.norm(a) / np.linalg.norm(d))
    assert toy.similarity("a", "e") == pytest.approx(-1.0)


def test_most_similar_matches_brute_force_and_excludes_query_words(toy):
    unit = toy.vectors / np.linalg.norm(toy.vectors, axis=1, keepdims=True)
    query = unit[0] + unit[2] - unit[4]
    query /= np.linalg.norm(query)
    order = [i for i in np.argsort(-(unit @ query)) if i not in (0, 2, 4)]
    result = toy.most_similar(positive=["a", "c"], negative=["e"], topn=2)
    assert [w for w, _ in result] == [toy.index_to_key[i] for i in order[:2]]
    assert result[0][1] == pytest.approx(float(unit[order[0]] @ query), abs=1e-6)
    assert [w for w, _ in toy.most_similar("a", topn=1)] == ["b"]
    assert [w for w, _ in toy.most_similar("a", topn=10, restrict_vocab=3)] == ["b", "c"]


def test_most_similar_accepts_a_vector(toy):
    result = toy.most_similar(positive=[np.array([0.0, 1.0, 0.0], dtype=np.float32)], topn=1)
    assert result[0][0] == "c"  # vectors are not excluded, unlike words


def test_invalid_construction():
    with pytest.raises(ValueError, match="has 1 words but vectors has 2 rows"):
        WordVectors(np.zeros((2, 3)), ["a"])
    with pytest.raises(ValueError, match="duplicate"):
        WordVectors(np.zeros((2, 3)), ["a", "a"])


def test_analogies_are_answered_like_word2vec_compute_accuracy():
    # king - man + woman = queen by construction; "x" is a decoy near "king".
    words = ["man", "woman", "king", "queen", "x"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [1, -0.2, 1]], dtype=np.float32)
    wv = WordVectors(vectors, words)
    lines = [": royal", "man woman king queen", "man woman king nobody", "woman man queen king"]
    accuracy, sections = wv.evaluate_analogies(lines)
    assert [s["section"] for s in sections] == ["royal", "Total accuracy"]
    # 1st: queen is exact. 3rd: unit(queen) - unit(woman) + unit(man) = (.87, -.13, .58)
    # scores x at 1.03 and king at 1.02, so the decoy wins. 2nd: "nobody" is unknown.
    assert sections[0]["correct"] == [("MAN", "WOMAN", "KING", "QUEEN")]
    assert sections[0]["incorrect"] == [("WOMAN", "MAN", "QUEEN", "KING")]
    assert accuracy == 0.5


def _gensim_kv(wv):
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors(vector_size=wv.vector_size, dtype=np.float32)
    kv.add_vectors(list(wv.index_to_key), wv.vectors)
    return kv


def test_analogy_evaluation_agrees_with_gensim_section_by_section(fitted, data_dir):
    wv = fitted.wv_
    kv = _gensim_kv(wv)
    path = str(data_dir / "analogies.txt")
    for restrict in (300_000, 200):
        for case_insensitive in (True, False):
            ours = wv.evaluate_analogies(path, restrict, case_insensitive)
            theirs = kv.evaluate_word_analogies(path, restrict, case_insensitive)
            assert ours[0] == pytest.approx(theirs[0], abs=1e-12)
            assert ours[1] == theirs[1]


def test_word_pair_evaluation_agrees_with_gensim(fitted, data_dir):
    wv = fitted.wv_
    kv = _gensim_kv(wv)
    path = str(data_dir / "wordpairs.tsv")
    for case_insensitive in (True, False):
        pearson, spearman, oov = wv.evaluate_word_pairs(path, case_insensitive=case_insensitive)
        g_pearson, g_spearman, g_oov = kv.evaluate_word_pairs(
            path, case_insensitive=case_insensitive
        )
        assert pearson.statistic == pytest.approx(g_pearson.statistic, abs=1e-9)
        assert spearman.statistic == pytest.approx(g_spearman.statistic, abs=1e-9)
        assert oov == pytest.approx(g_oov, abs=1e-12)


def test_word_pairs_need_two_known_pairs(toy):
    with pytest.raises(ValueError, match="at least 2"):
        toy.evaluate_word_pairs(["a\tzz\t1.0", "a\tb\t2.0"])


def test_pickle_drops_caches_and_round_trips(toy):
    import pickle

    toy.similarity("a", "b")
    clone = pickle.loads(pickle.dumps(toy))
    assert clone._unit is None
    assert np.array_equal(clone.vectors, toy.vectors)
    assert clone.key_to_index == toy.key_to_index
    assert clone.similarity("a", "b") == toy.similarity("a", "b")


QUERIES = [
    (["god"], []),
    (["king", "woman"], ["man"]),
    (["father", "daughter"], ["son"]),
    ([], ["land"]),
]


@pytest.mark.parametrize("positive, negative", QUERIES)
@pytest.mark.parametrize("restrict_vocab", [None, 300])
def test_most_similar_agrees_with_gensim(fitted, positive, negative, restrict_vocab):
    wv = fitted.wv_
    ours = wv.most_similar(positive, negative, topn=8, restrict_vocab=restrict_vocab)
    theirs = _gensim_kv(wv).most_similar(positive, negative, topn=8,
                                         restrict_vocab=restrict_vocab)  # fmt: skip
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)


@pytest.mark.parametrize("positive, negative", [q for q in QUERIES if q[0]])
def test_most_similar_cosmul_agrees_with_gensim(fitted, positive, negative):
    wv = fitted.wv_
    ours = wv.most_similar_cosmul(positive, negative, topn=8)
    theirs = _gensim_kv(wv).most_similar_cosmul(positive, negative, topn=8)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)


@pytest.mark.parametrize("method", ["most_similar", "most_similar_cosmul"])
def test_restrict_vocab_searches_only_the_most_frequent_words(fitted, method):
    wv = fitted.wv_
    query = getattr(wv, method)
    everything = query(["king", "woman"], ["man"], topn=len(wv))
    restricted = query(["king", "woman"], ["man"], topn=20, restrict_vocab=300)
    expected = [(w, s) for w, s in everything if wv.key_to_index[w] < 300][:20]
    assert [w for w, _ in restricted] == [w for w, _ in expected]
    with pytest.raises(ValueError, match="at least one positive"):
        wv.most_similar_cosmul(negative=["man"])


def test_pairwise_queries_agree_with_gensim(fitted):
    wv = fitted.wv_
    kv = _gensim_kv(wv)
    assert wv.similarity("god", "lord") == kv.similarity("god", "lord")
    assert wv.distance("god", "lord") == pytest.approx(kv.distance("god", "lord"), abs=1e-7)
    assert wv.n_similarity(["god", "lord"], ["land", "water"]) == pytest.approx(
        kv.n_similarity(["god", "lord"], ["land", "water"]), abs=1e-7
    )
    words = ["father", "mother", "son", "daughter", "camel"]
    assert wv.doesnt_match(words) == kv.doesnt_match(words)
    np.testing.assert_array_equal(wv.get_vector("god", norm=True), kv.get_vector("god", norm=True))


@pytest.mark.parametrize(
    "call",
    [
        lambda wv: wv.get_vector("nosuchword"),
        lambda wv: wv.similarity("god", "nosuchword"),
        lambda wv: wv.distance("nosuchword", "god"),
        lambda wv: wv.most_similar(["god", "nosuchword"]),
        lambda wv: wv.most_similar_cosmul(["god"], negative=["nosuchword"]),
        lambda wv: wv.n_similarity(["god"], ["nosuchword"]),
        lambda wv: wv.doesnt_match(["god", "nosuchword"]),
    ],
)
def test_unknown_words_raise_key_error_naming_the_word(fitted, call):
    with pytest.raises(KeyError, match="nosuchword"):
        call(fitted.wv_)


def test_normalised_rows_are_computed_once_and_cached(toy):
    toy.most_similar("a")
    unit = toy._unit_vectors()
    toy.similarity("a", "b")
    toy.most_similar("b")
    assert toy._unit_vectors() is unit
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, rtol=1e-6)
