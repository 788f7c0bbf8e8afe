"""Benchmarks of clustercollab (run as scripts: python bench/<name>.py)."""
