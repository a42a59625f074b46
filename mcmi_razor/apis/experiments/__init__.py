"""Experiments built on the stage runner: the Fashion-MNIST evidence grid
of docs/results.md (its design, its runner and its report)."""
