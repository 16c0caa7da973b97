"""Clusters in time on the Map page: the "as of year" slider, Play and Stop, and a
cluster's timeline, age and lineage (issue #18). The logic is :mod:`geo.timeline`'s.

The year is the view's ``as_of`` field (URL ``yr``), held by the widget
``WIDGET["as_of"]`` like every other field (:mod:`ui.state`). Playing steps it
one year at a time:

* Play (a callback) sets the first year and marks the session as playing;
* each run of the Map page first calls :func:`tick`, which advances the year
  through :func:`ui.state.change` when a step is due (at least
  :data:`geo.settings.PLAY_SECONDS` after the last one), before any widget is
  drawn, and stops at the last year;
* at the end of the page, while playing, :func:`play_driver` waits until the
  next step is due and runs the page again.

Moving the slider (seen by :func:`tick`), or Stop, ends playing; no other control is
touched.
"""

from __future__ import annotations

import time

import altair as alt
import pandas as pd
import streamlit as st

from geo import settings
from geo.formats import format_number
from geo.timeline import age_profile, founding_timeline, founding_years, undated
from geo.view import View
from ui import loaders, state
from ui.i18n import t
from ui.state import WIDGET

#: The slider's last stop: every firm, today (no year).
ALL = "all"
#: Session keys: playing, when the last step was made, and the last year it set.
PLAYING = "atlas_time_playing"
LAST_STEP = "atlas_time_last_step"
_PLAYED = "atlas_time_played"


def year_span(firms: pd.DataFrame) -> tuple[int, int, int] | None:
    """The first and last founding year of a dataset and the year Play starts from (by
    then a tenth of today's dated firms existed); None without two different years."""
    years = founding_years(firms).dropna()
    if len(years) == 0 or years.min() == years.max():
        return None
    first, last = int(years.min()), int(years.max())
    start = min(max(first, int(years.quantile(0.1))), last - 1)
    return first, last, start


def _clamp(value: object, span: tuple[int, int, int]) -> int | str:
    if value == ALL or value is None:
        return ALL
    try:
        year = int(str(value))
    except ValueError:
        return ALL
    return min(max(year, span[0]), span[1])


def with_year(view: View, span: tuple[int, int, int] | None) -> View:
    """``view`` with the year its widget holds (kept within the dataset's years).

    Call after the widgets were seeded and before the slider is drawn.
    """
    if span is None:
        st.session_state[WIDGET["as_of"]] = ALL
        return view.replace(as_of=None)
    value = _clamp(st.session_state.get(WIDGET["as_of"], ALL), span)
    st.session_state[WIDGET["as_of"]] = value
    return view.replace(as_of=None if value == ALL else int(value))


def is_playing() -> bool:
    """Whether the years are being played."""
    return bool(st.session_state.get(PLAYING))


def _due() -> bool:
    return time.monotonic() - st.session_state.get(LAST_STEP, 0.0) >= settings.PLAY_SECONDS


def start(span: tuple[int, int, int]) -> None:
    """Play (a widget callback): from the slider's year, or from the start when the
    slider is at today or the last year."""
    year = st.session_state[state.VIEW].as_of
    if year is None or year >= span[1]:
        year = span[2]
    state.change(as_of=year)
    st.session_state[PLAYING] = True
    st.session_state[LAST_STEP] = time.monotonic()


def _end() -> None:
    st.session_state[PLAYING] = False


def stop() -> None:
    """Stop (a widget callback): the year shown stays, whatever the slider last reported."""
    _end()
    if state.VIEW in st.session_state:
        state.change(as_of=st.session_state[state.VIEW].as_of)


def tick(span: tuple[int, int, int] | None) -> None:
    """While playing, advance the view's year by one when a step is due; stop at the
    last year. Call at the top of the Map page, before any widget is drawn."""
    played = st.session_state.get(_PLAYED)
    if not is_playing():
        if played is not None:  # the slider's report may still lag one step behind
            if st.session_state.get(WIDGET["as_of"]) == played - 1:
                st.session_state[WIDGET["as_of"]] = played
            else:
                st.session_state.pop(_PLAYED, None)
        return
    view = st.session_state[state.VIEW]
    if span is None or view.as_of is None:
        _end()
        return
    shown = st.session_state.get(WIDGET["as_of"], view.as_of)
    if shown == view.as_of - 1:
        # the browser's report of the slider can lag one step behind (a run asked for
        # by the map before the new year reached it): the year the page set stands
        st.session_state[WIDGET["as_of"]] = view.as_of
    elif shown != view.as_of:
        # the person moved the slider: their year wins, playing ends (an on_change
        # callback would not do: the slider reports the years the page set as changes too)
        _end()
        st.session_state.pop(_PLAYED, None)
        return
    if not _due():
        return
    year = view.as_of + 1
    if year > span[1]:
        _end()
        return
    state.change(as_of=year)
    st.session_state[LAST_STEP] = time.monotonic()
    st.session_state[_PLAYED] = year
    if year >= span[1]:
        _end()


def time_controls(
    view: View, firms: pd.DataFrame, span: tuple[int, int, int] | None, lang: str
) -> None:
    """The "as of year" slider with Play and Stop, under the map."""
    if span is None:
        st.caption(t("time_no_years", lang))
        return
    options: list[int | str] = [*range(span[0], span[1] + 1), ALL]
    cols = st.columns([4.4, 1.8, 1.8], vertical_alignment="bottom")
    cols[0].select_slider(
        t("as_of_year", lang),
        options,
        key=WIDGET["as_of"],
        format_func=lambda v: t("as_of_all", lang) if v == ALL else str(v),
        help=t("as_of_help", lang),
    )
    playing = is_playing()
    cols[1].button(
        t("time_play", lang),
        key="time_play",
        on_click=start,
        args=(span,),
        disabled=playing,
        width="stretch",
    )
    cols[2].button(
        t("time_stop", lang), key="time_stop", on_click=stop, disabled=not playing, width="stretch"
    )
    if view.as_of is not None and not view.presenter:
        missing = undated(firms)
        note = t("time_survivors", lang)
        if missing:
            note = f"{t('time_undated', lang).format(n=format_number(missing, 0, lang))} {note}"
        st.caption(note)


def play_driver() -> None:
    """While playing, run the page again once the next step is due (call at the very end
    of the Map page, when everything is drawn).

    The wait is at most :data:`geo.settings.PLAY_SECONDS`; a person's click meanwhile
    (Stop, another sector) is not lost: Streamlit runs the page once, with it.
    """
    if not is_playing():
        return
    wait = settings.PLAY_SECONDS - (time.monotonic() - st.session_state.get(LAST_STEP, 0.0))
    if wait > 0:
        time.sleep(wait)
    st.rerun()


# -- a cluster's history ---------------------------------------------------------------------


def cluster_history(view: View, labelled: pd.DataFrame, cluster_row: pd.Series, lang: str) -> None:
    """A selected cluster's age profile, its firms and employees by founding year, and
    the sizes of the clusters it continues in earlier years (its lineage)."""
    members = labelled[labelled["cluster"] == int(cluster_row["cluster"])]
    timeline = founding_timeline(members)
    if timeline.empty:
        st.caption(t("time_no_years", lang))
        return
    profile = age_profile(labelled, "cluster", year=view.as_of)
    row = profile[profile["cluster"] == int(cluster_row["cluster"])]
    if len(row):
        r = row.iloc[0]
        st.caption(
            f"{t('age_class', lang)}: **{t('age_' + r['age_class'], lang)}** — "
            + t("age_profile_line", lang).format(
                s5=format_number(100 * r["share_5y"], 0, lang),
                n5=format_number(100 * r["national_5y"], 0, lang),
                s10=format_number(100 * r["share_10y"], 0, lang),
                n10=format_number(100 * r["national_10y"], 0, lang),
            )
        )
    st.caption(t("cluster_timeline", lang))
    st.altair_chart(timeline_chart(timeline, lang), width="stretch")
    sizes = lineage_sizes(view, int(cluster_row["cluster"]))
    if sizes is not None and len(sizes) > 1:
        st.caption(t("cluster_lineage", lang))
        frame = sizes.rename("firms").reset_index()
        st.altair_chart(
            alt.Chart(frame, height=130)
            .mark_bar()
            .encode(
                x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("firms:Q", title=t("firms", lang)),
                tooltip=[
                    alt.Tooltip("year:O", title=t("year", lang)),
                    alt.Tooltip("firms:Q", title=t("firms", lang)),
                ],
            ),
            width="stretch",
        )


def timeline_chart(timeline: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Running totals of firms (solid) and employees (dashed, own axis) by founding year."""
    base = alt.Chart(timeline, height=170).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1))
    )
    firms = base.mark_line(point=True).encode(
        y=alt.Y("firms_total:Q", title=t("firms", lang)),
        tooltip=[
            alt.Tooltip("year:Q", format="d", title=t("year", lang)),
            alt.Tooltip("firms:Q", title=t("firms", lang)),
            alt.Tooltip("firms_total:Q", title=t("firms", lang) + " Σ"),
        ],
    )
    employees = base.mark_line(strokeDash=[5, 3], color="#c0392b").encode(
        y=alt.Y("employees_total:Q", title=t("employees", lang)),
        tooltip=[
            alt.Tooltip("year:Q", format="d", title=t("year", lang)),
            alt.Tooltip("employees:Q", title=t("employees", lang)),
            alt.Tooltip("employees_total:Q", title=t("employees", lang) + " Σ"),
        ],
    )
    return alt.layer(firms, employees).resolve_scale(y="independent")


def lineage_sizes(view: View, cluster: int) -> pd.Series | None:
    """Firms of the cluster and of the clusters it continues, by year: the last ten
    years up to the view's year (None unless clustering by DBSCAN)."""
    if view.method != "dbscan" or not view.clustering:
        return None
    span = year_span(loaders.geocoded_firms(view.dataset))
    if span is None:
        return None
    last = view.as_of if view.as_of is not None else span[1]
    years = tuple(range(max(span[0], last - 9), last + 1))
    flt = view.firm_filter()
    table = loaders.cluster_lineages(
        view.dataset,
        repr(flt),
        flt,
        view.eps_km,
        view.min_samples,
        view.weighted,
        view.include_centres,
        years,
    )
    mine = table[(table["year"] == last) & (table["cluster"] == cluster)]
    if mine.empty:
        return None
    line = table[table["lineage"] == int(mine.iloc[0]["lineage"])]
    return line.set_index("year")["firms"]


# -- the Statistics page: age and founding trends by aimag ------------------------------------

#: Years of foundings the Mann-Kendall trend reads (up to the view's year).
TREND_YEARS = 20


def aimag_age_section(view: View, selection, sector: str, names: dict[str, str], lang: str) -> None:
    """For the chosen sector: each aimag's age profile and class, and the trend of its
    yearly foundings (Mann-Kendall, Sen's slope) over the last :data:`TREND_YEARS` years."""
    from geo.timeline import AgeRules, founding_trends

    st.subheader(t("time_stats_title", lang))
    firms = loaders.view_firms(view.dataset, repr(selection), selection)
    years = founding_years(firms)
    if years.notna().sum() == 0:
        st.caption(t("time_no_years", lang))
        return
    last = view.as_of if view.as_of is not None else int(years.max())
    first = last - TREND_YEARS + 1
    located = firms[firms["aimag_code"].notna()]
    profile = age_profile(located, ["aimag_code", "sector"], year=last)
    profile = profile[profile["sector"] == sector]
    trends = founding_trends(
        located[located["sector"] == sector], "aimag_code", first=first, last=last
    )
    table = profile.merge(trends, on="aimag_code", how="left")
    if table.empty:
        st.caption(t("no_clusters", lang))
        return
    aimags = loaders.aimags()
    aimag_names = dict(zip(aimags["iso_3166_2"], aimags["name_mn" if lang == "mn" else "name_en"]))
    trend_names = {
        "increasing": t("trend_increasing", lang),
        "decreasing": t("trend_decreasing", lang),
        "no trend": t("trend_none", lang),
    }
    shown = pd.DataFrame(
        {
            t("aimag", lang): table["aimag_code"].map(lambda c: aimag_names.get(c, c)),
            t("firms", lang): table["firms"],
            t("col_share_5y", lang): (100 * table["share_5y"]).round(0),
            t("col_national_5y", lang): (100 * table["national_5y"]).round(0),
            t("col_share_10y", lang): (100 * table["share_10y"]).round(0),
            t("age_class", lang): table["age_class"].map(lambda c: t(f"age_{c}", lang)),
            t("col_trend", lang): table["trend"].map(trend_names),
            t("col_trend_p", lang): table["p_value"].round(4),
            t("col_sen", lang): table["sen_slope"].round(2),
        }
    ).sort_values(t("firms", lang), ascending=False)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(
        t("time_stats_note", lang).format(
            first=first, last=last, sector=names.get(sector, sector), **AgeRules().as_dict()
        )
    )
