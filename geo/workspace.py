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
``point:LAT,LON``), ``mappings`` (a header signature -> column mapping),
``boundaries`` (the official boundaries a user loaded, if any: one row with the
joined layer as GeoParquet, its report and who loaded it when; see
:mod:`geo.boundaries`).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.views import data_dir

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.boundaries import BoundaryImport, BoundaryReport, BoundarySource

__all__ = ["DEMO_ID", "Workspace", "WorkspaceConflict", "WorkspaceError", "dataset_id"]

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
CREATE TABLE IF NOT EXISTS boundaries (
    id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, name TEXT NOT NULL,
    source_file TEXT NOT NULL, level TEXT NOT NULL, imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL, report TEXT NOT NULL, data BLOB);
"""


class WorkspaceError(ValueError):
    """A workspace operation that cannot be done, with a message for the user."""


class WorkspaceConflict(WorkspaceError):
    """Another editor changed the same dataset or correction since this one looked at it.

    Attributes
    ----------
    what : str
        The dataset id or the place key.
    saved_by, saved_at : str
        Who made the other change, and when (UTC, ISO 8601).
    """

    def __init__(
        self, message: str, what: str = "", saved_by: str = "", saved_at: str = ""
    ) -> None:
        super().__init__(message)
        self.what, self.saved_by, self.saved_at = what, saved_by, saved_at


def dataset_id(name: str) -> str:
    """A URL-safe id from a dataset name (lower-case Latin letters, digits, dashes)."""
    import unicodedata

    from geo.text import transliterate

    text = unicodedata.normalize("NFKD", transliterate(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48]
    return text or "dataset"


def _busy(exc: sqlite3.OperationalError) -> WorkspaceError:
    """A locked or busy workspace, as a message for the user."""
    if "locked" in str(exc) or "busy" in str(exc):
        return WorkspaceError(
            "the workspace is busy with another editor's save; nothing was "
            "saved: try again in a moment"
        )
    return WorkspaceError(f"the workspace could not be written ({exc}); nothing was saved")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    def default(cls) -> Workspace:
        """The workspace in :func:`geo.views.data_dir`."""
        return cls(data_dir() / "workspace.sqlite")

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            # versions no dataset points to: left by a save that was killed
            db.execute(
                "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM datasets d "
                "WHERE d.id = blobs.dataset_id AND d.version = blobs.version)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): committed when the block ends,
        rolled back if it raises; a database that stays locked is a busy
        :class:`WorkspaceError`. The connection is closed either way."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise _busy(exc) from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # -- datasets --------------------------------------------------------------------
    def list(self) -> pd.DataFrame:
        """The saved datasets (id, name, description, source_file, rows, saved_by, saved_at)."""
        with self._connect() as db:
            return pd.read_sql_query(
                "SELECT id, name, description, source_file, rows, saved_by, saved_at, version "
                "FROM datasets ORDER BY saved_at DESC",
                db,
            )

    def exists(self, dataset: str) -> bool:
        """Whether a dataset with this id is saved."""
        with self._connect() as db:
            return (
                db.execute("SELECT 1 FROM datasets WHERE id = ?", (dataset,)).fetchone() is not None
            )

    def save(
        self,
        frame: pd.DataFrame,
        *,
        name: str,
        saved_by: str,
        description: str = "",
        source_file: str = "",
        dataset: str | None = None,
        replace: bool = False,
        expected_version: int | None = None,
    ) -> str:
        """Save ``frame`` as a dataset; returns its id.

        Two editors saving at the same moment are serialised by SQLite (the
        write lock is taken before anything is read): both saves land, one
        after the other, or the second gets a clear conflict.

        Parameters
        ----------
        replace : bool, default False
            Whether an existing dataset of that id may be replaced.
        expected_version : int, optional
            The version the editor saw when confirming the replacement (0:
            none). When the dataset has moved on since (a colleague saved
            it), the save is refused with :class:`WorkspaceConflict` instead
            of silently overwriting their work.

        Raises
        ------
        WorkspaceConflict
            When the id exists and ``replace`` is False, or the dataset is not
            at ``expected_version`` any more.
        WorkspaceError
            When the id is the demo's, or the workspace stays busy.
        """
        dataset = dataset or dataset_id(name)
        if dataset == DEMO_ID:
            raise WorkspaceError("the demo dataset cannot be replaced; choose another name")
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        blob = buffer.getvalue()
        with self._write() as db:
            row = db.execute(
                "SELECT version, saved_by, saved_at FROM datasets WHERE id = ?", (dataset,)
            ).fetchone()
            current = row[0] if row else 0
            if row is not None and not replace:
                raise WorkspaceConflict(
                    f"a dataset {dataset!r} exists (saved by {row[1]} at "
                    f"{row[2]}); confirm to replace it",
                    dataset,
                    row[1],
                    row[2],
                )
            if expected_version is not None and current != expected_version:
                who = f"{row[1]} saved it at {row[2]}" if row else "it was deleted"
                raise WorkspaceConflict(
                    f"the dataset {dataset!r} changed while you were working ({who}); "
                    "nothing was saved: check it and save again",
                    dataset,
                    row[1] if row else "",
                    row[2] if row else "",
                )
            version = (row[0] + 1) if row else 1
            db.execute(
                "INSERT INTO blobs (dataset_id, version, data) VALUES (?, ?, ?)",
                (dataset, version, blob),
            )
            db.execute(
                "INSERT INTO datasets (id, name, description, source_file, rows, saved_by, "
                "saved_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET name=excluded.name, description=excluded.description, "
                "source_file=excluded.source_file, rows=excluded.rows, "
                "saved_by=excluded.saved_by, saved_at=excluded.saved_at, "
                "version=excluded.version",
                (dataset, name, description, source_file, len(frame), saved_by, _now(), version),
            )
            db.execute("DELETE FROM blobs WHERE dataset_id = ? AND version < ?", (dataset, version))
        return dataset

    def load(self, dataset: str) -> pd.DataFrame:
        """The saved rows of a dataset, exactly as saved.

        Raises
        ------
        WorkspaceError
            When there is no such dataset.
        """
        with self._connect() as db:
            row = db.execute(
                "SELECT b.data FROM datasets d JOIN blobs b ON b.dataset_id = d.id "
                "AND b.version = d.version WHERE d.id = ?",
                (dataset,),
            ).fetchone()
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
        with self._write() as db:  # rolled back on any error (it had no rollback)
            db.execute("DELETE FROM datasets WHERE id = ?", (dataset,))
            db.execute("DELETE FROM blobs WHERE dataset_id = ?", (dataset,))

    # -- geocoding corrections ---------------------------------------------------------
    def corrections(self) -> dict[str, str]:
        """Place key -> correction target, for :class:`geo.geocode.Geocoder`."""
        with self._connect() as db:
            return dict(db.execute("SELECT place_key, target FROM corrections").fetchall())

    def save_correction(
        self, place_key: str, target: str, *, saved_by: str, note: str = ""
    ) -> None:
        """Remember a fix for every address with this place key (see :meth:`save_corrections`)."""
        self.save_corrections([(place_key, target)], saved_by=saved_by, note=note)

    def save_corrections(
        self,
        items: Iterable[tuple[str, str]],
        *,
        saved_by: str,
        note: str = "",
        seen: dict[str, str] | None = None,
    ) -> int:
        """Remember several fixes at once: all of them, or none.

        Every item is checked before anything is written, and all are
        written in one transaction, so a save never stops half-way.

        Parameters
        ----------
        items : iterable of (place_key, target)
            Target: a unit code, an ISO 3166-2 code or ``point:LAT,LON``.
        seen : dict, optional
            The corrections the editor's geocoding used (:meth:`corrections`
            at that time). When a colleague has since saved a *different*
            target for one of these place keys, nothing is written and
            :class:`WorkspaceConflict` names the key, who and when.

        Returns
        -------
        int
            The number of corrections written.

        Raises
        ------
        WorkspaceError
            When a place key is empty: the address names no place (only a
            street, number or other detail), so no correction can be
            remembered for it; or the workspace stays busy.
        WorkspaceConflict
            See ``seen``.
        """
        items = [(str(k), str(v)) for k, v in items]
        empty = [k for k, _ in items if not k.strip()]
        if empty:
            raise WorkspaceError(
                "an address that names no place (only a street, number or "
                "other detail) cannot take a correction"
            )
        with self._write() as db:
            if seen is not None:
                for key, target in items:
                    row = db.execute(
                        "SELECT target, saved_by, saved_at FROM corrections WHERE place_key = ?",
                        (key,),
                    ).fetchone()
                    if row and row[0] != seen.get(key) and row[0] != target:
                        raise WorkspaceConflict(
                            f"{row[1]} saved another correction for {key!r} at {row[2]} "
                            f"({row[0]}); nothing was saved: geocode again and choose",
                            key,
                            row[1],
                            row[2],
                        )
            now = _now()
            db.executemany(
                "INSERT INTO corrections (place_key, target, note, saved_by, saved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(place_key) DO UPDATE SET "
                "target=excluded.target, note=excluded.note, saved_by=excluded.saved_by, "
                "saved_at=excluded.saved_at",
                [(key, target, note, saved_by, now) for key, target in items],
            )
        return len(items)

    # -- column mappings ---------------------------------------------------------------
    @staticmethod
    def signature(columns: Iterable[object]) -> str:
        """A file's header signature: the same headers give the same signature."""
        text = "\x1f".join(str(c).strip().lower() for c in columns)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def mapping(self, columns: Iterable[object]) -> dict[str, str] | None:
        """The mapping remembered for files with these headers, if any."""
        with self._connect() as db:
            row = db.execute(
                "SELECT mapping FROM mappings WHERE signature = ?", (self.signature(columns),)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def save_mapping(self, columns: Iterable[object], mapping: dict[str, str]) -> None:
        """Remember the column mapping confirmed for files with these headers."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO mappings (signature, mapping, saved_at) VALUES (?, ?, ?) "
                "ON CONFLICT(signature) DO UPDATE SET mapping=excluded.mapping, "
                "saved_at=excluded.saved_at",
                (self.signature(columns), json.dumps(mapping, ensure_ascii=False), _now()),
            )

    # -- boundaries --------------------------------------------------------------------
    def save_boundaries(self, imported: BoundaryImport, *, saved_by: str) -> int:
        """Use these official boundaries from now on (replacing any others); returns the
        boundaries' version.

        Parameters
        ----------
        imported : geo.boundaries.BoundaryImport
            An accepted import (its report has no error).

        Raises
        ------
        WorkspaceError
            When the import was refused (nothing is stored), or the workspace stays busy.
        """
        from geo.boundaries import layer_bytes

        if not imported.ok:
            raise WorkspaceError(
                "these boundaries were refused by their checks; nothing was stored"
            )
        blob = layer_bytes(imported.layer)
        source = imported.source
        report = json.dumps(imported.report.as_dict(), ensure_ascii=False)
        with self._write() as db:
            row = db.execute("SELECT version FROM boundaries WHERE id = 1").fetchone()
            version = (row[0] if row else 0) + 1
            db.execute(
                "INSERT INTO boundaries (id, version, name, source_file, level, "
                "imported_by, imported_at, report, data) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET version=excluded.version, "
                "name=excluded.name, source_file=excluded.source_file, "
                "level=excluded.level, imported_by=excluded.imported_by, "
                "imported_at=excluded.imported_at, report=excluded.report, "
                "data=excluded.data",
                (
                    version,
                    source.name,
                    source.source_file,
                    source.level,
                    saved_by,
                    _now(),
                    report,
                    blob,
                ),
            )
        return version

    def boundaries(self) -> tuple[BoundarySource, gpd.GeoDataFrame, BoundaryReport] | None:
        """The official boundaries in use: (source, layer, report), or None for the embedded.

        Returns
        -------
        tuple of (geo.boundaries.BoundarySource, geopandas.GeoDataFrame,
        geo.boundaries.BoundaryReport) or None
        """
        from geo.boundaries import BoundaryReport, BoundarySource, layer_from_bytes

        with self._connect() as db:
            row = db.execute(
                "SELECT name, source_file, level, imported_by, imported_at, "
                "report, data FROM boundaries WHERE id = 1 AND data IS NOT NULL"
            ).fetchone()
        if row is None:
            return None
        name, source_file, level, by, at, report, data = row
        source = BoundarySource("official", name, at, by, source_file, level)
        return source, layer_from_bytes(data), BoundaryReport.from_dict(json.loads(report))

    def boundaries_version(self) -> int:
        """Changes whenever boundaries are loaded or removed (0: never): part of cache keys."""
        with self._connect() as db:
            row = db.execute("SELECT version FROM boundaries WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def boundaries_key(self) -> str:
        """A key of the boundaries in use, for caches: empty for the embedded ones, else this
        workspace, the boundaries' version and when they were loaded."""
        with self._connect() as db:
            row = db.execute(
                "SELECT version, imported_at FROM boundaries WHERE id = 1 AND data IS NOT NULL"
            ).fetchone()
        return f"{self.path}#{row[0]}@{row[1]}" if row else ""

    def clear_boundaries(self, *, saved_by: str) -> int:
        """Go back to the embedded, generalised boundaries; returns the new version."""
        with self._write() as db:
            row = db.execute("SELECT version FROM boundaries WHERE id = 1").fetchone()
            if row is None:
                return 0
            db.execute(
                "UPDATE boundaries SET version = ?, data = NULL, imported_by = ?, "
                "imported_at = ? WHERE id = 1",
                (row[0] + 1, saved_by, _now()),
            )
            return row[0] + 1
