"""The state of a view: one source of truth that every page reads and writes.

A view (dataset, filter, clustering parameters, layers, selection, map centre
and zoom, presenter mode) is one :class:`geo.view.View` kept in the session
under :data:`VIEW`. The Statistics page's own choices (sector, level,
indicator, classes, units compared) sit beside it under :data:`STATS`. Both are read from
the URL once, when a session opens (on whichever page), and are then changed
only through this module:

* widgets have keys of their own (:data:`WIDGET`, :data:`STATS_WIDGET`);
  Streamlit forgets a widget's value when its page is left, so each run
  seeds a missing widget key from the stored view (:func:`seed_widgets`), and
  the view is stored again from the widgets once they are drawn;
* programmatic changes (a click on the map, "use the suggested radius",
  "leave presenter mode", opening a saved view) go through :func:`change`
  or :func:`open_query`, from widget callbacks, which run before any widget
  is drawn: no page writes a widget's state after the widget exists;
* the URL mirrors the view of the page shown (:func:`publish`), so a link
  reproduces it; it is written, never read again, after the session opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

import streamlit as st

from geo.filters import FirmFilter
from geo.view import STATISTICS_INDICATORS, View
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

VIEW = "atlas_view"  #: session key of the View
START = "atlas_map_start"  #: where the map opens: (lat, lon, zoom) or None
OPENED = "atlas_map_opened"  #: how many views this session has opened (saved views)
STATS = "atlas_stats"  #: session key of the Statistics page's choices
PROBLEMS = "view_problems"  #: what the opening link carried that was ignored
_WIDGETS_LANG = "atlas_widgets_lang"  #: the language the Map widgets were seeded in
_PAGE = "atlas_page"  #: the page the last run showed
_ARRIVED = "atlas_arrived"  #: this run shows another page than the last one
_STATS_LANG = "atlas_stats_lang"  #: the language the Statistics widgets were seeded in

#: Widget keys of the View's fields that the Map page draws as widgets.
WIDGET = {
    name: f"v_{name}"
    for name in (
        "dataset",
        "sectors",
        "region",
        "aimags",
        "sizes",
        "founded",
        "exporter",
        "foreign_owned",
        "precisions",
        "eps_km",
        "min_samples",
        "weighted",
        "method",
        "clustering",
        "include_centres",
        "layers",
        "basemap",
        "indicator",
        "presenter",
        "significant_only",
        "as_of",
    )
}

#: The Statistics page's choices: name -> (query key, allowed values or None, default).
STATS_CHOICES: dict[str, tuple[str, tuple[str, ...] | None, str | None]] = {
    "sector": ("ssec", None, None),
    "level": ("slvl", ("aimag", "region", "district"), "aimag"),
    "indicator": ("sind", STATISTICS_INDICATORS, "lq_employment"),
    "scheme": ("scls", ("quantiles", "natural_breaks"), "quantiles"),
    # the units compared side by side, keys joined by "," (checked against the level's units
    # by :func:`seed_compare_widget`)
    "compare": ("cmp", None, None),
    # related sectors (ui.colocationview): the radius in km and the random relabellings
    "co_radius": ("crad", ("0.5", "1", "2", "5"), "1"),
    "co_replicates": ("crep", ("99", "199", "499"), "99"),
}
#: Choices whose widget holds a list (a multiselect), stored joined by ",".
STATS_MULTI = ("compare",)
#: Widget keys of the Statistics page's choices.
STATS_WIDGET = {name: f"s_{name}" for name in STATS_CHOICES}

#: Query keys that belong to the map's picture only (not to a dataset and filter).
MAP_ONLY = (
    "eps",
    "min",
    "w",
    "meth",
    "clu",
    "cen",
    "lay",
    "base",
    "ind",
    "lat",
    "lon",
    "z",
    "cl",
    "pres",
    "sig",
)


LANG = "atlas_lang"  #: the session's language, kept apart from its widget


def current_language() -> str:
    """The language of this view: the switch, else the session's (kept across page
    switches, which may reset widgets), else ``?lang=``, else Mongolian."""
    lang = (
        st.session_state.get("lang_switch")
        or st.session_state.get(LANG)
        or st.query_params.get("lang", DEFAULT_LANGUAGE)
    )
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch(in_url: bool = True) -> str:
    """Draw the sidebar language switch; with ``in_url``, mirror the choice into the URL
    (pages that publish their own URL include the language in it)."""
    lang = current_language()
    choice = st.sidebar.radio(
        f"{t('language', 'mn')} / {t('language', 'en')}",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        index=list(LANGUAGES).index(lang),
        horizontal=True,
        key="lang_switch",
    )
    st.session_state[LANG] = choice
    if in_url and st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice


# -- opening ---------------------------------------------------------------------


def _query() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def _start_of(view: View) -> tuple[float, float, int] | None:
    if view.lat is None or view.lon is None or not view.zoom:
        return None
    return (view.lat, view.lon, view.zoom)


def _read(
    query: dict[str, str],
    datasets: dict[str, str],
    sectors_of: Callable[[str], tuple[str, ...]],
    aimags: tuple[str, ...],
    regions: tuple[str, ...],
) -> tuple[View, list[str]]:
    """Parse a query against the dataset it names (unknown datasets give the demo)."""
    dataset = query.get("ds") or "demo"
    problems: list[str] = []
    if dataset not in datasets:
        problems.append(f"ds={dataset!r} ignored")
        dataset = "demo"
    view, more = View.from_query(
        {**query, "ds": dataset}, sectors=sectors_of(dataset), aimags=aimags, regions=regions
    )
    return view.replace(lang=current_language()), problems + more


def session_view(
    datasets: dict[str, str],
    sectors_of: Callable[[str], tuple[str, ...]],
    aimags: tuple[str, ...],
    regions: tuple[str, ...],
) -> View:
    """The session's view: read from the URL when the session opens, then kept.

    Parameters
    ----------
    datasets : dict
        Dataset id -> name, the demo included.
    sectors_of : callable
        Dataset id -> its sector keys (to check a link's sectors).
    aimags, regions : tuple of str
        Allowed aimag codes and region names.
    """
    state = st.session_state
    if VIEW not in state:
        query = _query()
        view, problems = _read(query, datasets, sectors_of, aimags, regions)
        state[VIEW] = view
        state[START] = _start_of(view)
        state[PROBLEMS] = problems
        stats = {}
        for name, (key, allowed, default) in STATS_CHOICES.items():
            value = query.get(key)
            stats[name] = value if value and (allowed is None or value in allowed) else default
        state[STATS] = stats
    view = state[VIEW]
    if view.dataset not in datasets:  # deleted meanwhile
        view = view.replace(dataset="demo", sectors=(), cluster=None)
        state[VIEW] = view
    return view.replace(lang=current_language())


def widget_value(view: View, name: str):
    """A View field as its widget holds it."""
    value = getattr(view, name)
    if name == "as_of":
        return "all" if value is None else int(value)  # ui.timeview.ALL: today
    if name in ("exporter", "foreign_owned"):
        return "any" if value is None else ("yes" if value else "no")
    if isinstance(value, tuple) and name != "founded":
        return list(value)
    return value


def note_page(url_path: str) -> None:
    """Record the page this run shows; the Map's widgets are seeded from the view again
    when the run arrives from another page (:func:`seed_widgets`)."""
    st.session_state[_ARRIVED] = st.session_state.get(_PAGE) != url_path
    st.session_state[_PAGE] = url_path


def seed_widgets(view: View) -> None:
    """Give every Map widget that has no state (first run, page switch, another
    language) the view's value.

    A multiselect reports its choice by the labels it showed: after a change of
    language those labels match no option and the choice would be lost (the
    layers emptied, the map blank), so the widgets start again from the view.
    """
    arrived = st.session_state.pop(_ARRIVED, False)
    if arrived or st.session_state.get(_WIDGETS_LANG) != view.lang:
        # coming from another page, the view is the truth: a widget state left over from
        # before the switch must not win over it (seen once in CI under load: the Map came
        # back from Statistics with its widgets at their minimums, 0.05 km and 2 firms)
        for key in WIDGET.values():
            st.session_state.pop(key, None)
        st.session_state[_WIDGETS_LANG] = view.lang
    for name, key in WIDGET.items():
        if key not in st.session_state:
            st.session_state[key] = widget_value(view, name)


def store(view: View) -> View:
    """Keep ``view`` as the session's view."""
    st.session_state[VIEW] = view
    return view


def change(**changes) -> View:
    """Change fields of the session's view, and their widgets.

    Call from a widget callback (or before the widgets are drawn): a widget's
    state cannot change once it is drawn in a run.
    """
    view = st.session_state[VIEW].replace(**changes)
    st.session_state[VIEW] = view
    for name in changes:
        if name in WIDGET:
            st.session_state[WIDGET[name]] = widget_value(view, name)
    return view


def open_query(
    query: dict[str, str],
    datasets: dict[str, str],
    sectors_of: Callable[[str], tuple[str, ...]],
    aimags: tuple[str, ...],
    regions: tuple[str, ...],
) -> View:
    """Open the view of a query (a saved view): it replaces the session's view.

    The map opens at the query's centre and zoom. Call from a widget callback.
    """
    view, problems = _read(query, datasets, sectors_of, aimags, regions)
    st.session_state[VIEW] = view
    st.session_state[START] = _start_of(view)
    st.session_state[OPENED] = st.session_state.get(OPENED, 0) + 1
    st.session_state[PROBLEMS] = problems
    for key in WIDGET.values():
        st.session_state.pop(key, None)
    return view


def open_at(lat: float, lon: float, zoom: float, **changes) -> View:
    """Show the map at ``(lat, lon)`` and ``zoom`` (a search answer, "zoom to"), with
    other fields of the view changed too (the aimag to select). Call from a widget callback.

    The map is opened anew there, as for a saved view (:func:`map_opening` changes).
    """
    st.session_state[START] = (float(lat), float(lon), float(zoom))
    st.session_state[OPENED] = st.session_state.get(OPENED, 0) + 1
    return change(lat=float(lat), lon=float(lon), zoom=float(zoom), **changes)


def reset_filter() -> View:
    """Clear every filter of the view (sectors, region, aimags, sizes, years...): all the
    dataset's firms again; the map's parameters, dataset and position stay (a callback)."""
    default = FirmFilter()
    return change(**{f.name: getattr(default, f.name) for f in fields(FirmFilter)}, cluster=None)


#: Session key: the dataset to open on the Map once the current page has run.
SWITCH_TO_MAP = "atlas_switch_to_map"


def open_dataset(dataset: str) -> None:
    """Show ``dataset`` on the Map (a widget callback, for example after a save).

    The session's view takes the dataset with no filter, selection or sectors
    (another dataset's sectors and cluster numbers mean nothing there); the
    page that drew the button then switches to the Map (:func:`follow_switch`).
    """
    if VIEW in st.session_state:
        change(dataset=dataset, sectors=(), region=None, aimags=(), cluster=None, aimag=None)
    st.session_state[SWITCH_TO_MAP] = dataset


def follow_switch() -> None:
    """Switch to the Map if a callback asked for it (call at the top of a page)."""
    dataset = st.session_state.pop(SWITCH_TO_MAP, None)
    if dataset:
        st.switch_page("pages/map.py", query_params={"ds": dataset, "lang": current_language()})


def map_start() -> tuple[float, float, int] | None:
    """Where the map opens: the link's or saved view's centre and zoom (None: the country)."""
    return st.session_state.get(START)


def map_opening() -> str:
    """Names this opening of the map: its start and how many views were opened before.

    A map redrawn for a new filter returns to where the person had moved it;
    a saved view opened (even one that starts where the session's link did)
    opens where it was saved.
    """
    start = map_start()
    where = ",".join(map(str, start)) if start else "auto"
    return f"{where}#{st.session_state.get(OPENED, 0)}"


#: Query keys of where the map is: the map keeps them in the address itself.
_POSITION = ("lat", "lon", "z")


def publish(query: dict[str, str]) -> None:
    """Write ``query`` as the URL's query when it differs in more than the map's position.

    Every query Streamlit writes is a new entry in the browser's history; the
    map writes its centre and zoom into the address itself (replacing, no
    entry), so that moving the map, or opening a page whose map reports where
    it is, does not make Back take several presses.
    """
    current = _query()
    if query == current:
        return

    def rest(q: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in q.items() if k not in _POSITION}

    if rest(query) != rest(current):
        st.query_params.from_dict(query)


def map_query(view: View) -> dict[str, str]:
    """The URL of the Map page's view."""
    return view.to_query()


def filter_query(view: View) -> dict[str, str]:
    """The dataset and filter part of the view's URL (for pages other than the Map)."""
    return {k: v for k, v in view.to_query().items() if k not in MAP_ONLY}


# -- the Statistics page's choices ---------------------------------------------------


def stats_choices() -> dict[str, str | None]:
    """The Statistics page's sector, level, indicator and classes."""
    return dict(
        st.session_state.get(STATS)
        or {name: default for name, (_, _, default) in STATS_CHOICES.items()}
    )


def seed_stats_widgets(
    choices: dict[str, str | None], options: dict[str, list[str]], lang: str
) -> None:
    """Give each Statistics widget without state (or drawn in another language) the
    stored choice, or its first option."""
    if st.session_state.get(_STATS_LANG) != lang or st.session_state.get(_ARRIVED):
        # coming from another page the stored choices are the truth, as the Map's view is
        # (seed_widgets): a widget state left over from before the switch must not win (seen
        # in CI under load: Statistics came back from the Map at its first level and indicator)
        for key in STATS_WIDGET.values():
            st.session_state.pop(key, None)
        st.session_state[_STATS_LANG] = lang
    for name, key in STATS_WIDGET.items():
        if name in STATS_MULTI:  # seeded by their own function
            continue
        allowed = options[name]
        if st.session_state.get(key) not in allowed:
            value = choices.get(name)
            st.session_state[key] = value if value in allowed else allowed[0]


def seed_compare_widget(choices: dict[str, str | None], allowed: list[str]) -> list[str]:
    """Give the comparison's multiselect the stored units (those of ``allowed``, at most
    :data:`geo.settings.COMPARE_MAX_UNITS`) when it has no state or holds units of another
    level; returns the units it will show."""
    from geo.compare import parse_units

    key = STATS_WIDGET["compare"]
    current = st.session_state.get(key)
    if not isinstance(current, list) or any(v not in allowed for v in current):
        st.session_state[key] = parse_units(choices.get("compare"), allowed)
    return list(st.session_state[key])


def store_stats(choices: dict[str, str | None]) -> None:
    """Keep the Statistics page's choices."""
    st.session_state[STATS] = dict(choices)


def stats_query(view: View, choices: dict[str, str | None]) -> dict[str, str]:
    """The URL of the Statistics page: dataset, filter, selection and its choices."""
    query = filter_query(view)
    for name, (key, _, default) in STATS_CHOICES.items():
        value = choices.get(name)
        if value is not None and value != default:
            query[key] = str(value)
    return query


def view_fields() -> tuple[str, ...]:
    """Names of the View's fields (for tests and the URL)."""
    return tuple(f.name for f in fields(View))
