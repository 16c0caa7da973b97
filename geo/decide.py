"""Deciding which unit an address means, from its candidate spans (:mod:`geo.candidates`).

The rules, honest about what the address does not say:

1. An aimag the address *states* (a marker after it, ``Орхон аймаг``, or the
   capital's words) outweighs a word that merely looks like an aimag
   elsewhere (``Төв`` in ``Төв -12-р гудамж``): the look-alike keeps only its
   other meanings.
2. A unit inside an aimag named by another span makes a *pair*; exactly one
   pair is a match; several pairs are ``ambiguous`` (the note lists them).
3. Without a pair, a unit alone is a match when its name is unique; a soum
   name shared by several aimags is ``ambiguous`` (the note names them); a
   unit that contradicts the aimag named is ``ambiguous`` with both in the
   note; an aimag alone gives ``precision='aimag'``; nothing gives
   ``unmatched``.
4. When that leaves the address ambiguous and a unit is stated (a marker, or
   a district abbreviation such as ``СХД``), unmarked look-alikes of other
   units are set aside (``Сонгино`` in ``СХД 32-р хороо, Сонгино`` is a
   neighbourhood of the capital, not the soum of Zavkhan).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from geo.candidates import POSTAL_AIMAG, POSTAL_UNIT, Entry, Gazetteer, Span

__all__ = ["Match", "decide"]


@dataclass
class Match:
    """The outcome for one place key.

    Attributes
    ----------
    status : str
        ``matched``, ``ambiguous`` or ``unmatched``.
    precision : str
        ``point``, ``district``, ``soum``, ``aimag`` or ``none``.
    aimag : str or None
        ISO code of the aimag, when known.
    unit : int
        Row of the gazetteer, -1 for none.
    score : float
        0-1.
    note : str
        Why, in words.
    lat, lon : float
        Only for a corrected point.
    soum_source : str
        Where the soum comes from: ``address``, or for a corrected point the
        way the point was placed (:meth:`geo.admin.AdminIndex.locate`).
    """

    status: str
    precision: str
    aimag: str | None
    unit: int
    score: float
    note: str
    lat: float = float("nan")
    lon: float = float("nan")
    soum_source: str = ""


def unit_match(gazetteer: Gazetteer, unit: int, score: float, note: str = "") -> Match:
    """A matched soum or district."""
    precision = "district" if gazetteer.unit_kind[unit] == "district" else "soum"
    return Match(
        "matched",
        precision,
        gazetteer.unit_aimag[unit],
        unit,
        score,
        note or ("fuzzy match" if score < 1 else ""),
        soum_source="address",
    )


def describe_units(gazetteer: Gazetteer, units: Iterable[int]) -> str:
    """``Name (Aimag); ...`` for a note."""
    return "; ".join(
        sorted(
            f"{gazetteer.unit_name[u]} ({gazetteer.aimag_en[gazetteer.unit_aimag[u]]})"
            for u in units
        )
    )


def _keep(spans: list[Span], drop: Callable[[Span, Entry], bool]) -> list[Span]:
    """The spans with the entries ``drop(span, entry)`` rejects removed (empty spans go)."""
    out = []
    for s in spans:
        entries = frozenset(e for e in s.entries if not drop(s, e))
        if entries:
            out.append(Span(s.id, entries, s.score, s.marked))
    return out


def decide(spans: list[Span], fuzzy_used: bool, gazetteer: Gazetteer) -> Match:
    """The match for the spans of one place key (see the module's rules)."""
    if not spans:
        return Match("unmatched", "none", None, -1, 0.0, "no place in Mongolia named")
    stated = any(s.marked and any(e.kind == "aimag" for e in s.entries) for s in spans)
    if stated:  # rule 1
        spans = _keep(spans, lambda s, e: e.kind == "aimag" and not s.marked)
    result = _decide(spans, fuzzy_used, gazetteer)
    postal = (POSTAL_AIMAG, POSTAL_UNIT)
    if result.status != "matched" and any(
        s.marked and any(e.kind != "aimag" for e in s.entries) for s in spans
    ):
        narrowed = _keep(
            spans, lambda s, e: e.kind != "aimag" and not s.marked and s.id not in postal
        )
        if narrowed != spans:  # rule 4
            second = _decide(narrowed, fuzzy_used, gazetteer)
            if second.status == "matched":
                return second
    return result


def _decide(spans: list[Span], fuzzy_used: bool, g: Gazetteer) -> Match:
    """Rules 2 and 3."""
    aimag_spans = {s.id: {e.aimag for e in s.entries if e.kind == "aimag"} for s in spans}
    unit_spans = {s.id: {e.unit for e in s.entries if e.kind != "aimag"} for s in spans}
    all_aimags = set().union(*aimag_spans.values())
    # pairs: an aimag from one span, a unit inside it from another
    pairs: set[int] = set()
    for sa, aims in aimag_spans.items():
        for su, us in unit_spans.items():
            if sa == su:
                continue
            pairs.update(u for u in us if g.unit_aimag[u] in aims)
    score = min(s.score for s in spans)
    if fuzzy_used:
        score = min(score, 0.95)
    if len(pairs) == 1:
        return unit_match(g, pairs.pop(), score)
    if len(pairs) > 1:
        aimags = {g.unit_aimag[u] for u in pairs}
        return Match(
            "ambiguous",
            "aimag" if len(aimags) == 1 else "none",
            next(iter(aimags)) if len(aimags) == 1 else None,
            -1,
            score,
            f"several units fit: {describe_units(g, pairs)}",
        )
    # units from spans that are not also aimag names
    pure_units = set()
    for sid, us in unit_spans.items():
        if us and not aimag_spans[sid]:
            pure_units |= us
    if pure_units:
        if all_aimags:
            aimag_names = ", ".join(g.aimag_en[a] for a in sorted(all_aimags))
            return Match(
                "ambiguous",
                "aimag" if len(all_aimags) == 1 else "none",
                next(iter(all_aimags)) if len(all_aimags) == 1 else None,
                -1,
                score,
                f"{describe_units(g, pure_units)} is not in {aimag_names}",
            )
        if len(pure_units) == 1:
            return unit_match(g, pure_units.pop(), score)
        by_aimag = {g.unit_aimag[u] for u in pure_units}
        names = describe_units(g, pure_units)
        if len(by_aimag) == 1:
            return Match(
                "ambiguous", "aimag", by_aimag.pop(), -1, score, f"several units fit: {names}"
            )
        first = g.unit_name[next(iter(pure_units))]
        places = ", ".join(sorted(g.aimag_en[a] for a in by_aimag))
        return Match(
            "ambiguous", "none", None, -1, score, f"soum name {first} exists in {places}: {names}"
        )
    if len(all_aimags) == 1:
        return Match("matched", "aimag", all_aimags.pop(), -1, score, "aimag only")
    if all_aimags:
        return Match(
            "ambiguous",
            "none",
            None,
            -1,
            score,
            "several aimags named: " + ", ".join(sorted(g.aimag_en[a] for a in all_aimags)),
        )
    units = set().union(*unit_spans.values())
    if len(units) == 1:
        return unit_match(g, units.pop(), score)
    return Match(
        "ambiguous", "none", None, -1, score, f"several units fit: {describe_units(g, units)}"
    )
