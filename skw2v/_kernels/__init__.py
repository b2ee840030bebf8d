"""Layer 1, compiled kernels over arrays (words, documents, subwords, tokens, pooling)."""
