"""Which firms a view shows: one immutable, hashable filter.

A :class:`FirmFilter` holds only scalars and tuples, so that it can key a
cache shared by every session, travel in a URL and be written into the
metadata of an export. :meth:`FirmFilter.mask` applies it to a firm table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from geo.timeline import alive_mask

__all__ = ["PRECISIONS", "SIZE_BANDS", "FirmFilter", "size_band"]

#: Firm size bands by employees (the OECD/Eurostat classes): label -> [low, high].
SIZE_BANDS: dict[str, tuple[float, float]] = {
    "micro": (0, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "large": (250, float("inf")),
}

#: Geocoding precisions, from exact to absent.
PRECISIONS = ("point", "district", "soum", "aimag", "none")


def size_band(employees: ArrayLike | pd.Series) -> pd.Series:
    """The size band of each firm (``micro`` ... ``large``; missing when unknown)."""
    e = pd.to_numeric(pd.Series(employees), errors="coerce")
    out = pd.Series(pd.NA, index=e.index, dtype="string")
    for band, (low, high) in SIZE_BANDS.items():
        out[(e >= low) & (e <= high)] = band
    return out


@dataclass(frozen=True)
class FirmFilter:
    """A selection of firms. Empty tuples and ``None`` mean "no restriction".

    Parameters
    ----------
    sectors : tuple of str
        Values of ``sector`` to keep.
    region : str or None
        English region name (``Western``, ``Khangai``, ``Central``,
        ``Eastern``, ``Ulaanbaatar``); needs the aimag table's regions.
    aimags : tuple of str
        ISO 3166-2:MN codes to keep (together with ``region``: both must hold).
    sizes : tuple of str
        Size bands of :data:`SIZE_BANDS`.
    founded : (int, int) or None
        First and last founding year, inclusive.
    exporter, foreign_owned : bool or None
        Keep only exporters (True), only non-exporters (False), or all (None).
    precisions : tuple of str
        Geocoding precisions of :data:`PRECISIONS` to keep.
    as_of : int or None
        Keep the firms that existed at the end of this year: founded in or
        before it and not closed by then (:func:`geo.timeline.alive_mask`);
        firms without a founding year are left out.
    """

    sectors: tuple[str, ...] = ()
    region: str | None = None
    aimags: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    founded: tuple[int, int] | None = None
    exporter: bool | None = None
    foreign_owned: bool | None = None
    precisions: tuple[str, ...] = field(default=())
    as_of: int | None = None

    def __post_init__(self) -> None:
        bad = set(self.sizes) - set(SIZE_BANDS)
        if bad:
            raise ValueError(f"unknown size bands {sorted(bad)}; use {list(SIZE_BANDS)}")
        bad = set(self.precisions) - set(PRECISIONS)
        if bad:
            raise ValueError(f"unknown precisions {sorted(bad)}; use {list(PRECISIONS)}")
        if self.founded is not None and self.founded[0] > self.founded[1]:
            raise ValueError(f"founded range {self.founded} is reversed")

    def mask(self, firms: pd.DataFrame, region_of: dict[str, str] | None = None) -> np.ndarray:
        """Boolean array: which rows of ``firms`` the filter keeps.

        Parameters
        ----------
        firms : DataFrame
            With the columns the active restrictions need (``sector``,
            ``aimag_code``, ``employees``, ``founded``, ``closed``, ``exporter``,
            ``foreign_owned``, ``precision``); a restriction on a missing
            column keeps no row.
        region_of : dict, optional
            ISO code -> English region name, needed when ``region`` is set.
        """
        keep = np.ones(len(firms), dtype=bool)

        def column(name: str) -> pd.Series:
            return (
                firms[name]
                if name in firms.columns
                else pd.Series(pd.NA, index=firms.index, dtype="object")
            )

        if self.sectors:
            keep &= column("sector").isin(self.sectors).to_numpy(dtype=bool)
        code = column("aimag_code")
        if self.aimags:
            keep &= code.isin(self.aimags).to_numpy(dtype=bool)
        if self.region:
            if region_of is None:
                raise ValueError("a region filter needs region_of (ISO code -> region)")
            keep &= code.map(region_of).eq(self.region).fillna(False).to_numpy(dtype=bool)
        if self.sizes:
            keep &= (
                size_band(column("employees")).isin(self.sizes).fillna(False).to_numpy(dtype=bool)
            )
        if self.founded is not None:
            year = pd.to_numeric(column("founded"), errors="coerce")
            keep &= year.between(*self.founded).fillna(False).to_numpy(dtype=bool)
        for flag, name in ((self.exporter, "exporter"), (self.foreign_owned, "foreign_owned")):
            if flag is not None:
                values = column(name).map(_as_bool)
                keep &= values.eq(flag).fillna(False).to_numpy(dtype=bool)
        if self.precisions:
            keep &= column("precision").isin(self.precisions).fillna(False).to_numpy(dtype=bool)
        if self.as_of is not None:
            keep &= alive_mask(firms, self.as_of)
        return keep

    def apply(self, firms: pd.DataFrame, region_of: dict[str, str] | None = None) -> pd.DataFrame:
        """The rows of ``firms`` the filter keeps (a copy, original index kept)."""
        return firms[self.mask(firms, region_of)].copy()

    def kept_aimags(self, aimags: pd.DataFrame) -> set[str] | None:
        """The aimag codes whose firms this filter can keep (None: all of them).

        Parameters
        ----------
        aimags : DataFrame
            With ``iso_3166_2`` and ``region_en`` (:func:`geo.admin.load_aimags`).
        """
        if not self.region and not self.aimags:
            return None
        codes = set(aimags["iso_3166_2"])
        if self.region:
            codes &= set(aimags.loc[aimags["region_en"] == self.region, "iso_3166_2"])
        if self.aimags:
            codes &= set(self.aimags)
        return codes

    def kept_units(self, level: str, aimags: pd.DataFrame) -> set[str] | None:
        """Unit keys at ``level`` (``aimag``, ``region``, ``district``) whose firms this
        filter can keep, with the country row ``MN``; None when it keeps them all.

        Districts are Ulaanbaatar's: all of them, or none when the filter leaves
        Ulaanbaatar (``MN-1``) out.
        """
        kept = self.kept_aimags(aimags)
        if kept is None or (level == "district" and "MN-1" in kept):
            return None
        if level == "aimag":
            return kept | {"MN"}
        if level == "region":
            regions = aimags.set_index("iso_3166_2")["region_en"]
            return {regions[c] for c in kept} | {"MN"}
        return {"MN"}

    def as_dict(self) -> dict[str, object]:
        """Plain values, for the metadata of an export."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    def replace(self, **changes: Any) -> FirmFilter:
        """A copy with some fields changed."""
        return replace(self, **changes)


def _as_bool(value: object) -> bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "тийм"):
        return True
    if text in ("false", "0", "no", "үгүй"):
        return False
    return None
