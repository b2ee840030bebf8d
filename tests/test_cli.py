import gzip

import numpy as np
import pytest

from skw2v import LineCorpus, Word2VecTransformer, WordVectors
from skw2v._cli import main


def test_cli_requires_a_command(capsys):
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "demo" in capsys.readouterr().err


def test_demo_help_lists_options(capsys):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--help"])
    assert info.value.code == 0
    assert "--n-jobs" in capsys.readouterr().out


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory, kjv_docs):
    path = tmp_path_factory.mktemp("cli") / "corpus.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(" ".join(doc) + "\n" for doc in kjv_docs[0])
    return path


@pytest.mark.parametrize("binary", [0, 1])
def test_train_takes_word2vec_c_flags_and_writes_what_the_estimator_gives(
    corpus_file, tmp_path, binary
):
    output = tmp_path / ("vectors.bin" if binary else "vectors.txt")
    argv = ["train", "-train", str(corpus_file), "-output", str(output), "-size", "16",
            "-window", "3", "-sample", "1e-3", "-negative", "3", "-hs", "0", "-threads", "1",
            "-iter", "2", "-min-count", "3", "-binary", str(binary), "-cbow", "0",
            "-save-vocab", str(tmp_path / "vocab.txt"), "-debug", "0"]  # fmt: skip
    assert main(argv) == 0
    written = WordVectors.load_word2vec_format(output, binary=bool(binary),
                                               fvocab=tmp_path / "vocab.txt")  # fmt: skip
    expected = Word2VecTransformer(
        vector_size=16, window=3, negative=3, epochs=2, min_count=3, n_jobs=1, random_state=0
    ).fit(LineCorpus(corpus_file))
    assert written.index_to_key == expected.wv_.index_to_key
    np.testing.assert_array_equal(written.vectors, expected.wv_.vectors)
    np.testing.assert_array_equal(written.counts, expected.wv_.counts)


def test_train_long_names_and_word2vec_defaults(corpus_file, tmp_path, monkeypatch):
    seen = {}
    original = Word2VecTransformer.fit

    def recording_fit(self, X, y=None):
        seen.update(self.get_params())
        return original(self, X, y)

    monkeypatch.setattr(Word2VecTransformer, "fit", recording_fit)
    output = tmp_path / "v.txt"
    assert (
        main(
            [
                "train",
                "--train",
                str(corpus_file),
                "--output",
                str(output),
                "--vector-size",
                "8",
                "--epochs",
                "1",
                "--threads",
                "1",
                "--debug",
                "0",
            ]
        )
        == 0
    )
    # word2vec.c's defaults: CBOW with alpha 0.05, window 5, negative 5, min-count 5
    assert seen["architecture"] == "cbow" and seen["alpha"] == 0.05
    assert (seen["window"], seen["negative"], seen["min_count"]) == (5, 5, 5)
    assert seen["vector_size"] == 8 and seen["epochs"] == 1


@pytest.mark.parametrize(
    "extra, message",
    [
        (["-hs", "1"], "pass -negative 0"),
        (["-hs", "0", "-negative", "0"], "trains nothing"),
        (["-classes", "100"], "-classes"),
        (["-size", "0"], "vector_size"),
    ],
)
def test_train_errors_are_one_line_with_exit_code_2(corpus_file, tmp_path, capsys, extra,
                                                    message):  # fmt: skip
    argv = ["train", "-train", str(corpus_file), "-output", str(tmp_path / "v.txt"),
            "-threads", "1", "-debug", "0", *extra]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("skw2v train: error:")
    assert not (tmp_path / "v.txt").exists()


def test_a_missing_training_file_is_one_line(tmp_path, capsys):
    assert main(["train", "-train", str(tmp_path / "nope.txt"), "-output", "x.txt"]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_similar_analogy_and_evaluate_read_a_vector_file(tmp_path, capsys):
    words = ["king", "queen", "man", "woman", "apple"]
    vectors = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [5, -5, 5]], np.float32)
    path = tmp_path / "v.bin"
    WordVectors(vectors, words).save_word2vec_format(path, binary=True)
    assert main(["similar", str(path), "king", "-n", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "king" and len(out) == 3
    assert main(["analogy", str(path), "man", "king", "woman", "-n", "1"]) == 0
    assert capsys.readouterr().out.split("\t")[0] == "queen"
    analogies = tmp_path / "analogies.txt"
    analogies.write_text(": family\nman king woman queen\nman woman king queen\n")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("king\tqueen\t8.0\nman\twoman\t7.0\nking\tapple\t1.0\n")
    assert main(["evaluate", str(path), "--analogies", str(analogies), "--pairs",
                 str(pairs)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("analogies\t") and "\npairs\tspearman" in out
    assert main(["similar", str(path), "unknownword"]) == 2
    assert "not in the vocabulary" in capsys.readouterr().err


@pytest.fixture(scope="module")
def vector_files(tmp_path_factory, kjv_docs):
    """A small model's vectors as word2vec text, header-less text and a fastText .bin."""
    folder = tmp_path_factory.mktemp("vectors")
    model = Word2VecTransformer(vector_size=12, min_count=2, epochs=2, subwords=(3, 4),
                                buckets=3000, n_jobs=1, random_state=0)  # fmt: skip
    model.fit(kjv_docs[0])
    model.wv_.save_word2vec_format(folder / "v.txt")
    text = (folder / "v.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "glove.txt").write_text(text, encoding="utf-8")
    model.save_facebook_model(folder / "v.bin")
    return folder, model


def test_evaluate_without_files_uses_the_bundled_sets(vector_files, capsys):
    folder, _ = vector_files
    assert main(["evaluate", str(folder / "v.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("analogies\t") and "of 19544" not in out  # answered ones only
    assert "\npairs\tspearman" in out


def test_an_unknown_word_is_an_error_before_any_output(vector_files, capsys):
    folder, _ = vector_files
    assert main(["similar", str(folder / "v.txt"), "god", "zzznotaword"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "'zzznotaword'" in captured.err


def test_fasttext_bin_files_compose_unseen_words(vector_files, capsys):
    folder, _ = vector_files
    assert main(["similar", str(folder / "v.bin"), "zzznotaword", "-n", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "zzznotaword" and len(out) == 3
    assert main(["evaluate", str(folder / "v.bin")]) == 0


def test_limit_and_no_header(vector_files, capsys):
    folder, model = vector_files
    rare = model.wv_.index_to_key[-1]
    assert main(["similar", str(folder / "v.txt"), rare, "--limit", "100"]) == 2
    assert "not in the vocabulary" in capsys.readouterr().err
    assert main(["similar", str(folder / "glove.txt"), "god"]) == 2
    error = capsys.readouterr().err
    assert "--no-header" in error and "no_header=True" not in error
    assert main(["similar", str(folder / "glove.txt"), "god", "--no-header", "-n", "1"]) == 0
    assert capsys.readouterr().out.startswith("god\n")


def test_a_closed_pipe_ends_quietly(vector_files):
    import subprocess
    import sys

    folder, _ = vector_files
    command = (f"{sys.executable} -m skw2v similar {folder / 'v.txt'} god lord moses "
               "-n 200 | head -1")  # fmt: skip
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                          text=True)  # fmt: skip
    assert done.stdout == "god\n"
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr


def test_train_help_shows_defaults_and_shared_negatives(corpus_file, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    help_text = capsys.readouterr().out
    assert "(default: 100)" in help_text and "-shared-negatives" in help_text
    outputs = []
    for shared in ("1", "0"):
        output = tmp_path / f"v{shared}.txt"
        argv = ["train", "-train", str(corpus_file), "-output", str(output), "-size", "8",
                "-iter", "1", "-threads", "1", "-cbow", "0", "-debug", "0",
                "-shared-negatives", shared]  # fmt: skip
        assert main(argv) == 0
        outputs.append(WordVectors.load_word2vec_format(output).vectors)
    assert not np.array_equal(outputs[0], outputs[1])
