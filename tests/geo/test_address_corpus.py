"""Accuracy on hand-written, real-style addresses (not made by the demo generator).

``tests/data/addresses_real_style.csv`` holds 510 addresses written by hand in the forms
of registries and signboards: Cyrillic and Latin, abbreviations (УБ, ХУД, а., с.), case
endings, typos, Russian-keyboard letters, reversed order, postal codes, towns instead of
soums, and aimag names inside street and building names. Each has its truth (aimag ISO
code, and the soum or district as the gazetteer spells it; empty when the address names
only an aimag). ``set`` is ``dev`` (445 addresses, written before the geocoder's address
rules of issue 16 and used to find what it missed) or ``holdout`` (65, written after and
measured once, never tuned on).

Measured (issue 16): before the new rules, dev 91.9 % right (aimag 93.9 %), holdout 93.8 %;
after, dev 99.8 % (aimag 100 %), holdout 100 %.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.geocode import Geocoder

CORPUS = Path(__file__).resolve().parents[1] / "data" / "addresses_real_style.csv"
#: Floors just under the measured figures (a regression shows, one new miss does not).
FLOORS = {"dev": {"aimag": 0.995, "all": 0.99}, "holdout": {"aimag": 0.98, "all": 0.96}}


@pytest.fixture(scope="module")
def scored(index):
    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    out = Geocoder(index).geocode(corpus[["address"]])
    aimag_ok = out["aimag_code"].fillna("").to_numpy() == corpus["aimag_code"].to_numpy()
    soum_ok = out["soum"].fillna("").to_numpy() == corpus["soum"].to_numpy()
    has_soum = corpus["soum"].ne("").to_numpy()
    return corpus.assign(
        aimag_ok=aimag_ok,
        soum_ok=aimag_ok & soum_ok,
        right=aimag_ok & (soum_ok | ~has_soum),
        has_soum=has_soum,
        got=out["soum"].fillna("").to_numpy(),
        note=out["geocode_note"].fillna("").to_numpy(),
    )


def test_the_corpus_is_large_and_its_truth_is_in_the_gazetteer(units):
    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    assert len(corpus) >= 300 and not corpus["address"].duplicated().any()
    known = set(zip(units["aimag_code"], units["name_mn"]))
    named = corpus[corpus["soum"] != ""]
    assert all((a, s) in known for a, s in zip(named["aimag_code"], named["soum"]))
    assert corpus["address"].str.contains("[A-Za-z]").sum() >= 60  # Latin forms


@pytest.mark.parametrize("part", ["dev", "holdout"])
def test_accuracy_on_real_style_addresses(scored, part):
    rows = scored[scored["set"] == part]
    aimag = rows["aimag_ok"].mean()
    soum = rows.loc[rows["has_soum"], "soum_ok"].mean()
    right = rows["right"].mean()
    by_form = rows.groupby("form")["right"].mean().round(3).to_dict()
    report = (
        f"{part}: {len(rows)} addresses, aimag {aimag:.1%}, soum {soum:.1%}, "
        f"all right {right:.1%}; by form {by_form}"
    )
    print(report)
    missed = rows[~rows["right"]][["address", "soum", "got", "note"]].to_string()
    assert aimag >= FLOORS[part]["aimag"], f"{report}\n{missed}"
    assert right >= FLOORS[part]["all"], f"{report}\n{missed}"
