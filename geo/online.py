"""Optional online fallback: OpenStreetMap Nominatim for addresses left unmatched offline.

Off by default and never needed by the tests: the user switches it on, knowing
that the addresses are then sent to an outside server. It respects the
provider's usage policy (at most one request per second, an identifying
User-Agent, results cached so that no address is asked twice: the cache lives
in the workspace) and every row it places says so in ``geocode_note``.
"""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any
from pathlib import Path

import pandas as pd

from geo.admin import AdminIndex

__all__ = ["NOMINATIM_URL", "NominatimFallback"]

NOMINATIM_URL = "https://nominatim.openstreetmap.org/search"
USER_AGENT = "ClusterAtlasMongolia/1.0 (regional development dashboard)"

#: Nominatim result types precise enough to count as a point.
POINT_TYPES = {
    "building",
    "house",
    "amenity",
    "office",
    "shop",
    "industrial",
    "commercial",
    "tourism",
    "craft",
}


def _http_get(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.read().decode("utf-8")


class NominatimFallback:
    """Place unmatched rows with Nominatim, politely and with a cache.

    Parameters
    ----------
    cache : Path
        SQLite file for the answers (the workspace file is fine).
    index : AdminIndex
        To say in which aimag and soum a returned point lies.
    fetch : callable, optional
        ``url -> response text``; replaced in tests (the default does HTTP).
    min_interval : float, default 1.0
        Seconds between two requests (the provider's limit).
    clock, sleep : callable, optional
        Time functions, replaceable in tests.
    """

    def __init__(
        self,
        cache: Path,
        index: AdminIndex,
        *,
        fetch: Callable[[str], str] | None = None,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = Path(cache)
        self.index = index
        self.fetch = fetch or _http_get
        self.min_interval = min_interval
        self.clock, self.sleep = clock, sleep
        self._last = -float("inf")
        self.requests = 0
        with sqlite3.connect(self.cache) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS online_cache (query TEXT PRIMARY KEY, "
                "response TEXT NOT NULL, fetched_at REAL NOT NULL)"
            )

    def search(self, text: str) -> dict[str, Any] | None:
        """The best Nominatim answer within Mongolia for ``text``, or None."""
        query = " ".join(str(text).split())
        if not query:
            return None
        with sqlite3.connect(self.cache) as db:
            row = db.execute(
                "SELECT response FROM online_cache WHERE query = ?", (query,)
            ).fetchone()
        if row is None:
            wait = self._last + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
            url = (
                NOMINATIM_URL
                + "?"
                + urllib.parse.urlencode(
                    {"q": query, "format": "jsonv2", "countrycodes": "mn", "limit": 1}
                )
            )
            self._last = self.clock()
            self.requests += 1
            response = self.fetch(url)
            with sqlite3.connect(self.cache) as db:
                db.execute(
                    "INSERT OR REPLACE INTO online_cache VALUES (?, ?, ?)",
                    (query, response, time.time()),
                )
        else:
            response = row[0]
        try:
            results = json.loads(response)
        except ValueError:
            return None
        return results[0] if isinstance(results, list) and results else None

    def apply(
        self,
        geocoded: pd.DataFrame,
        address_column: str,
        progress: Callable[[float], None] | None = None,
    ) -> pd.DataFrame:
        """Try the rows the offline geocoder left ``unmatched``; others stay as they are.

        A placed row gets ``geocode_status`` ``matched``, the point, the aimag
        and soum it lies in, ``precision`` ``point`` for buildings and
        amenities and ``soum`` otherwise, ``geocode_score`` 0.5 and a note
        naming the provider and what it found.
        """
        out = geocoded.copy()
        names = dict(zip(self.index.units["unit_code"].astype(str), self.index.units["name_mn"]))
        todo = out.index[
            out["geocode_status"].eq("unmatched")
            & out[address_column].astype("string").fillna("").str.strip().ne("")
        ]
        for k, i in enumerate(todo):
            hit = self.search(str(out.at[i, address_column]))
            if progress:
                progress((k + 1) / len(todo))
            if not hit:
                continue
            lat, lon = float(hit["lat"]), float(hit["lon"])
            where = self.index.locate([lat], [lon])
            aimag, unit = where.at[0, "aimag_code"], where.at[0, "unit_code"]
            if not isinstance(aimag, str):
                continue
            out.at[i, "lat"], out.at[i, "lon"] = lat, lon
            out.at[i, "aimag_code"] = aimag
            out.at[i, "aimag"] = self.index.aimag(aimag)["name_mn"]
            out.at[i, "soum"] = names.get(str(unit))
            if "soum_source" in out.columns:
                out.at[i, "soum_source"] = str(where.at[0, "soum_source"])
            point = hit.get("category") in POINT_TYPES or hit.get("type") in POINT_TYPES
            out.at[i, "precision"] = "point" if point else "soum"
            out.at[i, "geocode_status"] = "matched"
            out.at[i, "geocode_score"] = 0.5
            out.at[i, "geocode_note"] = (
                "placed online by OpenStreetMap Nominatim: "
                + str(hit.get("display_name", ""))[:200]
            )
        return out
