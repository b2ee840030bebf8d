"""skw2v's sampling tables beside gensim's, built from the same corpus.

    python benchmarks/gensim_tables.py [--lines 200000] [--corpus PATH]

Both libraries build their vocabulary (word2vec defaults: ``min_count=5``,
``sample=1e-3``, ``ns_exponent=0.75``); the script then compares, word by word:

- the subsampling keep-probability (gensim's ``sample_int / 2**32``, skw2v's
  ``keep_thresholds / 2**32``);
- the noise distribution (gensim's ``cum_table`` increments over its 2**31 - 1 domain,
  skw2v's Walker alias table read back as probabilities);
- how far apart the learning rates of the two schedules can be: gensim sets the rate
  once per job of 10,000 words, skw2v once per document.
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

    from skw2v._corpus import count_and_encode
    from skw2v._vocab import (
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
    job_lr_gap = 0.025 * 10_000 / (epochs * n_tokens)
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
        ["learning rate: largest gap between the schedules (10,000-word jobs)", "", "",
         f"{job_lr_gap:.3g} ({job_lr_gap / 0.025:.2%} of alpha)"],
    ]  # fmt: skip
    _common.print_table(
        f"Sampling tables, first {args.lines or 'all'} lines ({n_tokens:,} tokens in vocabulary)",
        ["quantity", "gensim 4.4.0", "skw2v", "difference"],
        rows,
    )


if __name__ == "__main__":
    main()
