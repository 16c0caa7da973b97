"""Units side by side: the sector portfolios of up to ten aimags, regions or districts.

After the U.S. Cluster Mapping Project's region comparison: for each chosen
unit, its size, the breadth of its economy and its strong clusters
(:func:`compare_summary`), and for each sector its firms, employees, location
quotient and ratings in every unit (:func:`compare_units`), all taken from
one table of :func:`geo.stats.sector_statistics`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from geo.settings import COMPARE_MAX_UNITS
from geo.stats import COUNTRY, KEY_COLUMN

__all__ = ["COMPARE_MAX_UNITS", "compare_summary", "compare_units", "parse_units", "unit_keys"]

#: Columns of :func:`compare_units` after the unit's key and names.
PORTFOLIO_COLUMNS = (
    "sector",
    "firms",
    "employees",
    "share_of_unit_employment",
    "lq_employment",
    "lq_note",
    "cmp_strong",
    "eco_stars",
)


def unit_keys(statistics: pd.DataFrame, level: str) -> list[str]:
    """The units of a statistics table that can be compared (the country's row aside), in
    the table's order."""
    keys = statistics[KEY_COLUMN[level]].drop_duplicates()
    return [str(k) for k in keys if k != COUNTRY[0]]


def parse_units(
    text: str | None, allowed: Iterable[str], limit: int = COMPARE_MAX_UNITS
) -> list[str]:
    """The units of a link's ``cmp=`` (keys joined by ","): known ones, each once, at most
    ``limit``.

    Examples
    --------
    >>> parse_units("MN-053,MN-999,MN-041,MN-053", ["MN-041", "MN-053", "MN-1"])
    ['MN-053', 'MN-041']
    >>> parse_units(None, ["MN-1"])
    []
    """
    known = set(allowed)
    out: list[str] = []
    for part in (text or "").split(","):
        key = part.strip()
        if key in known and key not in out:
            out.append(key)
    return out[:limit]


def _check(statistics: pd.DataFrame, units: Sequence[str], level: str) -> str:
    key = KEY_COLUMN[level]
    if not len(statistics.columns) or statistics.columns[0] != key:  # its first column
        raise ValueError(f"the statistics are not at the {level!r} level (no {key!r} column)")
    if len(units) > COMPARE_MAX_UNITS:
        raise ValueError(f"at most {COMPARE_MAX_UNITS} units can be compared, got {len(units)}")
    missing = [u for u in units if u not in set(statistics[key])]
    if missing:
        raise ValueError(f"unknown {level} keys: {', '.join(map(str, missing))}")
    return key


def compare_units(
    statistics: pd.DataFrame, units: Sequence[str], *, level: str = "aimag"
) -> pd.DataFrame:
    """Every sector of every chosen unit: one row per (unit, sector), the units in the
    order given.

    Parameters
    ----------
    statistics : DataFrame
        :func:`geo.stats.sector_statistics` at ``level`` (grouped by ``sector``).
    units : sequence of str
        At most :data:`COMPARE_MAX_UNITS` unit keys (aimag codes, region names,
        district codes).
    level : {"aimag", "region", "district"}

    Returns
    -------
    DataFrame
        The key column, ``name_mn``, ``name_en``, then :data:`PORTFOLIO_COLUMNS`.

    Examples
    --------
    >>> from geo.admin import load_aimags
    >>> from geo.stats import sector_statistics
    >>> firms = pd.DataFrame(
    ...     {
    ...         "aimag_code": ["MN-053"] * 3 + ["MN-1"] * 3,
    ...         "sector": ["mining", "mining", "ict", "ict", "ict", "trade"],
    ...         "employees": 10,
    ...     }
    ... )
    >>> table = sector_statistics(firms, aimags=load_aimags())
    >>> out = compare_units(table, ["MN-1", "MN-053"])
    >>> out[["aimag_code", "sector", "firms"]].values.tolist()
    [['MN-1', 'ict', 2], ['MN-1', 'mining', 0], ['MN-1', 'trade', 1], ['MN-053', 'ict', 1], ['MN-053', 'mining', 2], ['MN-053', 'trade', 0]]
    """
    key = _check(statistics, units, level)
    rows = statistics[statistics[key].isin(list(units))]
    order = {u: i for i, u in enumerate(units)}
    rows = rows.assign(_order=rows[key].map(order)).sort_values(["_order", "sector"])
    return rows[[key, "name_mn", "name_en", *PORTFOLIO_COLUMNS]].reset_index(drop=True)


def compare_summary(
    statistics: pd.DataFrame, units: Sequence[str], *, level: str = "aimag"
) -> pd.DataFrame:
    """One row per chosen unit: size, breadth and strong clusters.

    Returns
    -------
    DataFrame
        The key column, ``name_mn``, ``name_en``, ``firms``, ``employees``,
        ``effective_sectors`` (1 / HHI of the unit's employment),
        ``strong_clusters`` (sectors passing the Cluster Mapping test),
        ``strong_sectors`` (their keys, highest LQ first) and ``top_sector``
        (highest employment LQ among sectors without a small-count note; ""
        when none).
    """
    key = _check(statistics, units, level)
    portfolio = compare_units(statistics, units, level=level)
    out = []
    for unit in units:
        rows = portfolio[portfolio[key] == unit]
        info = statistics[statistics[key] == unit].iloc[0]
        strong = rows[rows["cmp_strong"].fillna(False).astype(bool)].sort_values(
            "lq_employment", ascending=False
        )
        solid = rows[(rows["firms"] > 0) & (rows["lq_note"].fillna("") == "")]
        top = solid.sort_values("lq_employment", ascending=False)["sector"]
        out.append(
            {
                key: unit,
                "name_mn": info["name_mn"],
                "name_en": info["name_en"],
                "firms": int(rows["firms"].sum()),
                "employees": float(rows["employees"].sum()),
                "effective_sectors": float(info["effective_sectors"]),
                "strong_clusters": len(strong),
                "strong_sectors": list(strong["sector"]),
                "top_sector": str(top.iloc[0]) if len(top) else "",
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            key,
            "name_mn",
            "name_en",
            "firms",
            "employees",
            "effective_sectors",
            "strong_clusters",
            "strong_sectors",
            "top_sector",
        ],
    )
