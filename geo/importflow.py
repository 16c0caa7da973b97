"""The import of one register as a step machine: read, map, fix, validate, geocode,
review, save.

The Data page holds one :class:`ImportFlow` per session and, on every rerun,
tells it what the widgets say; the flow keeps everything the user has done
(the read options, the mapping, the sector assignments, the fixes applied,
the review choices) and recomputes only what those change. A fix applied
once therefore stays in every later step and rerun: the table validated,
geocoded, reviewed and saved is always the file *with* the fixes.

No Streamlit here: every transition is a method, tested in
``tests/geo/test_importflow.py``.

States and transitions::

    open(source) ─► read ─► mapped ─► validated ──► geocoded ──► saved
                     ▲        ▲         │  ▲            │  ▲
      set_options ───┘        │         │  └─ apply_fixes, set_sectors,
      (re-read; mapping       │         │     set_mapping: geocoded goes
       re-proposed when the   │         │     stale, geocode() again
       headers change)        │         ▼
                         set_mapping  save_review(): corrections written
                                      all or nothing, geocoded goes stale
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo import io
from geo.geocode import place_key
from geo.ingest import (
    EDITABLE_COLUMNS,
    ROLES,
    Problem,
    apply_edits,
    geocoding_address,
    propose_mapping,
    standardise,
    validate,
)
from geo.mojibake import Repair, repair_frame

if TYPE_CHECKING:
    from geo.geocode import Geocoder
    from geo.workspace import Workspace

#: Headers -> the mapping remembered for them, or None (:meth:`geo.workspace.Workspace.mapping`).
Remembered = Callable[[list[str]], "dict[str, str] | None"]

__all__ = ["ImportFlow", "ReadOptions", "ReviewItem", "Source"]


@dataclass(frozen=True)
class Source:
    """The file being imported: an upload (bytes kept in the session) or a server file.

    Parameters
    ----------
    name : str
        The user's file name: every message names it.
    file_id : str
        Changes when the file does.
    data : bytes, optional
        An upload's bytes. They are written to a private temporary folder
        only for the moment of a read (:func:`geo.io.private_copy`).
    path : Path, optional
        A file in the workspace's import folder, read where it is.
    """

    name: str
    file_id: str
    data: bytes | None = None
    path: Path | None = None

    @contextmanager
    def open(self) -> Iterator[Path]:
        """A path to read the file from, for the duration of the block."""
        if self.path is not None:
            yield Path(self.path)
            return
        with io.private_copy(self.name, self.data or b"") as path:
            yield path

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


@dataclass(frozen=True)
class ReadOptions:
    """How the file is read; None: detected.

    ``header_row`` is 0-based; ``repair`` repairs mojibake cells
    (:mod:`geo.mojibake`).
    """

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    repair: bool = True


@dataclass(frozen=True)
class ReviewItem:
    """One place to review: the addresses sharing a place key, and whether it can take a
    correction.

    Attributes
    ----------
    key : str
        The place key (``""`` when the address names no place).
    address : str
        The first address with this key (as the geocoder read it).
    rows : tuple of int
        The rows (1-based) with this key.
    status, note : str
        The geocoder's status (ambiguous, unmatched) and note.
    can_correct : bool
        False when the address names no place: only a street, number or
        other detail. A remembered correction is keyed by place, so none
        can be stored for it; the row is fixed in the table instead (add the
        soum, district or aimag).
    """

    key: str
    address: str
    rows: tuple[int, ...]
    status: str
    note: str
    can_correct: bool


@dataclass
class ImportFlow:
    """The state of one import, with explicit transitions (see the module docstring).

    Attributes
    ----------
    source : Source or None
    options : ReadOptions
        As chosen; ``detected`` holds what was found (encoding, delimiter,
        sheets, header row) and ``preview`` the first rows as text.
    frame : DataFrame or None
        The file as read (mojibake repaired, see ``repairs``); never edited:
        the fixes are kept apart in ``edits`` and applied on top.
    error : str
        Why the file could not be read ("" when it could); names the file.
    mapping : dict
        Role -> column; ``mapping_source`` says where it came from
        (``proposed`` or ``remembered``), ``mapping_confirmed`` whether the
        user confirmed it (only then is it remembered for these headers).
    assignments : dict
        Sector value -> ISIC section letter, chosen by the user.
    edits : dict
        Row (1-based) -> {standard column: value}: every fix applied.
    choices : dict
        Place key -> correction target chosen in the review, not yet saved.
    """

    source: Source | None = None
    options: ReadOptions = field(default_factory=ReadOptions)
    detected: dict[str, Any] = field(default_factory=dict)
    preview: list[list[str]] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    repairs: list[Repair] = field(default_factory=list)
    error: str = ""
    mapping: dict[str, str | None] = field(default_factory=dict)
    mapping_source: str = ""
    mapping_confirmed: bool = False
    assignments: dict[str, str] = field(default_factory=dict)
    edits: dict[int, dict[str, Any]] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)
    saved_as: str = ""
    #: Bumped when the file is (re)read, the mapping re-proposed, fixes applied.
    read_generation: int = 0
    mapping_generation: int = 0
    edit_generation: int = 0
    _table: tuple[tuple[Any, ...], pd.DataFrame, list[Problem]] | None = field(
        default=None, repr=False
    )
    _geocoded: pd.DataFrame | None = field(default=None, repr=False)
    _geocoded_for: tuple[Any, ...] | None = field(default=None, repr=False)
    _corrections_seen: dict[str, str] = field(default_factory=dict, repr=False)

    # -- reading ---------------------------------------------------------------------
    def open(self, source: Source | None, remembered: Remembered | None = None) -> bool:
        """Start an import of ``source`` (nothing happens for the file already open).

        Parameters
        ----------
        remembered : callable, optional
            Headers -> the mapping remembered for them, or None
            (:meth:`geo.workspace.Workspace.mapping`).

        Returns
        -------
        bool
            Whether a new file was opened.
        """
        if source is None:
            if self.source is not None:
                self._start(None, keep_generations=False)
                return True
            return False
        if self.source is not None and self.source.file_id == source.file_id:
            return False
        self._start(source, keep_generations=True)
        self._read(remembered)
        return True

    def _start(self, source: Source | None, *, keep_generations: bool) -> None:
        """Every field as a new flow's (for ``source``), the generations kept if asked."""
        fresh = ImportFlow(source=source)
        if keep_generations:
            fresh.read_generation = self.read_generation
            fresh.mapping_generation = self.mapping_generation
            fresh.edit_generation = self.edit_generation
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def set_options(self, remembered: Remembered | None = None, **changes: Any) -> bool:
        """Read the file again with changed options (encoding, delimiter, sheet, header_row,
        repair).

        The fixes applied so far are dropped (rows may have moved; the
        result says how many) and the geocoding with them; the mapping is
        proposed again when the headers change.

        Returns
        -------
        bool
            Whether anything changed.
        """
        options = replace(self.options, **changes)
        if self.source is None or options == self.options:
            return False
        if (
            "sheet" in changes
            and changes["sheet"] != self.options.sheet
            and "header_row" not in changes
        ):
            options = replace(options, header_row=None)  # detect again on another sheet
        self.options = options
        self._read(remembered)
        return True

    def _read(self, remembered: Remembered | None) -> None:
        old_columns = None if self.frame is None else list(self.frame.columns)
        self.read_generation += 1
        self.frame, self.repairs, self.error, self.preview = None, [], "", []
        self.edits, self.choices = {}, {}
        self._table = self._geocoded = self._geocoded_for = None
        options, source = self.options, self.source
        if source is None:
            return
        detected: dict[str, Any] = {}
        try:
            with source.open() as path:
                io.check_limits(path)
                if source.suffix in (".csv", ".tsv", ".txt"):
                    detected["encoding"], detected["delimiter"] = io.sniff_file(path)
                sheets = io.sheet_names(path)
                detected["sheets"] = sheets
                sheet = options.sheet if options.sheet in sheets else (sheets[0] if sheets else 0)
                detected["sheet"] = sheet if sheets else None
                if source.suffix in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm"):
                    self.preview = io.preview_rows(
                        path,
                        sheet=sheet,
                        encoding=options.encoding or detected.get("encoding"),
                        delimiter=options.delimiter or detected.get("delimiter"),
                    )
                    detected["header_row"] = io.detect_header_row(self.preview)
                header = (
                    options.header_row
                    if options.header_row is not None
                    else detected.get("header_row", 0)
                )
                frame = io.read_table(
                    path,
                    sheet=sheet,
                    encoding=options.encoding,
                    delimiter=options.delimiter,
                    header_row=header,
                )
        except io.InputError as exc:
            self.error, self.detected = str(exc), detected
            return
        except Exception as exc:  # a parser we do not know fails: a message, not a traceback
            self.error = f"{source.name}: {type(exc).__name__}: {exc}"
            self.detected = detected
            return
        self.detected = detected
        if options.repair:
            frame, self.repairs = repair_frame(frame)
        self.frame = frame
        if list(frame.columns) != old_columns:
            self._propose(remembered)

    @property
    def header_row(self) -> int:
        """The header row in use (0-based): the user's, or the detected one."""
        if self.options.header_row is not None:
            return self.options.header_row
        return int(self.detected.get("header_row") or 0)

    # -- mapping and sectors -----------------------------------------------------------
    def _propose(self, remembered: Remembered | None) -> None:
        columns = [] if self.frame is None else [str(c) for c in self.frame.columns]
        known = remembered(columns) if remembered else None
        self.mapping = propose_mapping(columns, known)
        self.mapping_source = "remembered" if known else "proposed"
        self.mapping_confirmed = bool(known)
        self.mapping_generation += 1

    def set_mapping(self, mapping: dict[str, str | None]) -> bool:
        """The mapping as the user set it (role -> column or None). Returns whether it changed."""
        mapping = {role: mapping.get(role) for role in ROLES}
        if mapping == self.mapping:
            return False
        self.mapping = mapping
        self.mapping_confirmed = False
        return True

    def confirm_mapping(self) -> tuple[list[str], dict[str, str | None]]:
        """The user confirms the mapping: returns (headers, mapping) to remember for them."""
        self.mapping_confirmed = True
        columns = [] if self.frame is None else [str(c) for c in self.frame.columns]
        return columns, dict(self.mapping)

    def set_sectors(self, assignments: dict[str, str]) -> bool:
        """Sector values the user placed in an ISIC section. Returns whether they changed."""
        assignments = {str(k): v for k, v in assignments.items() if v}
        if assignments == self.assignments:
            return False
        self.assignments = assignments
        return True

    # -- the table: the file, with the fixes, standardised and validated ---------------
    def _key(self) -> tuple[Any, ...]:
        return (
            self.read_generation,
            tuple(sorted((k, v or "") for k, v in self.mapping.items())),
            tuple(sorted(self.assignments.items())),
            self.edit_generation,
        )

    @property
    def ready(self) -> bool:
        """Whether there is a table to work on (a file read, with columns)."""
        return self.frame is not None and len(self.frame.columns) > 0

    def _build(self) -> tuple[pd.DataFrame, list[Problem]]:
        key = self._key()
        if self._table is None or self._table[0] != key:
            if self.frame is None:
                raise ValueError("no file has been read")
            fixed = self.frame
            for column in EDITABLE_COLUMNS:
                rows = {r: e[column] for r, e in self.edits.items() if column in e}
                if rows:
                    fixed = apply_edits(
                        fixed,
                        self.mapping,
                        pd.DataFrame({"row": list(rows), column: list(rows.values())}),
                    )
            table, problems = validate(standardise(fixed, self.mapping, self.assignments))
            table["import_notes"] = pd.array(self._notes(len(table)), dtype="string")
            self._table = (key, table, problems)
        return self._table[1], self._table[2]

    def _notes(self, n: int) -> list[str]:
        notes: list[list[str]] = [[] for _ in range(n)]
        for r in self.repairs:
            notes[r.row - 1].append(
                f"text repaired in {r.column} (UTF-8 misread as {r.misread_as})"
            )
        for row, cells in sorted(self.edits.items()):
            for column, value in cells.items():
                if self.mapping.get(EDITABLE_COLUMNS[column]) and 0 < row <= n:
                    notes[row - 1].append(f"fixed on import: {column} = {value!r}")
        return ["; ".join(x) for x in notes]

    @property
    def table(self) -> pd.DataFrame:
        """The standard table (:func:`geo.ingest.standardise`) of the file with the fixes,
        validated (``import_status``, ``import_issues``) and with ``import_notes``."""
        return self._build()[0]

    @property
    def problems(self) -> list[Problem]:
        """The validation problems of :attr:`table`."""
        return self._build()[1]

    def fixable(self) -> pd.DataFrame:
        """The rows to offer for fixing: flagged rows, and geocoded rows whose address names
        no place (a street and number only), with the mapped editable columns."""
        table = self.table
        todo = table["import_status"].eq("flagged").to_numpy().copy()
        geocoded = self.geocoded
        if geocoded is not None:
            unplaced = (
                geocoded["geocode_status"].isin(["ambiguous", "unmatched"])
                & geocoded["_address"].ne("")
            ).to_numpy()
            no_place = geocoded.loc[unplaced, "_address"].map(place_key).eq("")
            todo[no_place.index[no_place.to_numpy()]] = True
        columns = [c for c, role in EDITABLE_COLUMNS.items() if self.mapping.get(role)]
        return table.loc[todo, ["row", *columns, "import_issues"]]

    def apply_fixes(self, edited: pd.DataFrame | None) -> int:
        """Keep the cells the user changed in the fix table; they stay applied from now on.

        Parameters
        ----------
        edited : DataFrame or None
            Rows of :meth:`fixable` as the user edited them (``row`` and
            editable columns).

        Returns
        -------
        int
            The number of cells changed.
        """
        if edited is None or edited.empty or not self.ready:
            return 0
        current = self.table.set_index("row")
        changed = 0
        for record in edited.to_dict("records"):
            row = int(record["row"])
            if row not in current.index:
                continue
            for column in EDITABLE_COLUMNS:
                if column not in record or not self.mapping.get(EDITABLE_COLUMNS[column]):
                    continue
                value = record[column]
                value = (
                    ""
                    if value is None
                    or (isinstance(value, float) and value != value)
                    or value is pd.NA
                    else str(value).strip()
                )
                if value != str(current.at[row, column]):
                    self.edits.setdefault(row, {})[column] = value
                    changed += 1
        if changed:
            self.edit_generation += 1
        return changed

    # -- geocoding and review ----------------------------------------------------------
    def geocode(
        self,
        geocoder: Geocoder,
        *,
        corrections: dict[str, str] | None = None,
        fallback: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> pd.DataFrame:
        """Geocode the current table (with the fixes).

        Parameters
        ----------
        geocoder : geo.geocode.Geocoder
            With the workspace's corrections.
        corrections : dict, optional
            The corrections the geocoder uses: a review save checks them for
            a colleague's change (:meth:`geo.workspace.Workspace.save_corrections`).
        fallback : callable, optional
            Applied to the result (the online fallback), by ``_address``.
        """
        table = self.table
        work = table.assign(_address=geocoding_address(table))
        out = geocoder.geocode(
            work, address_column="_address", lat_column="lat", lon_column="lon", progress=progress
        )
        if fallback is not None:
            out = fallback(out)
        self._geocoded, self._geocoded_for = out, self._key()
        self._corrections_seen = dict(corrections or {})
        self.saved_as = ""
        return out

    @property
    def geocoded(self) -> pd.DataFrame | None:
        """The geocoded table, when it was geocoded as it is now (else None)."""
        if self._geocoded is not None and self._geocoded_for == self._key():
            return self._geocoded
        return None

    @property
    def needs_geocode(self) -> bool:
        """Geocoded before, but the table or the corrections changed since: geocode again."""
        return self._geocoded is not None and self.geocoded is None

    def review_items(self) -> list[ReviewItem]:
        """The ambiguous and unmatched places, one per place key (or per address when the
        address names no place), in row order."""
        geocoded = self.geocoded
        if geocoded is None:
            return []
        todo = geocoded[
            geocoded["geocode_status"].isin(["ambiguous", "unmatched"])
            & geocoded["_address"].ne("")
        ]
        items: dict[str, list[Any]] = {}
        for row, address, status, note in zip(
            todo["row"], todo["_address"], todo["geocode_status"], todo["geocode_note"]
        ):
            key = place_key(address)
            group = key or f"\x00{address}"
            if group not in items:
                items[group] = [key, str(address), [], str(status), str(note), bool(key)]
            items[group][2].append(int(row))
        return [ReviewItem(k, a, tuple(r), s, n, c) for k, a, r, s, n, c in items.values()]

    def choose(self, key: str, target: str | None) -> None:
        """The unit (code, ISO code or ``point:LAT,LON``) chosen for a place key; None or ""
        takes the choice back. A key that names no place cannot take one (ignored)."""
        if not key:
            return
        if target:
            self.choices[key] = target
        else:
            self.choices.pop(key, None)

    def save_review(
        self, workspace: Workspace, saved_by: str, note: str = "Data page review"
    ) -> int:
        """Write the review choices to the workspace, all or nothing; geocode again after.

        Only choices for places shown now are written. Raises
        :class:`geo.workspace.WorkspaceError` (nothing written) when the
        workspace refuses, e.g. a colleague chose otherwise meanwhile
        (:class:`geo.workspace.WorkspaceConflict`).

        Returns
        -------
        int
            The number of corrections saved.
        """
        shown = {item.key for item in self.review_items() if item.can_correct}
        items = [(k, v) for k, v in self.choices.items() if k in shown]
        if not items:
            return 0
        workspace.save_corrections(items, saved_by=saved_by, note=note, seen=self._corrections_seen)
        self.choices = {}
        self._geocoded_for = None  # the corrections changed: geocode again
        return len(items)

    # -- the result ----------------------------------------------------------------------
    def final(self) -> pd.DataFrame | None:
        """The table to save: every row, geocoded, with the fixes; None until geocoded."""
        geocoded = self.geocoded
        return None if geocoded is None else geocoded.drop(columns=["_address"])

    def save(
        self,
        workspace: Workspace,
        *,
        name: str,
        saved_by: str,
        description: str = "",
        replace: bool = False,
        expected_version: int | None = None,
    ) -> str:
        """Save :meth:`final` as a dataset; returns its id.

        Raises
        ------
        ValueError
            When the table is not geocoded as it is now.
        geo.workspace.WorkspaceError
            As :meth:`geo.workspace.Workspace.save` (a conflict included).
        """
        final = self.final()
        if final is None:
            raise ValueError("geocode the table before saving it")
        self.saved_as = workspace.save(
            final,
            name=name,
            description=description,
            source_file=self.source.name if self.source else "",
            saved_by=saved_by,
            replace=replace,
            expected_version=expected_version,
        )
        return self.saved_as
