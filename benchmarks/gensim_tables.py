"""skw2v's sampling tables beside gensim's, built from the same corpus.

    python benchmarks/gensim_tables.py [--lines 200000] [--corpus PATH]

Both libraries build their vocabulary (word2vec defaults: ``min_count=5``,
``sample=1e-3``, ``ns_exponent=0.75``); the script then compares, word by word:

- the subsampling keep-probability (gensim's ``sample_int / 2**32``, skw2v's
  ``keep_thresholds / 2**32``);
- the noise distribution (gensim's ``cum_table`` increments over its 2**31 - 1 domain,
  skw2v's Walker alias table read back as probabilities);
- how far apart the learning rates of the schedules can be. gensim sets the rate once
  per job of at most 10,000 words, from the number of sentences pushed so far (its
  progress counts sentences when the corpus size is known, as ``Word2Vec(sentences)``
  knows it); skw2v sets it per document from the number of documents before it;
  word2vec.c (and skw2v before issue 13) from the number of words before it.
"""

from __future__ import annotations

import argparse

import _common
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(_common.DEFAULT_CORPUS))
    parser.add_argument("--lines", type=int, default=200_000, help="first N lines (0: all)")
    args = parser.parse_args()

    from gensim.models import Word2Vec

    from skw2v._training.corpus import count_and_encode
    from skw2v._training.vocab import (
        alias_probabilities,
        alias_table,
        build_vocabulary,
        keep_thresholds,
    )

    docs = _common.load_corpus(args.corpus, args.lines or None)
    model = Word2Vec(vector_size=10, min_count=5, sample=1e-3, ns_exponent=0.75, sg=1)
    model.build_vocab(docs)
    words = model.wv.index_to_key
    gensim_keep = np.array([model.wv.get_vecattr(w, "sample_int") for w in words]) / 2.0**32
    cum = model.cum_table.astype(np.float64)
    gensim_noise = np.diff(np.concatenate([[0.0], cum])) / cum[-1]

    types, provisional = count_and_encode(docs)
    vocabulary, _ = build_vocabulary(types, provisional, 5)
    row = {w: i for i, w in enumerate(vocabulary.words)}
    order = np.array([row[w] for w in words])
    own_keep = keep_thresholds(vocabulary.counts, 1e-3)[order] / 2.0**32
    own_noise = alias_probabilities(*alias_table(vocabulary.counts, 0.75))[order]

    n_tokens = int(vocabulary.counts.sum())
    epochs = 5
    span = 0.025 - 1e-4
    lengths = np.array([len(doc) for doc in docs], dtype=np.int64)  # raw words per line
    n_lines = lengths.shape[0]
    by_lines = np.arange(n_lines) / n_lines
    # gensim's jobs: consecutive lines up to 10,000 raw words; a job's rate is set from the
    # lines pushed before it
    job_first = np.zeros(n_lines, dtype=np.int64)
    filled, first = 0, 0
    for i, length in enumerate(lengths):
        if filled + length > 10_000 and filled:
            first, filled = i, 0
        filled += length
        job_first[i] = first
    gensim_progress = job_first / n_lines
    by_words = (np.cumsum(lengths) - lengths) / lengths.sum()
    job_lr_gap = span / epochs * np.abs(by_lines - gensim_progress).max()
    word_lr_gap = span / epochs * np.abs(by_words - gensim_progress).max()
    rows = [
        ["vocabulary size", f"{len(words):,}", f"{len(vocabulary.words):,}", ""],
        ["same words", "", "", str(set(words) == set(vocabulary.words))],
        ["keep probability: largest absolute difference", "", "",
         f"{np.abs(gensim_keep - own_keep).max():.3g}"],
        ["noise probability: largest absolute difference", "", "",
         f"{np.abs(gensim_noise - own_noise).max():.3g}"],
        ["noise probability: largest relative difference", "", "",
         f"{(np.abs(gensim_noise - own_noise) / gensim_noise).max():.3g}"],
        ["smallest noise probability", f"{gensim_noise.min():.3g}", f"{own_noise.min():.3g}", ""],
        ["learning rate: largest gap, skw2v (by documents) vs gensim (jobs, by sentences)",
         "", "", f"{job_lr_gap:.3g} ({job_lr_gap / 0.025:.2%} of alpha)"],
        ["learning rate: largest gap, by words (word2vec.c) vs gensim", "", "",
         f"{word_lr_gap:.3g} ({word_lr_gap / 0.025:.2%} of alpha)"],
    ]  # fmt: skip
    _common.print_table(
        f"Sampling tables, first {args.lines or 'all'} lines ({n_tokens:,} tokens in vocabulary)",
        ["quantity", "gensim 4.4.0", "skw2v", "difference"],
        rows,
    )


if __name__ == "__main__":
    _common.run_published(main, "gensim-tables")
