"""The Data page's review step: a choice of unit for each place the geocoder could not
decide (ambiguous or unmatched), a map to place an address by a click, and the save of the
choices as corrections in the shared workspace (all or nothing).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from geo.importflow import ImportFlow
from geo.safety import escape_markdown
from geo.settings import REVIEW_LIMIT
from geo.workspace import WorkspaceConflict, WorkspaceError
from ui import loaders
from ui.dataview import _sync, flash, workspace
from ui.i18n import note_text, plural, t


def _unit_labels() -> dict[str, str]:
    index = loaders.admin_index()
    aimag_names = dict(zip(index.aimags["iso_3166_2"], index.aimags["name_mn"]))
    label = {c: f"{aimag_names[c]} ({c})" for c in index.aimags["iso_3166_2"]}
    label.update(
        {
            str(u.unit_code): f"{u.name_mn}, {aimag_names.get(u.aimag_code, '')}"
            for u in index.units.itertuples()
        }
    )
    return label


def _aimag_names(lang: str) -> dict[str, str]:
    """English aimag name -> its name in ``lang`` (the geocoder's notes name aimags in
    English)."""
    aimags = loaders.aimags()
    return dict(zip(aimags["name_en"], aimags["name_mn" if lang == "mn" else "name_en"]))


def review_widgets(flow: ImportFlow, lang: str, editor: bool) -> bool:
    """Ambiguous and unmatched places: one searchable choice per place (the first 30); an
    address that names no place says why it cannot take one. Returns whether "Save the
    choices" was pressed (the choices are in the flow)."""
    items = flow.review_items()
    st.subheader(t("review", lang))
    if not items:
        st.success(t("review_none", lang))
        return False
    st.caption(
        t("review_help", lang).format(rows=plural("n_rows", sum(len(i.rows) for i in items), lang))
    )
    label = _unit_labels()
    options = [""] + sorted(label, key=label.get)
    points = st.session_state.setdefault("review_points", {})
    shown = items[:REVIEW_LIMIT]
    for item in shown:
        cols = st.columns([3, 2])
        rows = ", ".join(map(str, item.rows[:10])) + (" …" if len(item.rows) > 10 else "")
        cols[0].markdown(f"**{t('row', lang)} {rows}:** {escape_markdown(item.address)}")
        cols[0].caption(
            escape_markdown(
                f"{t('status_' + item.status, lang)}: "
                f"{note_text(item.note, lang, _aimag_names(lang))}"
            )
        )
        if not item.can_correct:
            cols[1].warning(t("review_no_place", lang))
            continue
        key = "review_" + hashlib.sha1(item.key.encode()).hexdigest()[:12]
        current = flow.choices.get(item.key, "")
        _sync(key, current if current in options else "", flow.read_generation)
        code = cols[1].selectbox(
            t("choose_unit", lang),
            options,
            placeholder=t("choose_option", lang),
            key=key,
            format_func=lambda c: label.get(c, "—") if c else "—",
        )
        point = points.get(item.address)
        if not code and point:
            cols[1].caption(f"📍 {t('review_point', lang)}: {point[0]:.5f}, {point[1]:.5f}")
            code = f"point:{point[0]:.5f},{point[1]:.5f}"
        flow.choose(item.key, code)
    placeable = [i.address for i in shown if i.can_correct]
    if placeable:
        review_map(placeable, lang)
    return st.button(
        t("save_fixes", lang), key="save_fixes", disabled=not (editor and flow.choices)
    )


def save_review(flow: ImportFlow, lang: str, user: str) -> bool:
    """Write the review choices (all or nothing); a conflict or refusal is said plainly.
    Returns whether they were saved (the caller geocodes again)."""
    try:
        n = flow.save_review(workspace(), saved_by=user or "anonymous")
    except WorkspaceConflict as exc:
        st.error(
            t("review_conflict", lang).format(
                who=escape_markdown(exc.saved_by),
                what=escape_markdown(exc.what),
                when=escape_markdown(exc.saved_at),
            )
        )
        return False
    except WorkspaceError as exc:
        st.error(f"{t('review_failed', lang)}: {escape_markdown(exc)}")
        return False
    st.session_state["review_points"] = {}
    flash("success", t("fixes_saved", lang).format(corrections=plural("n_corrections", n, lang)))
    return True


def review_map(addresses: list[str], lang: str) -> None:
    """Place one address by clicking the map: the click becomes that address's point."""
    import folium

    from geo import maps
    from ui.foliummap import map_component

    st.markdown(f"**{t('review_map', lang)}**")
    st.caption(t("review_map_help", lang))
    cols = st.columns([3, 2])
    target = cols[0].selectbox(
        t("review_map_row", lang),
        addresses,
        placeholder=t("choose_option", lang),
        key="review_map_row",
    )
    osm = cols[1].toggle(
        t("basemap_osm", lang), key="review_map_osm", help=t("review_map_osm_help", lang)
    )
    point = st.session_state.get("review_points", {}).get(target)

    def build():
        m = maps.base_map(
            "osm" if osm else None, lang=lang, view=(point[0], point[1], 12) if point else None
        )
        maps.aimag_layer(
            loaders.aimags(),
            {k: t(k, lang) for k in ("name", "region", "population")},
            lang=lang,
            name=t("layer_aimags", lang),
        ).add_to(m)
        if point:
            folium.CircleMarker(
                list(point), radius=7, color="#b71c1c", fill=True, fill_opacity=0.9, weight=2
            ).add_to(m)
        return m

    reported = map_component(
        build,
        f"review-map:{lang}:{osm}:{point}",
        key="review_map",
        height=420,
        returned_objects=["last_clicked"],
    )
    click = (reported or {}).get("last_clicked") or {}
    if "lat" not in click or target is None:
        return
    seen = (round(float(click["lat"]), 5), round(float(click["lng"]), 5))
    if st.session_state.get("review_click_seen") == seen:
        return
    st.session_state["review_click_seen"] = seen
    where = loaders.admin_index().locate([seen[0]], [seen[1]])
    if not isinstance(where.at[0, "aimag_code"], str):
        st.warning(f"{t('review_point_outside', lang)}: {seen[0]:.5f}, {seen[1]:.5f}")
        return
    st.session_state.setdefault("review_points", {})[target] = seen
    st.rerun()
