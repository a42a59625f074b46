"""Experiments built on the stage runner: the Fashion-MNIST evidence grid
of docs/results_grid.md (its design, its runner and its report)."""
