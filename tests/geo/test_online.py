"""geo.online: the optional Nominatim fallback, with a fake provider (no network)."""

from __future__ import annotations

import json

import pandas as pd

from geo.geocode import Geocoder
from geo.online import NominatimFallback


class FakeProvider:
    def __init__(self):
        self.urls = []

    def __call__(self, url: str) -> str:
        self.urls.append(url)
        if "Tsetsens" in url:
            return json.dumps(
                [
                    {
                        "lat": "47.9185",
                        "lon": "106.9177",
                        "category": "amenity",
                        "type": "school",
                        "display_name": "Tsetsens school, UB",
                    }
                ]
            )
        if "Paris" in url:
            return json.dumps([{"lat": "48.85", "lon": "2.35", "display_name": "Paris"}])
        return "[]"


class Clock:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_fallback_places_unmatched_rows_only_politely_and_once(tmp_path, index):
    frame = pd.DataFrame(
        {
            "address": [
                "Tsetsens surguuli",
                "Өмнөговь аймаг, Ханбогд сум",
                "Tsetsens surguuli",
                "Paris",
                "nowhere at all",
                "",
            ]
        }
    )
    geocoded = Geocoder(index).geocode(frame)
    assert geocoded["geocode_status"].tolist()[0] == "unmatched"
    fake, clock = FakeProvider(), Clock()
    online = NominatimFallback(
        tmp_path / "cache.sqlite", index, fetch=fake, clock=clock, sleep=clock.sleep
    )
    out = online.apply(geocoded, "address")
    assert out.loc[0, "geocode_status"] == "matched" and out.loc[0, "precision"] == "point"
    assert out.loc[0, "aimag_code"] == "MN-1" and "Nominatim" in out.loc[0, "geocode_note"]
    assert out.loc[2, "geocode_status"] == "matched"
    assert out.loc[1, "geocode_note"] == geocoded.loc[1, "geocode_note"]  # untouched
    assert out.loc[3, "geocode_status"] == "unmatched"  # an answer outside Mongolia
    assert (
        out.loc[4, "geocode_status"] == "unmatched"
        and out.loc[5, "geocode_status"] == geocoded.loc[5, "geocode_status"]
    )
    assert len(fake.urls) == 3  # the repeat came from the cache
    assert all("countrycodes=mn" in u for u in fake.urls)
    assert clock.slept == [1.0, 1.0]  # one request per second
    again = NominatimFallback(tmp_path / "cache.sqlite", index, fetch=fake)
    again.apply(geocoded, "address")
    assert len(fake.urls) == 3 and again.requests == 0  # the cache survives
