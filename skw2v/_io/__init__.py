"""Layer 2, files: compression, atomic writes, corpus storage, word2vec/fastText formats."""
