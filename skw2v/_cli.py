"""The ``skw2v`` command line (also ``python -m skw2v``).

``skw2v train`` takes word2vec.c's flags verbatim, with word2vec.c's defaults (CBOW,
``-alpha 0.05`` for CBOW and 0.025 for skip-gram), and writes the same word2vec text or
binary files, so a word2vec.c user can swap the program name. ``similar``, ``analogy``
and ``evaluate`` query and grade a vector file; ``demo`` runs the bundled demo. Errors
are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

#: word2vec.c's flags: (single-dash name, long names, type, default, help).
TRAIN_FLAGS = [
    ("-train", ["--train"], str, None, "training text: one document per line (also a "
                                       "directory, a glob, .gz/.bz2/.xz)"),
    ("-output", ["--output"], str, None, "where to write the word vectors"),
    ("-size", ["--size", "--vector-size"], int, 100, "vector dimension"),
    ("-window", ["--window"], int, 5, "maximum skip length between words"),
    ("-sample", ["--sample"], float, 1e-3, "subsampling threshold of frequent words "
                                           "(0 = off)"),
    ("-hs", ["--hs"], int, 0, "1 = hierarchical softmax (with -negative 0)"),
    ("-negative", ["--negative"], int, 5, "noise words per example (0 = none)"),
    ("-threads", ["--threads"], int, 12, "training threads (capped at the processors)"),
    ("-iter", ["--iter", "--epochs"], int, 5, "training epochs"),
    ("-min-count", ["--min-count"], int, 5, "ignore words seen fewer times"),
    ("-alpha", ["--alpha"], float, None, "initial learning rate (default 0.05 for CBOW, "
                                         "0.025 for skip-gram)"),
    ("-binary", ["--binary"], int, 0, "1 = binary output file"),
    ("-cbow", ["--cbow"], int, 1, "1 = CBOW (word2vec.c's default), 0 = skip-gram"),
    ("-save-vocab", ["--save-vocab"], str, None, "also write '<word> <count>' lines here"),
    ("-debug", ["--debug"], int, 2, "0 = quiet, >0 = progress on stderr"),
    ("-seed", ["--seed", "--random-state"], int, 0, "random seed (skw2v only)"),
    ("-shared-negatives", ["--shared-negatives"], int, 1, "1 = noise words shared by a "
                                                          "skip-gram window or a group of 4 "
                                                          "CBOW centres (skw2v's faster "
                                                          "default), 0 = per pair or centre, "
                                                          "as word2vec.c (skw2v only)"),
    ("-classes", ["--classes"], int, 0, "not supported (word2vec.c's k-means classes)"),
    ("-read-vocab", ["--read-vocab"], str, None, "not supported"),
]  # fmt: skip


class CommandError(Exception):
    """A mistake in the command: reported as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skw2v", description="word2vec, compiled: train, query and grade word vectors."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser(
        "train", allow_abbrev=False, help="train word vectors (word2vec.c's flags)",
        description="Train word vectors. Flags and defaults are word2vec.c's; each has a "
                    "--long-name too. Differences from word2vec.c: docs/cli.md.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )  # fmt: skip
    for flag, names, kind, default, text in TRAIN_FLAGS:
        dest = names[0].lstrip("-").replace("-", "_")
        train.add_argument(flag, *names, dest=dest, type=kind, default=default, help=text,
                           metavar=kind.__name__.upper())  # fmt: skip

    defaults = argparse.ArgumentDefaultsHelpFormatter
    similar = commands.add_parser("similar", help="nearest words of each WORD",
                                  formatter_class=defaults)  # fmt: skip
    _vector_file_arguments(similar)
    similar.add_argument("words", nargs="+", metavar="WORD")
    similar.add_argument("-n", "--topn", type=int, default=10, help="neighbours per word")

    analogy = commands.add_parser("analogy", help="A is to B as C is to ?",
                                  formatter_class=defaults)  # fmt: skip
    _vector_file_arguments(analogy)
    analogy.add_argument("a")
    analogy.add_argument("b")
    analogy.add_argument("c")
    analogy.add_argument("-n", "--topn", type=int, default=5, help="answers")

    evaluate = commands.add_parser(
        "evaluate", formatter_class=defaults,
        help="analogy accuracy and word-pair correlation (gensim's evaluation); without "
             "files, Google's analogies and WordSim-353 (bundled)",
    )  # fmt: skip
    _vector_file_arguments(evaluate)
    evaluate.add_argument("--analogies", help="questions-words.txt format (default: the "
                          "bundled copy, with --pairs absent too)")  # fmt: skip
    evaluate.add_argument("--pairs", help="word pairs with a human score (default: the "
                          "bundled WordSim-353, with --analogies absent too)")  # fmt: skip

    demo = commands.add_parser("demo", help="train on the bundled King James Bible")
    demo.add_argument("--n-jobs", type=int, default=-1, help="training threads (default: all)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return parser


def _vector_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("vectors", help="a word2vec text or binary file, or a fastText .bin "
                        "model (the format is read from the file)")  # fmt: skip
    parser.add_argument("--binary", action="store_true", help="insist on a word2vec binary "
                        "file (a text file is then an error)")  # fmt: skip
    parser.add_argument("--no-header", action="store_true", help="a text file without the "
                        "'count dimension' first line (GloVe's)")  # fmt: skip
    parser.add_argument("--limit", type=int, default=None, help="read only the first LIMIT "
                        "words (the most frequent, in files sorted by frequency)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        # the reader stopped early (``skw2v similar ... | head -1``): not an error of ours;
        # point stdout at /dev/null so that Python's exit flush does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (CommandError, ValueError, TypeError, KeyError, OSError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"skw2v {args.command}: error: {message}", file=sys.stderr)
        return 2


def train(args: argparse.Namespace) -> int:
    from ._reader import LineCorpus
    from ._transformer import Word2VecTransformer

    if args.train is None or args.output is None:
        raise CommandError("-train FILE and -output FILE are required")
    if args.classes:
        raise CommandError("-classes (k-means word classes) is not supported; use "
                           "sklearn.cluster.KMeans on the vectors")  # fmt: skip
    if args.read_vocab:
        raise CommandError("-read-vocab is not supported; the vocabulary is counted from "
                           "-train")  # fmt: skip
    if args.hs and args.negative:
        raise CommandError(
            f"-hs 1 with -negative {args.negative} trains two objectives at once in "
            "word2vec.c; skw2v trains one: pass -negative 0 for hierarchical softmax"
        )
    if not args.hs and not args.negative:
        raise CommandError("-hs 0 with -negative 0 trains nothing; pass -negative 5 or -hs 1")
    corpus = LineCorpus(args.train)
    _check_outputs(corpus.paths, {"-output": args.output, "-save-vocab": args.save_vocab})
    cbow = bool(args.cbow)
    model = Word2VecTransformer(
        vector_size=args.size, window=args.window, sample=args.sample,
        negative=args.negative if args.negative else 5,
        objective="hierarchical_softmax" if args.hs else "negative_sampling",
        architecture="cbow" if cbow else "skipgram",
        alpha=args.alpha if args.alpha is not None else (0.05 if cbow else 0.025),
        epochs=args.iter, min_count=args.min_count, n_jobs=args.threads,
        random_state=args.seed, verbose=int(args.debug > 0),
        shared_negatives=bool(args.shared_negatives),
    )  # fmt: skip
    tic = time.perf_counter()
    model.fit(corpus)
    model.wv_.save_word2vec_format(args.output, binary=bool(args.binary), fvocab=args.save_vocab)
    if args.debug > 0:
        print(f"[skw2v] {len(model.wv_):,} words x {args.size} written to {args.output} "
              f"({time.perf_counter() - tic:.1f} s in all)", file=sys.stderr)  # fmt: skip
    return 0


def _check_outputs(inputs: list[Path], outputs: dict[str, str | None]) -> None:
    """Before training: every output goes to an existing, writable folder, is not an
    input file (which training would read and the output replace), and no two outputs
    are the same file."""
    seen: dict[str, str] = {}
    for flag, output in outputs.items():
        if output is None:
            continue
        folder = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(folder):
            raise CommandError(f"{flag} {output}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise CommandError(f"{flag} {output}: the folder {folder} is not writable")
        if os.path.isdir(output):
            raise CommandError(f"{flag} {output} is a folder; name a file")
        for path in inputs:
            if os.path.exists(output) and os.path.samefile(output, path):
                raise CommandError(f"{flag} {output} is the training file {path}: writing "
                                   "it would replace the corpus; name another file")  # fmt: skip
        key = os.path.realpath(output)
        if key in seen:
            raise CommandError(f"{flag} and {seen[key]} name the same file {output}")
        seen[key] = flag


def _load(args: argparse.Namespace):
    """Read the vector file: a fastText ``.bin`` model, or a word2vec file, text or binary
    as its content says (``--binary`` insists on binary: a text file is then an error,
    not garbage)."""
    from ._io.fasttext_format import is_facebook_file
    from ._subword_vectors import SubwordVectors
    from ._vectors import WordVectors

    if args.limit is not None and args.limit < 1:
        raise CommandError(f"--limit {args.limit}: pass a positive number of words")
    if is_facebook_file(args.vectors):
        if args.binary or args.no_header:
            raise CommandError(f"{args.vectors} is a fastText .bin model; --binary and "
                               "--no-header are for word2vec files")  # fmt: skip
        return SubwordVectors.load_facebook_format(args.vectors, limit=args.limit)
    try:
        return WordVectors.load_word2vec_format(
            args.vectors, binary=True if args.binary else None, limit=args.limit,
            no_header=args.no_header,
        )  # fmt: skip
    except ValueError as error:
        # the library's advice names its keyword; here the flag does the same
        raise CommandError(str(error).replace("pass no_header=True", "pass --no-header")
                           .replace("no_header=True", "--no-header")) from None  # fmt: skip


def _known(wv, words: list[str]) -> None:
    """Every query word has a vector (before anything is printed)."""
    from ._subword_vectors import SubwordVectors

    if isinstance(wv, SubwordVectors):
        return  # unseen words are composed from their n-grams
    unknown = [word for word in words if word not in wv]
    if unknown:
        raise CommandError(f"not in the vocabulary: {', '.join(map(repr, unknown))}")


def similar(args: argparse.Namespace) -> int:
    wv = _load(args)
    _known(wv, args.words)
    for word in args.words:
        print(word)
        for other, score in wv.most_similar(word, topn=args.topn):
            print(f"  {other}\t{score:.4f}")
    return 0


def analogy(args: argparse.Namespace) -> int:
    wv = _load(args)
    _known(wv, [args.a, args.b, args.c])
    for word, score in wv.most_similar(positive=[args.b, args.c], negative=[args.a],
                                       topn=args.topn):  # fmt: skip
        print(f"{word}\t{score:.4f}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    if not args.analogies and not args.pairs:
        from .datasets import analogies_path, word_pairs_path

        args.analogies, args.pairs = analogies_path(), word_pairs_path()
    wv = _load(args)
    if args.analogies:
        accuracy, sections = wv.evaluate_analogies(args.analogies)
        total = sections[-1]
        n = len(total["correct"]) + len(total["incorrect"])
        print(f"analogies\t{accuracy:.4f}\t({len(total['correct'])} of {n} answered "
              "questions correct)")  # fmt: skip
    if args.pairs:
        pearson, spearman, oov = wv.evaluate_word_pairs(args.pairs)
        print(f"pairs\tspearman {spearman.statistic:.4f}\tpearson {pearson.statistic:.4f}\t"
              f"out of vocabulary {oov:.1f}%")  # fmt: skip
    return 0


def demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    run_demo(n_jobs=args.n_jobs, seed=args.seed)
    return 0


COMMANDS = {"train": train, "similar": similar, "analogy": analogy, "evaluate": evaluate,
            "demo": demo}  # fmt: skip
