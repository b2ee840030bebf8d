"""Layer 3, training: corpus encoding, vocabulary, threads, the driver, inference."""
