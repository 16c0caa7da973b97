"""Generate the SYNTHETIC demo registry of Mongolian firms.

Nothing in the output is a real firm. The registry is made to behave like the
Mongolian business register so that validation, geocoding, clustering and
statistics have honest work to do:

* geography follows reality: most firms in Ulaanbaatar's districts, then
  Darkhan, Erdenet and the aimag centres, few in remote soums; every firm is
  scattered around a real soum or district centre, never stacked on a point;
* the clusters that Mongolia plans around are present where they are
  (mining in Ömnögovi, Orkhon and Dornogovi; cashmere, wool and leather in
  Ulaanbaatar and Darkhan-Uul; tourism around Khatgal and Kharkhorin; ...),
  see :data:`CLUSTERS`;
* employment is heavy-tailed (most firms 1-9 people, a few thousands);
* addresses are written in the styles that registries contain (Cyrillic
  with аймаг/сум/баг or хот/дүүрэг/хороо, genitive forms, abbreviations,
  both orders, Latin in several romanisations, Russian-keyboard spellings,
  typos, town names, postal codes, empty and useless text), and a share of
  firms carries GPS coordinates, a few of them swapped or outside Mongolia;
* the truth (aimag, soum or district, point) is kept in ``true_*`` columns.

Same seed, same bytes::

    python datasets/build/make_demo_firms.py                      # 20,000 firms + 400 planted
    python datasets/build/make_demo_firms.py --n 1000000 -o /tmp/firms_1m_synthetic.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from geo.admin import load_aimags, load_units
from geo.projection import to_metric, to_wgs84

try:
    from datasets.build.demo_model import (
        CLUSTER_AGES,
        CLUSTERS,
        PLANTED_SECTORS,
        RELATED,
        RELATED_SEED_OFFSET,
        REGISTER_YEAR,
        SECTOR_BY_KEY,
        SECTORS,
        UNRELATED,
        Sector,
    )
    from datasets.build.demo_text import UB_DISTRICTS, firm_name, write_address
except ModuleNotFoundError:  # run as a script: python datasets/build/make_demo_firms.py
    from demo_model import (
        CLUSTER_AGES,
        CLUSTERS,
        PLANTED_SECTORS,  # type: ignore[no-redef]
        RELATED,
        RELATED_SEED_OFFSET,
        REGISTER_YEAR,
        SECTOR_BY_KEY,
        SECTORS,
        UNRELATED,
        Sector,
    )
    from demo_text import UB_DISTRICTS, firm_name, write_address  # type: ignore[no-redef]

__all__ = [
    "CLUSTERS",
    "CLUSTER_AGES",
    "PLANTED_SECTORS",
    "RELATED",
    "SECTORS",
    "UNRELATED",
    "Sector",
    "cluster_founding_years",
    "make_demo_firms",
    "plant_related_sectors",
    "promised_concentrations",
]

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_SEED = 20261129
DEFAULT_N = 20_000
DEFAULT_OUT = ROOT / "datasets" / "firms_demo_synthetic.csv"


def cluster_founding_years(founded: np.ndarray, planted: np.ndarray, seed: int) -> np.ndarray:
    """Founding years with the named clusters' firms redrawn by their age (:data:`CLUSTER_AGES`).

    Parameters
    ----------
    founded : array of int
        The general draw, one year per firm (kept for firms of no named cluster).
    planted : array of int
        Each firm's position in :data:`CLUSTERS`, -1 for the background.
    seed : int
        The registry's seed; the years come from a generator of their own, so that
        every other column stays as it was.
    """
    rng = np.random.default_rng([seed, 18])
    out = np.asarray(founded, dtype=np.int64).copy()
    age = np.array([CLUSTER_AGES[p] if p >= 0 else "" for p in planted], dtype=object)
    n = len(out)
    old = np.round(rng.uniform(1990, 2015.99, n) - 0.5)
    late = rng.random(n) < 0.08  # a few newcomers join every old cluster
    old = np.where(late, REGISTER_YEAR - np.floor(rng.uniform(0, 10, n)), old)
    growing = np.floor(rng.triangular(2005, REGISTER_YEAR + 1, REGISTER_YEAR + 1, n))
    young = REGISTER_YEAR - np.floor(rng.exponential(2.8, n))
    young = np.where(young < 2012, REGISTER_YEAR - np.floor(rng.uniform(0, 8, n)), young)
    for name, years in (("old", old), ("growing", growing), ("young", young)):
        pick = age == name
        out[pick] = np.clip(years[pick], 1990, REGISTER_YEAR).astype(np.int64)
    return out


def promised_concentrations() -> list[tuple[str, str, str | None, float]]:
    """What the demo registry promises: (sector, aimag, district, minimum LQ).

    Each named cluster's sector reaches an employment location quotient of at
    least 2 in its aimag. Ulaanbaatar holds most firms and so cannot reach 2:
    there the promise is 1.3 in the city and 2 in the cluster's lead district
    (the one holding most of its firms).
    """
    lead: dict[tuple[str, str], tuple[str, int]] = {}
    for sector, iso, soum, count, *_ in CLUSTERS:
        if (sector, iso) not in lead or count > lead[(sector, iso)][1]:
            lead[(sector, iso)] = (soum, count)
    out = []
    for (sector, iso), (soum, _) in lead.items():
        if iso == "MN-1":
            out += [(sector, iso, None, 1.3), (sector, iso, soum, 2.0)]
        else:
            out.append((sector, iso, None, 2.0))
    return out


def place_weights(units: pd.DataFrame, aimags: pd.DataFrame) -> np.ndarray:
    """Background probability that a firm sits in each unit."""
    pop = aimags.set_index("iso_3166_2")["population"].astype(float)
    w = np.zeros(len(units))
    for i, u in enumerate(units.itertuples()):
        if u.aimag_code == "MN-1":
            w[i] = 0.62 * UB_DISTRICTS[u.name_mn][0] / sum(p for p, _ in UB_DISTRICTS.values())
            continue
        rural = pop.drop("MN-1")
        boost = {"MN-037": 2.2, "MN-035": 2.4}.get(u.aimag_code, 1.0)  # Darkhan, Erdenet
        aimag_w = boost * rural[u.aimag_code] / rural.sum()
        n_soums = int((units["aimag_code"] == u.aimag_code).sum())
        if u.is_aimag_capital:
            w[i] = aimag_w * 0.7
        else:
            w[i] = aimag_w * 0.3 / max(n_soums - 1, 1)
    rest = w[units["aimag_code"] != "MN-1"].sum()
    w[units["aimag_code"] != "MN-1"] *= 0.38 / rest
    return w / w.sum()


def scatter(lat0, lon0, spread_km, rng):
    """Points scattered around centres: a Gaussian core and a wider tail."""
    n = len(lat0)
    x0, y0 = to_metric(lon0, lat0)
    scale = np.asarray(spread_km, dtype=float) * 1000 * np.where(rng.random(n) < 0.85, 0.6, 1.8)
    x = x0 + rng.normal(0, 1, n) * scale
    y = y0 + rng.normal(0, 1, n) * scale
    lon, lat = to_wgs84(x, y)
    return lat, lon


def employees(scale: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed firm sizes: most 1-9 people, a few in the thousands."""
    n = len(scale)
    base = rng.pareto(1.3, n) * 2.2 + 1
    out = np.floor(base * scale).astype(np.int64)
    return np.clip(out, 1, np.minimum(15_000, 1_200 * scale).astype(np.int64))


def make_demo_firms(n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Build the synthetic registry as a DataFrame (see the module docstring)."""
    rng = np.random.default_rng(seed)
    aimags = load_aimags()
    units = load_units()
    aimag_name = dict(zip(aimags["iso_3166_2"], aimags["name_mn"]))
    unit_index = {(u.aimag_code, u.name_mn): i for i, u in enumerate(units.itertuples())}
    factor = n / DEFAULT_N

    # named clusters first, then the background
    rows_unit, rows_sector, rows_spread, rows_size, rows_exp, rows_for = [], [], [], [], [], []
    rows_planted: list[int] = []
    for position, (sector, iso, soum, count, spread, size, exp, foreign) in enumerate(CLUSTERS):
        k = int(round(count * factor))
        rows_planted += [position] * k
        rows_unit += [unit_index[(iso, soum)]] * k
        rows_sector += [sector] * k
        rows_spread += [spread] * k
        rows_size += [size] * k
        rows_exp += [exp] * k
        rows_for += [foreign] * k
    n_bg = n - len(rows_unit)
    if n_bg < 0:
        raise ValueError("n too small for the named clusters")
    weights = place_weights(units, aimags)
    bg_units = rng.choice(len(units), size=n_bg, p=weights)
    shares = np.array([s.share for s in SECTORS])
    bg_sectors = rng.choice(len(SECTORS), size=n_bg, p=shares / shares.sum())
    unit_idx = np.concatenate([np.array(rows_unit, dtype=np.int64), bg_units])
    sector_key = np.array(rows_sector + [SECTORS[i].key for i in bg_sectors], dtype=object)
    is_ub = units["aimag_code"].to_numpy()[unit_idx] == "MN-1"
    is_capital = units["is_aimag_capital"].to_numpy()[unit_idx]
    bg_spread = np.where(
        is_ub[len(rows_unit) :], 2.2, np.where(is_capital[len(rows_unit) :], 1.2, 0.6)
    )
    spread = np.concatenate([np.array(rows_spread), bg_spread])
    size_mult = np.concatenate([np.array(rows_size), np.ones(n_bg)])
    exp_p = np.concatenate([np.array(rows_exp), np.full(n_bg, 0.03)])
    for_p = np.concatenate([np.array(rows_for), np.full(n_bg, 0.04)])

    order = rng.permutation(n)
    planted = np.concatenate(
        [np.array(rows_planted, dtype=np.int64), np.full(n_bg, -1, dtype=np.int64)]
    )[order]
    unit_idx, sector_key, spread = unit_idx[order], sector_key[order], spread[order]
    size_mult, exp_p, for_p = size_mult[order], exp_p[order], for_p[order]

    u = units.iloc[unit_idx].reset_index(drop=True)
    true_lat, true_lon = scatter(u["lat"].to_numpy(), u["lon"].to_numpy(), spread, rng)
    sectors = [SECTOR_BY_KEY[k] for k in sector_key]
    scale = np.array([s.size_scale for s in sectors]) * size_mult
    emp = employees(scale, rng)
    division = np.array([s.divisions[int(rng.integers(len(s.divisions)))] for s in sectors])
    founded = np.clip(np.round(2026 - rng.gamma(2.0, 6.0, n)), 1990, 2026).astype(int)

    names = [firm_name(s, rng) for s in sectors]

    addresses, styles = [], []
    for row in u.itertuples():
        addr, style = write_address(row, aimag_name[row.aimag_code], rng)
        addresses.append(addr)
        styles.append(style)

    # GPS for about a third of the firms; a few swapped or outside Mongolia
    has_gps = rng.random(n) < 0.33
    jitter = rng.normal(0, 0.0002, (n, 2))
    gps_lat = np.where(has_gps, np.round(true_lat + jitter[:, 0], 6), np.nan)
    gps_lon = np.where(has_gps, np.round(true_lon + jitter[:, 1], 6), np.nan)
    fault = rng.random(n)
    swapped = has_gps & (fault < 0.012)
    gps_lat, gps_lon = (np.where(swapped, gps_lon, gps_lat), np.where(swapped, gps_lat, gps_lon))
    outside = has_gps & (fault > 0.994)
    gps_lat = np.where(outside, np.round(rng.uniform(20, 40, n), 6), gps_lat)
    gps_lon = np.where(outside, np.round(rng.uniform(60, 80, n), 6), gps_lon)
    gps_status = np.where(
        ~has_gps, "", np.where(swapped, "swapped", np.where(outside, "outside", "ok"))
    )

    width = len(str(n))
    frame = pd.DataFrame(
        {
            "firm_id": [f"SYN-{i + 1:0{max(width, 6)}d}" for i in range(n)],
            "name": names,
            "isic_section": [s.section for s in sectors],
            "isic_division": [f"{d:02d}" for d in division],
            "sector": sector_key.astype(str),
            "sector_label_en": [s.label_en for s in sectors],
            "sector_label_mn": [s.label_mn for s in sectors],
            "employees": emp,
            "founded": founded,
            "exporter": rng.random(n) < exp_p,
            "foreign_owned": rng.random(n) < for_p,
            "address": addresses,
            "gps_lat": gps_lat,
            "gps_lon": gps_lon,
            "true_aimag_code": u["aimag_code"].to_numpy(),
            "true_aimag": [aimag_name[c] for c in u["aimag_code"]],
            "true_soum": u["name_mn"].to_numpy(),
            "true_unit_code": u["unit_code"].to_numpy(),
            "true_lat": np.round(true_lat, 6),
            "true_lon": np.round(true_lon, 6),
            "true_address_style": styles,
            "true_gps_status": gps_status,
        }
    )
    frame["founded"] = cluster_founding_years(frame["founded"].to_numpy(), planted, seed)
    return plant_related_sectors(frame, seed + RELATED_SEED_OFFSET, factor)


def plant_related_sectors(frame: pd.DataFrame, seed: int, factor: float = 1.0) -> pd.DataFrame:
    """Append firms of related sectors beside the named clusters of their partner sector.

    Every planted firm picks at random a firm of the partner sector that belongs to
    a named cluster (``true_*`` of the registry) and sits at about ``distance`` km
    from it (Gaussian offset), in the same soum or district. The rows of ``frame``
    are not touched; the planted firms come after them, numbered on, with their own
    random stream (``seed``), and written like the others (names, addresses in
    every style, GPS for about a third).
    """
    rng = np.random.default_rng(seed)
    aimags = load_aimags()
    units = load_units()
    aimag_name = dict(zip(aimags["iso_3166_2"], aimags["name_mn"]))
    unit_row = {str(code): i for i, code in enumerate(units["unit_code"].astype(str))}
    clustered = {(sector, iso, soum) for sector, iso, soum, *_ in CLUSTERS}
    in_cluster = np.array(
        [
            (s, a, u) in clustered
            for s, a, u in zip(frame["sector"], frame["true_aimag_code"], frame["true_soum"])
        ]
    )
    parts = []
    for sector, division, partner, count, distance in RELATED:
        k = int(round(count * factor))
        anchors = np.flatnonzero(in_cluster & (frame["sector"].to_numpy() == partner))
        if k == 0 or anchors.size == 0:
            continue
        pick = anchors[rng.integers(0, anchors.size, k)]
        x0, y0 = to_metric(frame["true_lon"].to_numpy()[pick], frame["true_lat"].to_numpy()[pick])
        angle = rng.uniform(0, 2 * np.pi, k)
        radius = np.abs(rng.normal(distance, distance / 3, k)) * 1000
        lon, lat = to_wgs84(x0 + radius * np.cos(angle), y0 + radius * np.sin(angle))
        parts.append(
            pd.DataFrame(
                {
                    "sector": sector,
                    "division": division,
                    "lat": lat,
                    "lon": lon,
                    "unit": frame["true_unit_code"].to_numpy()[pick],
                }
            )
        )
    if not parts:
        return frame
    planted = pd.concat(parts, ignore_index=True)
    m = len(planted)
    u = units.iloc[[unit_row[str(c)] for c in planted["unit"]]].reset_index(drop=True)
    sectors = [SECTOR_BY_KEY[k] for k in planted["sector"]]
    emp = employees(np.array([s.size_scale for s in sectors]), rng)
    founded = np.clip(np.round(2026 - rng.gamma(2.0, 6.0, m)), 1990, 2026).astype(int)
    names = [firm_name(s, rng) for s in sectors]
    written = [write_address(row, aimag_name[row.aimag_code], rng) for row in u.itertuples()]
    true_lat, true_lon = planted["lat"].to_numpy(), planted["lon"].to_numpy()
    has_gps = rng.random(m) < 0.33
    jitter = rng.normal(0, 0.0002, (m, 2))
    start = len(frame)
    width = max(len(str(start + m)), 6)
    rows = pd.DataFrame(
        {
            "firm_id": [f"SYN-{start + i + 1:0{width}d}" for i in range(m)],
            "name": names,
            "isic_section": [s.section for s in sectors],
            "isic_division": [f"{d:02d}" for d in planted["division"]],
            "sector": planted["sector"].astype(str),
            "sector_label_en": [s.label_en for s in sectors],
            "sector_label_mn": [s.label_mn for s in sectors],
            "employees": emp,
            "founded": founded,
            "exporter": rng.random(m) < 0.1,
            "foreign_owned": rng.random(m) < 0.1,
            "address": [a for a, _ in written],
            "gps_lat": np.where(has_gps, np.round(true_lat + jitter[:, 0], 6), np.nan),
            "gps_lon": np.where(has_gps, np.round(true_lon + jitter[:, 1], 6), np.nan),
            "true_aimag_code": u["aimag_code"].to_numpy(),
            "true_aimag": [aimag_name[c] for c in u["aimag_code"]],
            "true_soum": u["name_mn"].to_numpy(),
            "true_unit_code": u["unit_code"].to_numpy(),
            "true_lat": np.round(true_lat, 6),
            "true_lon": np.round(true_lon, 6),
            "true_address_style": [st for _, st in written],
            "true_gps_status": np.where(has_gps, "ok", ""),
        }
    )
    return pd.concat([frame, rows], ignore_index=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write the registry as UTF-8 CSV with stable formatting."""
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the synthetic demo firm registry.")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of firms")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    frame = make_demo_firms(args.n, args.seed)
    write_csv(frame, args.output)
    print(f"wrote {len(frame)} synthetic firms to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
