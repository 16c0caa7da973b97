"""The state of a map view and its URL form, so that a link reproduces a view.

:class:`View` holds everything a person can change on the Map page (language,
dataset, filters, clustering parameters, layers, basemap, indicator, map
centre and zoom, selection, presenter mode). :meth:`View.to_query` writes only
what differs from the defaults, with short keys; :meth:`View.from_query` reads
such a query back, replacing each value it cannot parse by its default and
saying so, so that a mangled link still opens.

Query keys: ``lang ds sec reg aim size fy yr exp fo prec eps min w meth clu cen
lay base ind lat lon z sel cl pres sig`` (``yr``: the firms as of a year).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from geo.filters import PRECISIONS, SIZE_BANDS, FirmFilter
from geo.settings import DEFAULT_EPS_KM, DEFAULT_MIN_SAMPLES

__all__ = [
    "INDICATORS",
    "LAYERS",
    "SECTOR_RELATIVE",
    "STATISTICS_INDICATORS",
    "View",
    "map_event_changes",
]

#: Map layers a view can switch on.
LAYERS = ("aimags", "firms", "clusters", "heat", "superclusters")

#: Indicators that colour the units, columns of :func:`geo.stats.sector_statistics`, in the
#: order offered: the Statistics page offers all of them (``STATISTICS_INDICATORS``), the
#: Map all but each unit's share of its own employment (``INDICATORS``).
STATISTICS_INDICATORS = (
    "lq_employment",
    "lq_firms",
    "employees",
    "firms",
    "employees_per_10k",
    "firms_per_10k",
    "share_of_sector_employment",
    "share_of_unit_employment",
    "eco_stars",
)
INDICATORS = tuple(i for i in STATISTICS_INDICATORS if i != "share_of_unit_employment")

#: Indicators that compare a sector with all sectors: with no sector chosen they say
#: nothing (every aimag has LQ 1).
SECTOR_RELATIVE = ("lq_employment", "lq_firms", "share_of_sector_employment", "eco_stars")


def _tuple(text: str) -> tuple[str, ...]:
    return tuple(x for x in (p.strip() for p in text.split(",")) if x)


def _flag(text: str) -> bool:
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ValueError(text)


def _tristate(text: str) -> bool | None:
    return None if text in ("", "any") else _flag(text)


#: Numbers a link may carry: field -> (type, lowest, highest).
_NUMBERS: dict[str, tuple[type, float, float]] = {
    "eps_km": (float, 0.05, 100),
    "min_samples": (int, 2, 10_000),
    "lat": (float, 38.0, 56.0),
    "lon": (float, 80.0, 125.0),
    "zoom": (float, 3, 18),
    "cluster": (int, 0, math.inf),
    "as_of": (int, 1800, 2100),
}
#: Words a link may carry: field -> the allowed values.
_CHOICES: dict[str, tuple[str, ...]] = {
    "method": ("dbscan", "hdbscan"),
    "basemap": ("none", "osm"),
    "indicator": INDICATORS,
}


@dataclass(frozen=True)
class View(FirmFilter):
    """One view of the Map page. Hashable: it keys shared caches.

    A view is a :class:`~geo.filters.FirmFilter` (its fields ``sectors``, ``region``,
    ``aimags``, ``sizes``, ``founded``, ``exporter``, ``foreign_owned``, ``precisions``
    and ``as_of`` are the filter's, defined there once) plus how the firms are shown: the fields below.
    """

    lang: str = "mn"
    dataset: str = "demo"
    eps_km: float = DEFAULT_EPS_KM
    min_samples: int = DEFAULT_MIN_SAMPLES
    weighted: bool = False
    method: str = "dbscan"
    clustering: bool = True
    include_centres: bool = False
    layers: tuple[str, ...] = ("aimags", "firms", "clusters")
    basemap: str = "none"
    indicator: str = "lq_employment"
    lat: float | None = None
    lon: float | None = None
    zoom: float | None = None
    aimag: str | None = None
    cluster: int | None = None
    presenter: bool = False
    significant_only: bool = False

    _KEYS = {
        "lang": "lang",
        "dataset": "ds",
        "sectors": "sec",
        "region": "reg",
        "aimags": "aim",
        "sizes": "size",
        "founded": "fy",
        "exporter": "exp",
        "foreign_owned": "fo",
        "precisions": "prec",
        "as_of": "yr",
        "eps_km": "eps",
        "min_samples": "min",
        "weighted": "w",
        "method": "meth",
        "clustering": "clu",
        "include_centres": "cen",
        "layers": "lay",
        "basemap": "base",
        "indicator": "ind",
        "lat": "lat",
        "lon": "lon",
        "zoom": "z",
        "aimag": "sel",
        "cluster": "cl",
        "presenter": "pres",
        "significant_only": "sig",
    }

    def firm_filter(self) -> FirmFilter:
        """The firm selection of this view (a plain filter: it keys the filter's caches)."""
        return FirmFilter(**{f.name: getattr(self, f.name) for f in fields(FirmFilter)})

    def replace(self, **changes: Any) -> View:
        """A copy with some fields changed."""
        return replace(self, **changes)

    # -- URL -----------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Query parameters for this view: only values that differ from the defaults."""
        default = View()
        out: dict[str, str] = {}
        for name, key in self._KEYS.items():
            value = getattr(self, name)
            if value == getattr(default, name):
                continue
            if isinstance(value, bool):
                out[key] = "1" if value else "0"
            elif value is None:
                out[key] = "any" if name in ("exporter", "foreign_owned") else ""
            elif name == "founded":
                out[key] = f"{value[0]}-{value[1]}"
            elif isinstance(value, tuple):
                out[key] = ",".join(value)
            elif isinstance(value, float):
                out[key] = f"{value:g}"
            else:
                out[key] = str(value)
        return out

    @classmethod
    def from_query(
        cls,
        query: Mapping[str, str],
        *,
        languages: Collection[str] = ("mn", "en"),
        sectors: tuple[str, ...] | None = None,
        aimags: tuple[str, ...] | None = None,
        regions: tuple[str, ...] | None = None,
    ) -> tuple[View, list[str]]:
        """Read a view from query parameters.

        Parameters
        ----------
        query : dict
            Key -> value (the last value when a key repeats).
        languages, sectors, aimags, regions : tuple, optional
            Allowed values; unknown ones are dropped with a problem noted.

        Returns
        -------
        view : View
        problems : list of str
            One line per value that was ignored, naming the key and the value.
        """
        default = cls()
        values: dict[str, Any] = {}
        problems: list[str] = []
        by_key = {v: k for k, v in cls._KEYS.items()}
        for key, raw in query.items():
            name = by_key.get(key)
            if name is None:
                continue
            text = str(raw).strip()
            try:
                values[name] = cls._parse(
                    name, text, languages=languages, sectors=sectors, aimags=aimags, regions=regions
                )
            except (ValueError, TypeError):
                problems.append(f"{key}={text!r} ignored")
        for name, value in list(values.items()):
            if (
                isinstance(value, tuple)
                and name in ("sectors", "aimags")
                and value != ()
                and len(value) < len(query.get(cls._KEYS[name], "").split(","))
            ):
                problems.append(f"{cls._KEYS[name]}: unknown values dropped")
        view = replace(default, **values)
        return view, problems

    @staticmethod
    def _parse(
        name: str,
        text: str,
        *,
        languages: Collection[str],
        sectors: Collection[str] | None,
        aimags: Collection[str] | None,
        regions: Collection[str] | None,
    ) -> Any:
        if name == "lang":
            if text not in languages:
                raise ValueError(text)
            return text
        if name == "dataset":
            if not text or len(text) > 80:
                raise ValueError(text)
            return text
        if name in ("sectors", "aimags", "sizes", "precisions", "layers"):
            items = _tuple(text)
            allowed = {
                "sectors": sectors,
                "aimags": aimags,
                "sizes": tuple(SIZE_BANDS),
                "precisions": PRECISIONS,
                "layers": LAYERS,
            }[name]
            if allowed is not None:
                items = tuple(x for x in items if x in allowed)
            return items
        if name == "region":
            if text in ("", "any"):
                return None
            if regions is not None and text not in regions:
                raise ValueError(text)
            return text
        if name == "founded":
            low, high = (int(x) for x in text.split("-"))
            if not (1900 <= low <= high <= 2100):
                raise ValueError(text)
            return (low, high)
        if name in ("exporter", "foreign_owned"):
            return _tristate(text)
        if name in ("weighted", "clustering", "include_centres", "presenter", "significant_only"):
            return _flag(text)
        if name in _NUMBERS:
            kind, lowest, highest = _NUMBERS[name]
            value: float = kind(text)
            if not lowest <= value <= highest:  # also refuses nan and inf
                raise ValueError(text)
            if name in ("lat", "lon", "zoom"):
                return round(value, 4 if name != "zoom" else 2)
            return value
        if name in _CHOICES:
            if text not in _CHOICES[name]:
                raise ValueError(text)
            return text
        if name == "aimag":
            if aimags is not None and text not in aimags:
                raise ValueError(text)
            return text or None
        raise ValueError(name)


def map_event_changes(
    before: Mapping[str, Any],
    now: Mapping[str, Any],
    aimag_codes: Collection[str],
    aimag_at: Callable[[float, float], str | None],
) -> dict[str, Any]:
    """What a map's report changes in its view (streamlit-folium's returned dictionary).

    Parameters
    ----------
    before, now : dict
        The previous and the new report (``center``, ``zoom``,
        ``last_active_drawing``, ``last_clicked``, ``last_object_clicked``).
    aimag_codes : collection of str
        The aimag codes a selection may take.
    aimag_at : callable
        ``(lat, lon) -> code or None``: the aimag under a point.

    Returns
    -------
    dict
        View fields to change: ``lat``, ``lon``, ``zoom`` (where the map is),
        ``aimag`` (a click on an aimag, or on the map where no layer took the
        click: Leaflet gives the first click after a map opens to the map pane
        when the pointer's target changed under it) and ``cluster`` (a click
        on a cluster outline). A click on a firm marker changes no selection.
    """
    changes: dict[str, Any] = {}
    centre, zoom = now.get("center") or {}, now.get("zoom")
    if "lat" in centre and "lng" in centre and zoom:
        changes.update(
            lat=round(float(centre["lat"]), 4),
            lon=round(float(centre["lng"]), 4),
            zoom=round(float(zoom), 2),
        )
    drawing = now.get("last_active_drawing") or {}
    clicked = now.get("last_clicked")
    props = drawing.get("properties") or {}
    if drawing and drawing != before.get("last_active_drawing"):
        if "cluster" in props:
            changes["cluster"] = int(props["cluster"])
        elif props.get("iso_3166_2") in aimag_codes:
            changes["aimag"] = props["iso_3166_2"]
    elif (
        clicked
        and clicked != before.get("last_clicked")
        and clicked != now.get("last_object_clicked")
    ):
        code = aimag_at(float(clicked["lat"]), float(clicked["lng"]))
        if code in aimag_codes:
            changes["aimag"] = code
    return changes
