"""Clusters in time: firms as of a year, age profiles, founding trends, cluster lineages.

A register lists the firms alive when it was drawn, each with its founding
year (and, in some registers, a closing or deregistration year). Four tools
read time out of it:

:func:`as_of`
    The firms of the register that existed at the end of a year: founded in
    or before it and not closed by then (``closed`` missing or later).
    Firms without a founding year cannot be placed in time and are left out
    of every as-of view (:func:`undated` counts them); they stay in the
    register and in every view without a year.
:func:`age_profile`
    Per group (a cluster, or an aimag and sector), the share of its firms
    founded in the last 5 and 10 years before the reference year, against
    the same shares of its sector in the whole country, and an age class by
    :class:`AgeRules` (thresholds stated, as :class:`geo.describe.StageRules`):

    ``emerging``
        At least ``emerging_share`` of the firms founded in the last 5 years,
        and that share at least ``emerging_ratio`` times the sector's
        national share.
    ``growing``
        Not emerging; at least ``growing_share`` of the firms founded in the
        last 10 years, and that share at least ``growing_ratio`` times the
        sector's national share.
    ``mature``
        Neither: most firms are older than 10 years, or the group is older than
        its sector.
    ``too_few``
        Fewer than ``min_firms`` firms with a founding year.
:func:`mann_kendall`
    The Mann-Kendall test of a monotone trend in a series of yearly counts
    (``S``, its variance corrected for ties, ``Z``, the two-sided p-value)
    with Sen's slope (the median of all pairwise slopes, foundings per year).
:func:`link_clusters`
    Clusters of consecutive years linked by the firms they share: a cluster
    of year Y continues the cluster of the previous year with which it
    shares the most firms, so that a cluster's growth is one line (a
    *lineage*), not unrelated blobs.

Survivor bias: a register of firms alive today holds no firm that closed
before it was drawn. Foundings by year are the foundings of survivors; an
as-of view shows today's firms at the age they then had, not the firms that
existed then. What this allows, and what not, is said in the Methods essay
``methods_time_md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AGE_CLASSES",
    "AgeRules",
    "MannKendall",
    "age_class",
    "age_profile",
    "alive_mask",
    "as_of",
    "founding_timeline",
    "founding_trends",
    "founding_years",
    "link_clusters",
    "mann_kendall",
    "undated",
    "yearly_foundings",
]

#: The age classes, from youngest to oldest, and the class of too small a group.
AGE_CLASSES = ("emerging", "growing", "mature", "too_few")


def founding_years(firms: pd.DataFrame, column: str = "founded") -> pd.Series:
    """The founding year of each firm as a float (missing when absent or not a year).

    A year must be a whole number between 1800 and 2100; anything else is missing.

    >>> founding_years(pd.DataFrame({"founded": ["1998", "x", 2031.0, 1700, None]})).tolist()
    [1998.0, nan, 2031.0, nan, nan]
    """
    if column not in firms.columns:
        return pd.Series(np.nan, index=firms.index, dtype=float)
    year = pd.to_numeric(firms[column], errors="coerce").astype(float)
    ok = year.between(1800, 2100) & (year == year.round())
    return year.where(ok)


def alive_mask(
    firms: pd.DataFrame, year: int, *, founded: str = "founded", closed: str = "closed"
) -> np.ndarray:
    """Boolean array: which firms existed at the end of ``year``.

    A firm existed when it was founded in or before ``year`` and, if the
    register has a ``closed`` column, its closing year is missing or later
    than ``year``. A firm without a founding year is not counted.
    """
    keep = founding_years(firms, founded) <= year
    if closed in firms.columns:
        end = founding_years(firms, closed)
        keep &= end.isna() | (end > year)
    return keep.to_numpy(dtype=bool, copy=True)


def as_of(
    firms: pd.DataFrame, year: int, *, founded: str = "founded", closed: str = "closed"
) -> pd.DataFrame:
    """The firms that existed at the end of ``year`` (a copy, index kept).

    >>> firms = pd.DataFrame(
    ...     {"founded": [2000, 2010, 2020, None], "closed": [2005, None, None, None]}
    ... )
    >>> as_of(firms, 2004).index.tolist(), as_of(firms, 2015).index.tolist()
    ([0], [1])
    """
    return firms[alive_mask(firms, year, founded=founded, closed=closed)].copy()


def undated(firms: pd.DataFrame, founded: str = "founded") -> int:
    """How many firms have no usable founding year (left out of every as-of view)."""
    return int(founding_years(firms, founded).isna().sum())


def _most_frequent(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """Per group of ``keys``, the most frequent value of ``column`` (ties: the first in
    sort order); groups with no value are absent."""
    counts = frame.groupby([*keys, column], sort=True).size().rename("_n").reset_index()
    counts = counts.sort_values([*keys, "_n", column], ascending=[True] * len(keys) + [False, True])
    first = counts.drop_duplicates(keys)
    index = pd.MultiIndex.from_frame(first[keys]) if len(keys) > 1 else pd.Index(first[keys[0]])
    return pd.Series(first[column].to_numpy(), index=index)


# -- age profiles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeRules:
    """Thresholds of the age classes (see the module documentation).

    Parameters
    ----------
    emerging_share : float, default 0.5
        Share of a group's firms founded in the last 5 years that makes it emerging.
    emerging_ratio : float, default 1.2
        ... when that share is also at least this many times the sector's national share
        (the group is younger than its sector).
    growing_share : float, default 0.5
        Share of a group's firms founded in the last 10 years that makes it growing.
    growing_ratio : float, default 1.0
        ... when that share is also at least this many times the sector's national share
        (the group is no older than its sector).
    min_firms : int, default 10
        Fewest firms with a founding year a group needs to be classed at all.
    """

    emerging_share: float = 0.5
    emerging_ratio: float = 1.2
    growing_share: float = 0.5
    growing_ratio: float = 1.0
    min_firms: int = 10

    def as_dict(self) -> dict[str, float]:
        """The thresholds by name (for export metadata and the Methods page)."""
        return asdict(self)


def age_class(
    dated: int,
    share_5: float,
    share_10: float,
    national_5: float,
    national_10: float,
    rules: AgeRules | None = None,
) -> tuple[str, str]:
    """The age class of one group and the rule that gave it.

    >>> age_class(40, 0.6, 0.8, 0.2, 0.45)
    ('emerging', '60% founded in the last 5 years (sector: 20%)')
    >>> age_class(40, 0.1, 0.2, 0.2, 0.45)[0], age_class(5, 0.9, 0.9, 0.2, 0.45)[0]
    ('mature', 'too_few')
    """
    rules = rules or AgeRules()
    if dated < rules.min_firms:
        return "too_few", f"{dated} firms with a founding year (fewer than {rules.min_firms})"
    if share_5 >= rules.emerging_share and share_5 >= rules.emerging_ratio * national_5:
        return "emerging", (f"{share_5:.0%} founded in the last 5 years (sector: {national_5:.0%})")
    if share_10 >= rules.growing_share and share_10 >= rules.growing_ratio * national_10:
        return "growing", (
            f"{share_10:.0%} founded in the last 10 years (sector: {national_10:.0%})"
        )
    return "mature", (f"{share_10:.0%} founded in the last 10 years (sector: {national_10:.0%})")


def age_profile(
    firms: pd.DataFrame,
    by: str | Sequence[str],
    *,
    sector: str = "sector",
    founded: str = "founded",
    year: int | None = None,
    rules: AgeRules | None = None,
) -> pd.DataFrame:
    """The age structure of each group of firms against its sector's, and its age class.

    Parameters
    ----------
    firms : DataFrame
        All firms (they give the sectors' national shares), with ``sector``,
        ``founded`` and the ``by`` columns. Rows whose group is missing, or
        whose ``cluster`` is negative (noise), form no group but count for
        their sector.
    by : str or list of str
        The grouping: ``"cluster"``, or ``["aimag_code", "sector"]``, ...
    sector : str, default "sector"
        The sector column (the national comparison is per sector).
    founded : str, default "founded"
        The founding year column.
    year : int, optional
        The reference year: "the last 5 years" are ``year - 4 ... year``.
        Default: the latest founding year in ``firms``.
    rules : AgeRules, optional
        Thresholds of the classes.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``sector`` (the group's most
        frequent one), ``firms``, ``dated`` (firms with a founding year),
        ``median_founded``, ``share_5y``, ``share_10y`` (of the dated firms),
        ``national_5y``, ``national_10y`` (the sector's, over all firms),
        ``age_class`` and ``age_reason``.
    """
    rules = rules or AgeRules()
    keys = [by] if isinstance(by, str) else list(by)
    years = founding_years(firms, founded)
    if year is None:
        year = int(years.max()) if years.notna().any() else 0
    frame = pd.DataFrame({k: firms[k].to_numpy() for k in keys})
    frame["_sector"] = (
        firms[sector].astype("string").to_numpy()
        if sector in firms.columns
        else pd.Series(pd.NA, index=range(len(firms)), dtype="string").to_numpy()
    )
    frame["_year"] = years.to_numpy()
    frame["_dated"] = frame["_year"].notna()
    frame["_in5"] = frame["_year"] > year - 5
    frame["_in10"] = frame["_year"] > year - 10
    dated = frame[frame["_dated"]]
    national = dated.groupby("_sector")[["_in5", "_in10"]].mean()
    grouped = frame
    for k in keys:
        grouped = grouped[grouped[k].notna()]
        if k == "cluster":
            grouped = grouped[pd.to_numeric(grouped[k], errors="coerce") >= 0]
    out_sector = [] if sector in keys else ["sector"]
    columns = [
        *keys,
        *out_sector,
        "firms",
        "dated",
        "median_founded",
        "share_5y",
        "share_10y",
        "national_5y",
        "national_10y",
        "age_class",
        "age_reason",
    ]
    if grouped.empty:
        return pd.DataFrame(columns=columns)
    g = grouped.groupby(keys, sort=True)
    table = g.agg(
        firms=("_dated", "size"), dated=("_dated", "sum"), median_founded=("_year", "median")
    )
    table["_main"] = _most_frequent(grouped, keys, "_sector").reindex(table.index)
    shares = grouped[grouped["_dated"]].groupby(keys)[["_in5", "_in10"]].mean()
    table["share_5y"] = shares["_in5"].reindex(table.index)
    table["share_10y"] = shares["_in10"].reindex(table.index)
    table["national_5y"] = table["_main"].map(national["_in5"]).astype(float)
    table["national_10y"] = table["_main"].map(national["_in10"]).astype(float)
    table["dated"] = table["dated"].astype(int)
    numbers = table[["share_5y", "share_10y", "national_5y", "national_10y"]].fillna(0.0)
    classes = [
        age_class(int(d), float(a), float(b), float(c), float(e), rules)
        for d, (a, b, c, e) in zip(table["dated"], numbers.to_numpy(dtype=float))
    ]
    table["age_class"] = [c for c, _ in classes]
    table["age_reason"] = [r for _, r in classes]
    table = table.reset_index()
    if out_sector:
        table["sector"] = table["_main"]
    return table[columns]


# -- trends ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MannKendall:
    """The result of :func:`mann_kendall`.

    Attributes
    ----------
    n : int
        Length of the series.
    s : float
        Kendall's S: concordant minus discordant pairs (time, value).
    var_s : float
        Variance of S under no trend, corrected for tied values.
    z : float
        Standardised S (with the continuity correction when asked).
    p_value : float
        Two-sided p-value from the normal approximation.
    slope : float
        Sen's slope: the median of all pairwise slopes (value per step).
    trend : str
        ``increasing``, ``decreasing`` or ``no trend`` at ``alpha``.
    """

    n: int
    s: float
    var_s: float
    z: float
    p_value: float
    slope: float
    trend: str


def mann_kendall(
    series: Sequence[float] | np.ndarray | pd.Series,
    *,
    alpha: float = 0.05,
    continuity: bool = True,
) -> MannKendall:
    """Mann-Kendall test of a monotone trend, with Sen's slope.

    ``S = sum over i < j of sign(x_j - x_i)``;
    ``Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18`` over groups of
    ``t`` tied values; ``Z = (S - 1)/sqrt(Var)`` for ``S > 0``, ``(S + 1)/sqrt(Var)``
    for ``S < 0``, else 0 (without the continuity correction, ``S/sqrt(Var)``:
    then the p-value equals that of :func:`scipy.stats.kendalltau` of the
    values against time). Missing values are dropped (the order kept).

    Parameters
    ----------
    series : sequence of float
        Values at equally spaced times (for example foundings per year).
    alpha : float, default 0.05
        Level at which a trend is named.
    continuity : bool, default True
        Use the continuity correction (Mann, 1945; Kendall, 1975; Hipel and McLeod).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    >>> r.s, r.var_s, round(r.z, 4), round(r.p_value, 6), r.slope, r.trend
    (45.0, 125.0, 3.9355, 8.3e-05, 1.0, 'increasing')
    """
    from scipy import stats  # on first use: the command line's start stays light

    x = np.asarray(pd.to_numeric(pd.Series(series), errors="coerce"), dtype=float)
    t = np.flatnonzero(~np.isnan(x)).astype(float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 3:
        return MannKendall(n, 0.0, 0.0, 0.0, 1.0, float("nan"), "no trend")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, counts = np.unique(x, return_counts=True)
    ties = float((counts * (counts - 1) * (2 * counts + 5)).sum())
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    if var_s <= 0:
        z = 0.0
    elif continuity:
        z = (s - math.copysign(1.0, s)) / math.sqrt(var_s) if s != 0 else 0.0
    else:
        z = s / math.sqrt(var_s)
    p = float(2 * stats.norm.sf(abs(z)))
    slope = float(np.median((x[j] - x[i]) / (t[j] - t[i])))
    trend = "no trend" if p > alpha else ("increasing" if z > 0 else "decreasing")
    return MannKendall(n, s, float(var_s), float(z), p, slope, trend)


def yearly_foundings(
    firms: pd.DataFrame, *, first: int, last: int, founded: str = "founded"
) -> pd.Series:
    """Firms founded each year from ``first`` to ``last`` (0 in years without any)."""
    years = founding_years(firms, founded).dropna().astype(int)
    return years.value_counts().reindex(range(first, last + 1), fill_value=0).sort_index()


def founding_trends(
    firms: pd.DataFrame,
    by: str | Sequence[str],
    *,
    first: int,
    last: int,
    founded: str = "founded",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The Mann-Kendall trend of each group's yearly foundings from ``first`` to ``last``.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``founded_in_window`` (firms founded in
        the window), ``trend``, ``s``, ``z``, ``p_value`` and ``sen_slope`` (foundings
        per year, per year).
    """
    keys = [by] if isinstance(by, str) else list(by)
    rows: list[dict[str, object]] = []
    for group, part in firms.groupby(keys, sort=True, dropna=True):
        counts = yearly_foundings(part, first=first, last=last, founded=founded)
        result = mann_kendall(counts.to_numpy(dtype=float), alpha=alpha)
        values = group if isinstance(group, tuple) else (group,)
        rows.append(
            {
                **dict(zip(keys, values)),
                "founded_in_window": int(counts.sum()),
                "trend": result.trend,
                "s": result.s,
                "z": result.z,
                "p_value": result.p_value,
                "sen_slope": result.slope,
            }
        )
    columns = [*keys, "founded_in_window", "trend", "s", "z", "p_value", "sen_slope"]
    return pd.DataFrame(rows, columns=columns)


def founding_timeline(
    firms: pd.DataFrame, *, founded: str = "founded", weight: str = "employees"
) -> pd.DataFrame:
    """Firms and employees by year of founding, and their running totals.

    Parameters
    ----------
    firms : DataFrame
        The firms of one cluster (its footprint) or of any group.

    Returns
    -------
    DataFrame
        One row per founding year present: ``year``, ``firms``, ``employees``
        (today's employees of the firms founded that year), ``firms_total``
        and ``employees_total`` (of the firms founded by that year).
    """
    years = founding_years(firms, founded)
    emp = (
        pd.to_numeric(firms[weight], errors="coerce").fillna(0).clip(lower=0)
        if weight in firms.columns
        else pd.Series(1.0, index=firms.index)
    )
    frame = pd.DataFrame({"year": years, "employees": emp}).dropna(subset=["year"])
    table = frame.groupby("year").agg(firms=("employees", "size"), employees=("employees", "sum"))
    table.index = table.index.astype(int)
    table["firms_total"] = table["firms"].cumsum()
    table["employees_total"] = table["employees"].cumsum()
    return table.reset_index()


# -- lineages -------------------------------------------------------------------------------------


def link_clusters(labels_by_year: Mapping[int, pd.Series]) -> pd.DataFrame:
    """Link the clusters of consecutive years by the firms they share.

    A cluster of year Y is linked to its *predecessor*: the cluster of the
    previous year given with which it shares the most firms (ties: the lower
    label), if it shares any. It continues its predecessor's *lineage* when
    it is that predecessor's largest successor (most shared firms; ties: the
    lower label); another successor of the same predecessor starts a new
    lineage (a split), and a cluster that absorbs several clusters of the
    previous year continues the one it shares most with (a merge: the others'
    lineages end there).

    Parameters
    ----------
    labels_by_year : mapping
        Year -> Series of cluster labels indexed by firm id (negative: noise).
        Firms absent from a year did not exist then.

    Returns
    -------
    DataFrame
        One row per cluster and year, ordered by year and cluster: ``year``,
        ``cluster``, ``firms``, ``predecessor`` (label in the previous year,
        -1 none), ``shared`` (firms shared with it), ``jaccard`` (shared over
        the union of both clusters), ``merged`` (how many clusters of the
        previous year it absorbed), ``lineage`` (an id, numbered in order of
        appearance) and ``event`` (``new``, ``continues``, ``split`` or
        ``merge``).
    """
    rows: list[dict[str, object]] = []
    lineage_of: dict[int, int] = {}
    next_id = 0
    previous: pd.Series | None = None
    for year in sorted(labels_by_year):
        labels = pd.Series(labels_by_year[year])
        labels = labels[pd.to_numeric(labels, errors="coerce") >= 0].astype(np.int64)
        sizes = labels.value_counts().sort_index()
        links: dict[int, tuple[int, int, int]] = {}  # cluster -> (pred, shared, n_preds)
        if previous is not None and len(labels):
            common = labels.index.intersection(previous.index)
            pairs = pd.DataFrame(
                {"now": labels.loc[common].to_numpy(), "before": previous.loc[common].to_numpy()}
            )
            counts = pairs.groupby(["now", "before"]).size().rename("shared").reset_index()
            counts = counts.sort_values(["now", "shared", "before"], ascending=[True, False, True])
            for now, group in counts.groupby("now", sort=True):
                first = group.iloc[0]
                links[int(str(now))] = (int(first["before"]), int(first["shared"]), len(group))
        # each predecessor's main successor: most shared firms, then the lower label
        main: dict[int, int] = {}
        for successor, (pred, shared, _) in sorted(links.items()):
            best = main.get(pred)
            if best is None or shared > links[best][1]:
                main[pred] = successor
        previous_sizes = previous.value_counts() if previous is not None else pd.Series(dtype=int)
        new_lineages: dict[int, int] = {}
        for cluster, size in sizes.items():
            c = int(str(cluster))
            pred, shared, n_preds = links.get(c, (-1, 0, 0))
            if pred >= 0 and main.get(pred) == c:
                lineage = lineage_of[pred]
                event = "merge" if n_preds > 1 else "continues"
            else:
                lineage, next_id = next_id, next_id + 1
                event = "split" if pred >= 0 else "new"
            new_lineages[c] = lineage
            union = int(size) + int(previous_sizes.get(pred, 0)) - shared
            rows.append(
                {
                    "year": int(year),
                    "cluster": c,
                    "firms": int(size),
                    "predecessor": pred,
                    "shared": shared,
                    "jaccard": shared / union if pred >= 0 and union else 0.0,
                    "merged": n_preds,
                    "lineage": lineage,
                    "event": event,
                }
            )
        lineage_of = new_lineages
        previous = labels
    columns = [
        "year",
        "cluster",
        "firms",
        "predecessor",
        "shared",
        "jaccard",
        "merged",
        "lineage",
        "event",
    ]
    return pd.DataFrame(rows, columns=columns)
