"""How far the embedded boundaries are from the official ones, and the soum of a point.

    .venv/bin/python bench/bench_boundaries.py [--official PATH] [--n 20000]

Reads the official soum boundaries (NSO / UN OCHA COD-AB) from
``../shared/reference/boundaries/mn_adm2_codab.gpkg`` (or ``--official``); they are never
committed, so the script says so and stops when they are absent. Prints:

1. the embedded aimag layer against the official aimags (the union of their soums):
   intersection over union per aimag, and the area that lies in another aimag;
2. the aimag and soum of real-style points (``bench/real_style_points.py``: uniform land,
   around settlements, around the capital), against the official polygon they lie in, for
   each way of placing a point: the nearest soum centre in the aimag (the default: no soum
   polygons are shipped), official aimags only (an ADM1 file) with the nearest centre in
   them, and the official soums;
3. n, median seconds and peak memory of importing and checking the file, of making the
   layers, and of placing 10,000 points.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]

from geo.admin import AdminIndex, load_aimags, load_units  # noqa: E402
from geo.boundaries import boundary_layers, import_boundaries  # noqa: E402
from geo.boundaries.report import EQUAL_AREA  # noqa: E402
from geo.text import latin_skeleton  # noqa: E402
from bench.real_style_points import KINDS, real_style_points  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "reference" / "boundaries" / "mn_adm2_codab.gpkg"


def timed(func, repeat: int = 3):
    """(result, median seconds, peak traced MiB)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, statistics.median(times), peak


def aimag_overlap(embedded: gpd.GeoDataFrame, official: gpd.GeoDataFrame) -> pd.DataFrame:
    """IoU per aimag and the official area each embedded aimag misses (km2)."""
    nso = dict(zip(embedded["nso_code"].astype(str), embedded["iso_3166_2"]))
    truth = (
        official.assign(iso=official["aimag_nso_code"].astype(str).map(nso))
        .dissolve("iso")
        .to_crs(EQUAL_AREA)
    )
    mine = embedded.set_index("iso_3166_2").to_crs(EQUAL_AREA)
    rows = []
    for code, row in mine.iterrows():
        a, b = row.geometry, truth.at[code, "geometry"]
        inter = shapely.intersection(a, b).area
        rows.append(
            {
                "aimag": row["name_en"],
                "iou": inter / shapely.union(a, b).area,
                "official_km2": b.area / 1e6,
                "missed_km2": (b.area - inter) / 1e6,
                "sym_diff_km2": shapely.symmetric_difference(a, b).area / 1e6,
            }
        )
    return pd.DataFrame(rows).sort_values("iou")


def truth_of(points: pd.DataFrame, official: gpd.GeoDataFrame) -> pd.DataFrame:
    tree = shapely.STRtree(official.geometry.values)
    pidx, gidx = tree.query(shapely.points(points["lon"], points["lat"]), predicate="within")
    first = np.unique(pidx, return_index=True)[1]
    out = pd.DataFrame({"unit": None, "aimag_nso": None, "name": None}, index=points.index)
    rows = points.index[pidx[first]]
    out.loc[rows, "unit"] = official["unit_code"].to_numpy()[gidx[first]]
    out.loc[rows, "aimag_nso"] = official["aimag_nso_code"].astype(str).to_numpy()[gidx[first]]
    out.loc[rows, "name"] = official["name_en"].to_numpy()[gidx[first]]
    return out


def agreement(
    located: pd.DataFrame, truth: pd.DataFrame, units: pd.DataFrame, aimags: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Per point: aimag right, soum right (its names agree with the official polygon's)."""
    iso_to_nso = dict(zip(aimags["iso_3166_2"], aimags["nso_code"].astype(str)))
    forms = {}
    for r in units.itertuples():
        names = [r.name_mn, r.name_en, *(str(r.variants).split(";") if r.variants else [])]
        forms[str(r.unit_code)] = {latin_skeleton(n) for n in names if n}
    aimag_ok = located["aimag_code"].map(iso_to_nso).to_numpy(object) == truth[
        "aimag_nso"
    ].to_numpy(object)
    soum_ok = np.array(
        [
            ok
            and isinstance(u, str)
            and max(fuzz.ratio(latin_skeleton(str(name)), f) for f in forms[u]) >= 80
            for ok, u, name in zip(aimag_ok, located["unit_code"], truth["name"])
        ]
    )
    return aimag_ok, soum_ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--official", type=Path, default=OFFICIAL)
    parser.add_argument("--n", type=int, default=20_000, help="points of each kind")
    args = parser.parse_args()
    if not args.official.exists():
        print(
            f"skipped: official boundaries not found at {args.official} (they are never "
            "committed; give --official PATH)"
        )
        return 0
    aimags, units = load_aimags(), load_units()
    official = gpd.read_file(args.official)

    print("== embedded aimags against the official aimags (union of their soums) ==")
    overlap = aimag_overlap(aimags, official)
    print(
        overlap.round({"iou": 3, "official_km2": 0, "missed_km2": 0, "sym_diff_km2": 0}).to_string(
            index=False
        )
    )
    print(
        f"area in another aimag: {overlap['missed_km2'].sum():,.0f} km2 "
        f"({overlap['missed_km2'].sum() / overlap['official_km2'].sum():.2%} of the country); "
        f"median IoU {overlap['iou'].median():.3f}, lowest {overlap['iou'].min():.3f} "
        f"({overlap.iloc[0]['aimag']})"
    )

    imported, t_import, m_import = timed(lambda: import_boundaries(args.official), repeat=1)
    layers, t_layers, m_layers = timed(
        lambda: boundary_layers(imported.layer, "soum", imported.source, aimags, units), repeat=1
    )
    adm1 = official.dissolve("aimag_nso_code", as_index=False)[["aimag_nso_code", "geometry"]]
    adm1_path = Path("/tmp") / "cam_bench_adm1.geojson"
    adm1.to_file(adm1_path)
    adm1_import = import_boundaries(adm1_path, level="aimag")
    adm1_layers = boundary_layers(adm1_import.layer, "aimag", adm1_import.source, aimags, units)
    methods = {
        "nearest centre in the aimag (default)": AdminIndex(aimags, units),
        "official aimags (ADM1) + nearest centre": adm1_layers.index,
        "official soums (loaded)": layers.index,
    }
    points = real_style_points(args.n, aimags, units)
    truth = truth_of(points, official)
    known = truth["unit"].notna().to_numpy()
    print(
        f"\n== the soum of a point: {args.n:,} points of each kind "
        f"({', '.join(KINDS)}), {int(known.sum()):,} inside the official country =="
    )
    for label, index in methods.items():
        located = index.locate(points["lat"], points["lon"])
        aimag_ok, soum_ok = agreement(located, truth, units, aimags)
        parts = []
        for kind in KINDS:
            sel = known & (points["kind"] == kind).to_numpy()
            parts.append(f"{kind} {aimag_ok[sel].mean():.2%}/{soum_ok[sel].mean():.2%}")
        sources = located.loc[known, "soum_source"].value_counts(normalize=True)
        print(
            f"{label:48s} aimag {aimag_ok[known].mean():.2%}  soum "
            f"{soum_ok[known].mean():.2%}   (aimag/soum: {'; '.join(parts)})   by "
            + ", ".join(f"{k} {v:.0%}" for k, v in sources.items())
        )

    print("\n== cost ==")
    print(
        f"import and check the official file (339 units): {t_import:.2f} s, peak "
        f"{m_import:,.0f} MiB; make aimag and region layers and the index: {t_layers:.2f} s, "
        f"peak {m_layers:,.0f} MiB"
    )
    sample = points.sample(10_000, random_state=1)
    for label, index in methods.items():
        _, t, m = timed(lambda: index.locate(sample["lat"], sample["lon"]))
        print(f"locate 10,000 points, {label:48s} median {t:.3f} s, peak {m:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
