"""The shared workspace: saved datasets, geocoding corrections, column mappings.

One SQLite file (``workspace.sqlite`` in :func:`geo.views.data_dir`) that
colleagues opening the shared dashboard all read. A dataset is stored as one
Parquet blob, so that every value and dtype comes back exactly as saved.

Saves are atomic: the new version is written in a single transaction that
inserts the blob and moves the dataset's pointer to it, then removes the old
version. A crash or a killed process during a save leaves the previous
version in place (SQLite's journal rolls the unfinished transaction back).

Tables: ``datasets`` (id, name, description, source file, rows, who saved it
and when, current version), ``blobs`` (dataset id, version, Parquet bytes),
``corrections`` (place key of an address -> unit code, ISO code or
``point:LAT,LON``), ``mappings`` (a header signature -> column mapping).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from geo.views import data_dir

__all__ = ["DEMO_ID", "Workspace", "WorkspaceError", "dataset_id"]

#: The built-in dataset: listed by the app, never stored, never deleted.
DEMO_ID = "demo"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '', rows INTEGER NOT NULL, saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (
    dataset_id TEXT NOT NULL, version INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (dataset_id, version));
CREATE TABLE IF NOT EXISTS corrections (
    place_key TEXT PRIMARY KEY, target TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    saved_by TEXT NOT NULL, saved_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mappings (
    signature TEXT PRIMARY KEY, mapping TEXT NOT NULL, saved_at TEXT NOT NULL);
"""


class WorkspaceError(ValueError):
    """A workspace operation that cannot be done, with a message for the user."""


def dataset_id(name: str) -> str:
    """A URL-safe id from a dataset name (lower-case Latin letters, digits, dashes)."""
    import unicodedata

    from geo.text import transliterate

    text = unicodedata.normalize("NFKD", transliterate(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48]
    return text or "dataset"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Workspace:
    """The workspace in one SQLite file.

    Parameters
    ----------
    path : Path
        The SQLite file; created with its folder when missing.
    """

    path: Path

    @classmethod
    def default(cls) -> "Workspace":
        """The workspace in :func:`geo.views.data_dir`."""
        return cls(data_dir() / "workspace.sqlite")

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            # versions no dataset points to: left by a save that was killed
            db.execute("DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM datasets d "
                       "WHERE d.id = blobs.dataset_id AND d.version = blobs.version)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    # -- datasets --------------------------------------------------------------------
    def list(self) -> pd.DataFrame:
        """The saved datasets (id, name, description, source_file, rows, saved_by, saved_at)."""
        with self._connect() as db:
            return pd.read_sql_query(
                "SELECT id, name, description, source_file, rows, saved_by, saved_at, version "
                "FROM datasets ORDER BY saved_at DESC", db)

    def exists(self, dataset: str) -> bool:
        """Whether a dataset with this id is saved."""
        with self._connect() as db:
            return db.execute("SELECT 1 FROM datasets WHERE id = ?", (dataset,)).fetchone() \
                is not None

    def save(self, frame: pd.DataFrame, *, name: str, saved_by: str, description: str = "",
             source_file: str = "", dataset: str | None = None, replace: bool = False) -> str:
        """Save ``frame`` as a dataset; returns its id.

        Raises
        ------
        WorkspaceError
            When the id is the demo's, or exists and ``replace`` is False.
        """
        dataset = dataset or dataset_id(name)
        if dataset == DEMO_ID:
            raise WorkspaceError("the demo dataset cannot be replaced; choose another name")
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        blob = buffer.getvalue()
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT version FROM datasets WHERE id = ?", (dataset,)).fetchone()
            if row is not None and not replace:
                db.execute("ROLLBACK")
                raise WorkspaceError(f"a dataset {dataset!r} exists; confirm to replace it")
            version = (row[0] + 1) if row else 1
            db.execute("INSERT INTO blobs (dataset_id, version, data) VALUES (?, ?, ?)",
                       (dataset, version, blob))
            db.execute(
                "INSERT INTO datasets (id, name, description, source_file, rows, saved_by, "
                "saved_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET name=excluded.name, description=excluded.description, "
                "source_file=excluded.source_file, rows=excluded.rows, "
                "saved_by=excluded.saved_by, saved_at=excluded.saved_at, "
                "version=excluded.version",
                (dataset, name, description, source_file, len(frame), saved_by, _now(), version))
            db.execute("DELETE FROM blobs WHERE dataset_id = ? AND version < ?",
                       (dataset, version))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()
        return dataset

    def load(self, dataset: str) -> pd.DataFrame:
        """The saved rows of a dataset, exactly as saved.

        Raises
        ------
        WorkspaceError
            When there is no such dataset.
        """
        with self._connect() as db:
            row = db.execute("SELECT b.data FROM datasets d JOIN blobs b ON b.dataset_id = d.id "
                             "AND b.version = d.version WHERE d.id = ?", (dataset,)).fetchone()
        if row is None:
            raise WorkspaceError(f"no dataset {dataset!r} in the workspace")
        return pd.read_parquet(io.BytesIO(row[0]))

    def version(self, dataset: str) -> int:
        """The current version of a dataset (0 if none): part of every cache key."""
        with self._connect() as db:
            row = db.execute("SELECT version FROM datasets WHERE id = ?", (dataset,)).fetchone()
        return int(row[0]) if row else 0

    def delete(self, dataset: str) -> None:
        """Remove a dataset and its rows; the demo cannot be deleted."""
        if dataset == DEMO_ID:
            raise WorkspaceError("the demo dataset cannot be deleted")
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM datasets WHERE id = ?", (dataset,))
            db.execute("DELETE FROM blobs WHERE dataset_id = ?", (dataset,))
            db.execute("COMMIT")
        finally:
            db.close()

    # -- geocoding corrections ---------------------------------------------------------
    def corrections(self) -> dict[str, str]:
        """Place key -> correction target, for :class:`geo.geocode.Geocoder`."""
        with self._connect() as db:
            return dict(db.execute("SELECT place_key, target FROM corrections").fetchall())

    def save_correction(self, place_key: str, target: str, *, saved_by: str,
                        note: str = "") -> None:
        """Remember a fix for every address with this place key."""
        if not place_key:
            raise WorkspaceError("an empty address cannot be corrected")
        with self._connect() as db:
            db.execute("INSERT INTO corrections (place_key, target, note, saved_by, saved_at) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT(place_key) DO UPDATE SET "
                       "target=excluded.target, note=excluded.note, "
                       "saved_by=excluded.saved_by, saved_at=excluded.saved_at",
                       (place_key, target, note, saved_by, _now()))

    # -- column mappings ---------------------------------------------------------------
    @staticmethod
    def signature(columns) -> str:
        """A file's header signature: the same headers give the same signature."""
        text = "\x1f".join(str(c).strip().lower() for c in columns)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def mapping(self, columns) -> dict[str, str] | None:
        """The mapping remembered for files with these headers, if any."""
        with self._connect() as db:
            row = db.execute("SELECT mapping FROM mappings WHERE signature = ?",
                             (self.signature(columns),)).fetchone()
        return json.loads(row[0]) if row else None

    def save_mapping(self, columns, mapping: dict[str, str]) -> None:
        """Remember the column mapping confirmed for files with these headers."""
        with self._connect() as db:
            db.execute("INSERT INTO mappings (signature, mapping, saved_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(signature) DO UPDATE SET mapping=excluded.mapping, "
                       "saved_at=excluded.saved_at",
                       (self.signature(columns), json.dumps(mapping, ensure_ascii=False),
                        _now()))
