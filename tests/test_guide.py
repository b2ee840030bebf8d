"""Every code block of the README and the user guide runs, and shows what it prints.

Each page's ```python and ```pycon blocks run in order in one namespace (a later block
may use the names of an earlier one, as a reader would), in a temporary folder that holds
the files the pages assume the reader has (the ``reader_files`` fixture): corpus files,
the evaluation sets, and small stand-ins for downloaded vector files, written in those
files' formats. ```pycon blocks are doctests: the output they show must be what they
print.
The ``skw2v`` commands of the ```bash blocks run through the command line's ``main``. The
other shell commands of the README (install, test, demo, documentation build) are what
``.ci/run`` runs.
"""

from __future__ import annotations

import doctest
import gzip
import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import java_missing

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(page: Path, *languages: str) -> list[tuple[int, str, str]]:
    """``(first line number, language, code)`` of the page's fenced blocks of these
    languages, in page order."""
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, match.start(2)) + 1, match.group(1), match.group(2))
        for match in FENCE.finditer(text)
        if match.group(1) in languages
    ]


def _pages_with(*languages: str) -> list[Path]:
    return [page for page in PAGES if blocks(page, *languages)]


def _verses(count: int) -> list[str]:
    from skw2v.datasets import load_kjv

    return [" ".join(doc) for doc in load_kjv().data[:count]]


@pytest.fixture
def reader_files(tmp_path, monkeypatch):
    """The files the guide's examples open, in a temporary working folder."""
    from skw2v import Word2VecTransformer

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # a sandbox may not resolve its name
    verses = _verses(31_102)
    (tmp_path / "data").mkdir()
    for part in range(2):
        with gzip.open(tmp_path / "data" / f"part-{part}.txt.gz", "wt") as handle:
            handle.write("\n".join(verses[part * 3000 : (part + 1) * 3000]) + "\n")
    (tmp_path / "new-documents.txt").write_text("\n".join(verses[:50]) + "\n")
    (tmp_path / "text8").write_text(" ".join(verses) + "\n")  # one line, as text8
    with gzip.open(tmp_path / "corpus.txt.gz", "wt") as handle:
        handle.write("\n".join(verses[:3000]) + "\n")
    (tmp_path / "scratch").mkdir()
    shutil.copy(DATA / "analogies.txt", tmp_path / "questions-words.txt")
    shutil.copy(DATA / "wordpairs.tsv", tmp_path / "wordsim353.tsv")
    # Stand-ins for downloads: a word2vec.c binary file, and a GloVe text file (no header).
    wv = (
        Word2VecTransformer(vector_size=30, epochs=1, n_jobs=1, random_state=0)
        .fit([verse.split() for verse in verses[:6000]])
        .wv_
    )
    wv.save_word2vec_format(tmp_path / "GoogleNews-vectors-negative300.bin", binary=True)
    rows = [f"{word} " + " ".join(f"{x:.5f}" for x in wv[word]) for word in wv.index_to_key]
    (tmp_path / "glove.6B.100d.txt").write_text("\n".join(rows) + "\n")
    return tmp_path


def _run_block(language: str, code: str, line: int, page: Path, namespace: dict) -> None:
    """Run one block: a ```pycon block as a doctest, a ```python block as a script."""
    if language == "python":
        exec(compile("\n" * (line - 1) + code, str(page), "exec"), namespace)
        return
    test = doctest.DocTestParser().get_doctest(code, namespace, page.name, str(page), line - 1)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)
    assert runner.failures == 0, "".join(report)


def test_every_page_of_the_guide_is_checked():
    """The checked pages are the whole guide, and no code hides in a block that is not
    run: every fence names its language, and the languages are python and pycon (run),
    bash (its ``skw2v`` commands run), text (output and diagrams) or a MyST directive."""
    names = {page.name for page in _pages_with("python", "pycon")}
    assert {"README.md", "guide.md", "word-vectors.md", "large-corpora.md"} <= names
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        opening = re.findall(r"^```(\S*)[^\n]*\n(?:.*?)^```", text, re.DOTALL | re.MULTILINE)
        for language in opening:
            assert language in {"python", "pycon", "bash", "text"} or language.startswith("{"), (
                f"{page.name}: a ```{language} block"
            )


def test_a_block_that_fails_or_shows_another_output_fails():
    namespace: dict = {}
    _run_block("python", "x = 2\n", 1, Path("page.md"), namespace)
    _run_block("pycon", ">>> x + 1\n3\n", 2, Path("page.md"), namespace)
    with pytest.raises(AssertionError, match="Expected"):
        _run_block("pycon", ">>> x + 1\n4\n", 2, Path("page.md"), namespace)
    with pytest.raises(ZeroDivisionError):
        _run_block("python", "x / 0\n", 1, Path("page.md"), namespace)


@pytest.mark.parametrize("page", _pages_with("python", "pycon"), ids=lambda page: page.name)
def test_python_blocks_run(page, reader_files):
    namespace: dict = {"__name__": "__guide__"}
    try:
        for line, language, code in blocks(page, "python", "pycon"):
            if "pyspark" in code and java_missing() is not None:
                # the Spark example closes its page: what follows it uses its results
                pytest.skip(f"{page.name}, line {line} on: the Spark example needs "
                            f"{java_missing()}")  # fmt: skip
            _run_block(language, code, line, page, namespace)
    finally:
        if "spark" in namespace:
            namespace["spark"].stop()


def _commands(page: Path) -> list[tuple[int, list[str]]]:
    """The ``skw2v`` commands of the page's bash blocks (continuation lines joined), with
    the line each starts on."""
    found = []
    for line, _, code in blocks(page, "bash"):
        pending, first = "", line
        for offset, text in enumerate(code.splitlines()):
            if not pending:
                first = line + offset
            pending += text
            if pending.endswith("\\"):
                pending = pending[:-1] + " "
                continue
            words = shlex.split(pending, comments=True)
            pending = ""
            if words and words[0] == "skw2v":
                found.append((first, words[1:]))
    return found


@pytest.mark.parametrize(
    "page", [page for page in PAGES if _commands(page)], ids=lambda page: page.name
)
def test_command_line_blocks_run(page, reader_files, capsys):
    from skw2v._cli import main

    for line, argv in _commands(page):
        status = main(argv)
        output = capsys.readouterr()
        assert status == 0, f"{page.name}:{line}: skw2v {shlex.join(argv)}: {output.err}"
