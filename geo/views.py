"""Saved views: named links a presenter steps through.

A saved view is a name and the query of a :class:`geo.view.View`. They live
in one JSON file in the workspace folder, written atomically (a temporary
file, then a rename), so a crash never leaves half a file.
"""

from __future__ import annotations

import builtins
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SavedViews", "data_dir"]


def data_dir() -> Path:
    """The workspace folder: ``$CAM_DATA_DIR`` or ``./workspace``."""
    return Path(os.environ.get("CAM_DATA_DIR") or Path.cwd() / "workspace")


@dataclass
class SavedViews:
    """The saved views in ``path`` (a JSON list of {"name", "query"})."""

    path: Path

    @classmethod
    def default(cls) -> SavedViews:
        """The store in :func:`data_dir`."""
        return cls(data_dir() / "views.json")

    def list(self) -> list[dict[str, object]]:
        """The saved views, in the order they were saved; [] when none or unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [
            v
            for v in data
            if isinstance(v, dict)
            and isinstance(v.get("name"), str)
            and isinstance(v.get("query"), dict)
        ]

    def save(self, name: str, query: dict[str, str]) -> None:
        """Save (or replace) the view ``name``."""
        name = name.strip()
        if not name or len(name) > 80:
            raise ValueError("a view needs a name of 1-80 characters")
        views = [v for v in self.list() if v["name"] != name]
        views.append({"name": name, "query": {str(k): str(v) for k, v in query.items()}})
        self._write(views)

    def rename(self, name: str, new_name: str) -> None:
        """Give the view ``name`` the name ``new_name``, keeping its place in the list.

        Raises
        ------
        ValueError
            When ``new_name`` is empty, longer than 80 characters, or taken,
            or there is no view ``name``.
        """
        new_name = new_name.strip()
        if not new_name or len(new_name) > 80:
            raise ValueError("a view needs a name of 1-80 characters")
        views = self.list()
        names = [v["name"] for v in views]
        if name not in names:
            raise ValueError(f"there is no saved view {name!r}")
        if new_name != name and new_name in names:
            raise ValueError(f"a view named {new_name!r} exists already")
        views[names.index(name)]["name"] = new_name
        self._write(views)

    def delete(self, name: str) -> None:
        """Remove the view ``name`` (nothing happens if there is none)."""
        self._write([v for v in self.list() if v["name"] != name])

    def _write(self, views: builtins.list[dict[str, object]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(views, f, ensure_ascii=False, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
