"""Where the package finds its embedded data (a module of its own, light to import)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATASETS_DIR"]

#: The embedded datasets (``datasets/`` at the top of the repository).
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
