"""Maps load nothing from outside and carry escaped text."""

import re

import folium
import folium.plugins
import pytest

from geo import maps
from geo.maps.layers import _FirmPoints


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_base_map_has_no_external_assets(aimags):
    m = maps.base_map()
    maps.aimag_layer(aimags, {"name": "N", "region": "R", "population": "P"}).add_to(m)
    html = rendered(m)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the map must load Leaflet"
    assert all(u.startswith(maps.DEFAULT_ASSET_BASE) for u in urls), urls
    assert "cdn" not in html.lower()
    assert html.count('"iso_3166_2"') == 22


def test_osm_tiles_are_optional():
    assert "tile.openstreetmap.org" not in rendered(maps.base_map())
    assert "tile.openstreetmap.org" in rendered(maps.base_map(tiles="osm"))


def test_plugins_are_localised():
    m = maps.base_map()
    folium.plugins.MarkerCluster().add_to(m)
    folium.plugins.HeatMap([[47.9, 106.9]]).add_to(m)
    maps.localise_assets(m)
    urls = re.findall(r'(?:src|href)="([^"]+)"', rendered(m))
    assert any("markercluster" in u for u in urls)
    assert any("leaflet-heat" in u for u in urls)
    assert all(u.startswith(maps.DEFAULT_ASSET_BASE) for u in urls)


def test_unknown_asset_is_refused():
    m = maps.base_map()
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(KeyError):
        maps.localise_assets(m)


def test_vendored_files_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "static" / "vendor"
    for path in filter(None, maps.VENDOR_ASSETS.values()):
        assert (root / path).is_file(), path


def test_hostile_names_are_escaped(aimags):
    hostile = aimags.copy()
    hostile.loc[0, "name_en"] = "<img src=x onerror=alert(1)>${alert(2)}`"
    m = maps.base_map()
    maps.aimag_layer(hostile, {"name": "N", "region": "R", "population": "P"}, lang="en").add_to(m)
    html = rendered(m)
    assert "<img src=x" not in html
    assert "${alert(2)}" not in html
    assert "\\u0026lt;img" in html or "&lt;img" in html


# -- the Map page's layers, with hostile text in every field -------------------------
import html as _html  # noqa: E402
import json  # noqa: E402

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from tests.payloads import PAYLOADS  # noqa: E402

LABELS = {
    k: k
    for k in (
        "name",
        "region",
        "population",
        "sector",
        "firms",
        "employees",
        "address",
        "precision",
        "cluster",
        "stage",
        "aimags",
        "layer_aimags",
        "layer_firms",
        "layer_clusters",
        "layer_heat",
        "legend_sectors",
        "copy_link",
        "copy_link_title",
        "more",
    )
}


def hostile_firms() -> pd.DataFrame:
    n = len(PAYLOADS)
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "name": PAYLOADS,
            "address": PAYLOADS[::-1],
            "sector": PAYLOADS,
            "employees": PAYLOADS,
            "precision": PAYLOADS,
            "lat": 47.9 + rng.normal(0, 0.01, n),
            "lon": 106.9 + rng.normal(0, 0.01, n),
        }
    )


def hostile_clusters() -> gpd.GeoDataFrame:
    n = len(PAYLOADS)
    return gpd.GeoDataFrame(
        {
            "cluster": range(n),
            "sector": PAYLOADS,
            "firms": range(n),
            "employees": range(n),
            "stage": PAYLOADS,
            "aimags": PAYLOADS,
        },
        geometry=[shapely.Point(106.9, 47.9).buffer(0.01)] * n,
        crs=4326,
    )


def script_bodies(page: str) -> str:
    return "\n".join(re.findall(r"<script>(.*?)</script>", page, flags=re.S))


def test_payloads_in_every_field_never_become_markup_or_code(aimags):
    labels = dict(LABELS, name=PAYLOADS[0], layer_firms=PAYLOADS[5], legend_sectors=PAYLOADS[6])
    names = {p: p for p in PAYLOADS}
    m = maps.atlas_map(
        aimags,
        labels=labels,
        firms=hostile_firms(),
        clusters=hostile_clusters(),
        layers=("aimags", "firms", "clusters", "heat"),
        sector_names=names,
        stage_names=names,
        precision_names=names,
        fill={},
        bins=[],
        values={"MN-1": PAYLOADS[1]},
        indicator_label=PAYLOADS[2],
    )
    page = rendered(m)
    for dangerous in (
        "<img",
        "<svg",
        "<iframe",
        "${alert",
        "`+alert",
        "\u2028",
        "\u2029",
        "alert(1)</script>",
        "\\2019",
    ):
        assert dangerous not in page, dangerous
    assert not re.search(r"<[a-z]+\s[^>]*\bon[a-z]+\s*=", page)  # no live event handler
    # every <script> holds exactly what the templates put there: no payload closes one
    assert page.count("<script") == page.count("</script>")
    assert "<b " not in page and "<iframe" not in script_bodies(page)


def test_firm_rows_carry_the_text_exactly_once_unescaped():
    layer = maps.firm_layer(hostile_firms(), colours={}, labels=LABELS)
    rows = maps.unpack_json(layer.rows_packed)
    assert len(rows) == len(PAYLOADS)
    mongolian = PAYLOADS.index("Хүслэн-Барилга ХХК \"Алтан\" `тэмдэг` $100 \\ 'хашилт'")
    assert _html.unescape(rows[mongolian][5]) == PAYLOADS[mongolian]
    assert all("<" not in r[5] and "`" not in r[5] and "$" not in r[5] for r in rows)
    # above the limit the rows carry no names or addresses
    small = maps.firm_layer(hostile_firms(), colours={}, labels=LABELS, text_limit=3)
    assert all(len(r) == 5 for r in maps.unpack_json(small.rows_packed))


def test_packed_rows_are_base64_letters_only_and_deterministic():
    value = [[47.9, 106.9, 0, 0, "12", "Хаан &#96;ХХК&#96;", "Сүхбаатар дүүрэг"]] * 500
    packed = maps.pack_json(value)
    assert re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", packed)
    assert packed == maps.pack_json(value)  # no time stamp
    assert maps.unpack_json(packed) == value
    assert len(packed) < len(json.dumps(value)) / 10
    with pytest.raises(ValueError):
        _FirmPoints('"];alert(1);//', "{}", name="firms", show=True, options={})


def test_classify_quantiles_and_natural_breaks():
    values = pd.Series([0.1, 0.5, 1.0, 2.0, 4.0, np.nan, 8.0, 0.0], index=list("abcdefgh"))
    for scheme in ("quantiles", "natural_breaks", "equal_interval"):
        fill, bins = maps.classify(values, scheme, k=4)
        assert fill["f"] == maps.NO_DATA_COLOUR
        assert len(bins) == 4 and bins[0][0] == 0.0 and bins[-1][1] == 8.0
        assert fill["g"] == bins[-1][2] and fill["h"] == bins[0][2]
    fill, bins = maps.classify(pd.Series([1.0, 1.0]), k=5)
    assert len(bins) == 1
    assert maps.classify(pd.Series([np.nan]))[1] == []
    with pytest.raises(ValueError, match="scheme"):
        maps.classify(values, "jenks-ish")


def test_standalone_html_opens_offline(aimags):
    m = maps.atlas_map(
        aimags,
        labels=LABELS,
        firms=hostile_firms(),
        clusters=hostile_clusters(),
        layers=("aimags", "firms", "clusters", "heat"),
        link_control=False,
    )
    page = maps.standalone_html(m, title="<t>", note=PAYLOADS[1])
    assert re.findall(r"<script[^>]+src=|<link[^>]+href=", page) == []  # nothing to fetch
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert "L.markerClusterGroup" in page and "<img" not in page
    assert "&lt;t&gt;" in page


def test_view_link_control_restores_only_its_own_view(aimags):
    page = rendered(
        maps.atlas_map(aimags, labels=LABELS, layers=("aimags",), view=(44.5, 104.2, 7))
    )
    assert '"44.5,104.2,7"' in page and "history.replaceState" in page
    assert "sessionStorage" in page


def test_drawable_layers_and_view_colours():
    assert maps.drawable_layers(("aimags", "firms"), 10) == (("aimags", "firms"), False)
    assert maps.drawable_layers(("aimags", "firms"), 70_000) == (("aimags", "heat"), True)
    assert maps.drawable_layers(("firms", "heat"), 70_000) == (("heat",), True)
    firms = pd.DataFrame(
        {"sector": ["b", "a", "c"], "lat": [47.9, 47.9, np.nan], "lon": [106.9, 106.9, np.nan]}
    )
    colours = maps.view_colours(firms)
    assert set(colours) == {"a", "b"}  # only located firms count
    assert colours == maps.sector_colours(["a", "b"])


def test_popup_text_is_shortened_and_has_no_bidi_controls():
    """Issue 14.13: a right-to-left override reordered a name; 2,000 characters ran
    26,000 px past the popup."""
    firms = pd.DataFrame(
        {
            "lat": [47.9, 47.91],
            "lon": [106.9, 106.91],
            "sector": ["ict", "ict"],
            "employees": [3, 4],
            "precision": ["point", "point"],
            "name": ["Evil K\u202eexe.txt", "Ж" * 2000],
            "address": ["\u2066Улаанбаатар\u2069", "x"],
        }
    )
    rows = maps.unpack_json(maps.firm_layer(firms, colours={}, labels=LABELS).rows_packed)
    assert rows[0][5] == "Evil Kexe.txt" and rows[0][6] == "Улаанбаатар"
    assert len(rows[1][5]) == 160 and rows[1][5].endswith("…")


def test_classes_of_many_equal_values_are_not_repeated():
    """Issue 14.9: quantile classes collapsed to "0.00 - 0.00" twice."""
    values = pd.Series(
        [0.0] * 15 + [1.0, 2.0, 5.0, 9.0, 12.0, 20.0], index=[f"U{i}" for i in range(21)]
    )
    fill, bins = maps.classify(values, "quantiles")
    highs = [hi for _, hi, _ in bins]
    assert highs == sorted(set(highs))
    assert len({c for _, _, c in bins}) == len(bins)
    from geo.formats import format_range

    labels = [format_range(lo, hi, "firms") for lo, hi, _ in bins]
    assert labels[0] == "0" and len(set(labels)) == len(labels)


def test_map_is_metric_bounded_and_focus_does_not_scroll(aimags):
    m = maps.atlas_map(aimags, labels=LABELS, layers=("aimags",))
    html = m.get_root().render()
    assert "imperial: false" in html and "preventScroll: true" in html
    assert '"maxBounds"' in html or "maxBounds" in html
    assert m.options["minZoom"] == 3 and m.options["zoomSnap"] == 0.25
    # the legend can be folded; a note says why aimags are grey
    noted = (
        maps.atlas_map(aimags, labels=LABELS, layers=("aimags",), legend_note="Choose a sector")
        .get_root()
        .render()
    )
    assert '<details class="cam-legend"' in noted and "Choose a sector" in noted


# -- names on the map -----------------------------------------------------------------


def test_names_on_the_map_by_kind_and_zoom(aimags):
    from geo.admin import load_units
    from geo.maps.labels import CLUSTER_LABEL_LIMIT, ZOOM_RANGES, name_labels

    units = load_units()
    many = gpd.GeoDataFrame(
        {"cluster": range(200), "sector": ["ict"] * 200, "firms": range(200)},
        geometry=[shapely.Point(106.9, 47.9).buffer(0.01)] * 200,
        crs=4326,
    )
    names = name_labels(
        aimags, lang="mn", districts=units, clusters=many, sector_names={"ict": "МХТ <b>"}
    )
    kinds = pd.Series([n["kind"] for n in names]).value_counts().to_dict()
    assert kinds == {"aimag": 22, "district": 9, "cluster": CLUSTER_LABEL_LIMIT}
    texts = {n["text"] for n in names}
    assert {"Өмнөговь", "Улаанбаатар", "Хан-Уул", "Сүхбаатар"} <= texts
    clusters = [n for n in names if n["kind"] == "cluster"]
    assert clusters[0]["text"] == "МХТ &lt;b&gt; · 199"  # the largest first, escaped
    # every aimag's name lies inside its aimag
    for n, polygon in zip(names, aimags.geometry):
        assert polygon.contains(shapely.Point(n["lon"], n["lat"]))
    # the country view shows the aimags, not the districts; close to the capital the reverse
    assert ZOOM_RANGES["aimag"][0] <= 5 < ZOOM_RANGES["district"][0]
    assert ZOOM_RANGES["aimag"][1] < ZOOM_RANGES["district"][0] <= 10
    english = {n["text"] for n in name_labels(aimags, lang="en", districts=units)}
    assert {"Ömnögovi", "Khan-Uul"} <= english


def test_the_map_writes_names_only_with_their_layers(aimags):
    page = rendered(maps.atlas_map(aimags, labels=LABELS, lang="en", layers=("aimags",)))
    assert "camLabels(" in page and '"text": "Dornogovi"' in page
    bare = rendered(maps.atlas_map(aimags, labels=LABELS, lang="en", layers=("firms",)))
    assert '"kind": "aimag"' not in bare
    off = rendered(
        maps.atlas_map(aimags, labels=LABELS, lang="en", layers=("aimags",), names=False)
    )
    assert "camLabels(" not in off
