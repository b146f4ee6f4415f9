"""Golden files of generated artefacts, and the helper that compares with them."""
