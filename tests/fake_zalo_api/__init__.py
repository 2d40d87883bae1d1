"""A fake Zalo Bot Platform API for the tests and benchmarks."""
