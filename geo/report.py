"""A one- or two-page PDF profile of an aimag, in Mongolian or English, made offline.

:func:`aimag_report` writes an A4 PDF with reportlab: the aimag's name and
facts, the dataset and its date, a map of the aimag with its firms and
clusters (drawn with matplotlib in the Lambert conformal conic of
:mod:`geo.projection`, as :mod:`geo.render` draws a view), its strongest
sectors with their location quotients and ratings (:mod:`geo.stats`), its
clusters with their stage (:mod:`geo.describe`) and, when they were
computed, their p-values (:mod:`geo.significance`), and the sources.

The text comes from the caller: ``labels`` maps the keys of :data:`LABEL_KEYS`
to the interface's strings in the report's language (``geo`` knows no
translations). The font is DejaVu Sans, which matplotlib ships and which
covers Cyrillic; reportlab embeds the subset of it that the report uses, so
the PDF shows the same text on any machine. Text from data passes through
:func:`geo.safety.escape_text` before it enters a reportlab paragraph (whose
mini-markup would otherwise read ``<`` and ``&``).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.formats import format_date, format_number
from geo.projection import MONGOLIA_LCC, to_metric
from geo.safety import escape_text

__all__ = ["FONT", "LABEL_KEYS", "aimag_report", "clusters_in", "font_path", "strongest_sectors"]

#: The font every text of the report is set in (registered with reportlab on first use).
FONT = "DejaVuSans"

#: The interface strings a report needs (``labels``' keys); a missing one shows as its key.
LABEL_KEYS = (
    "report_title",
    "report_data_date",
    "report_generated",
    "report_map",
    "report_sectors",
    "report_sectors_help",
    "report_clusters",
    "report_no_clusters",
    "report_more_clusters",
    "report_no_sectors",
    "report_sources",
    "report_no_pvalues",
    "report_page",
    "dataset",
    "filters",
    "region",
    "capital",
    "population",
    "area_km2",
    "sector",
    "col_firms",
    "col_employees",
    "col_lq_employment",
    "col_cmp_strong",
    "col_eco_stars",
    "cluster",
    "stage",
    "stage_local",
    "stage_regional",
    "stage_national",
    "stage_international",
    "p_value",
    "significant_short",
    "strong_cluster_yes",
)

#: Most sectors and clusters listed (the report stays within two pages).
TOP_SECTORS = 8
TOP_CLUSTERS = 12


def font_path(bold: bool = False) -> str:
    """Where DejaVu Sans is: matplotlib's own copy (no font is fetched or installed)."""
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name)


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, font_path()))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", font_path(bold=True)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=FONT, boldItalic=f"{FONT}-Bold"
    )


def strongest_sectors(statistics: pd.DataFrame, code: str, top: int = TOP_SECTORS) -> pd.DataFrame:
    """The aimag's sectors by employment LQ, highest first.

    Parameters
    ----------
    statistics : DataFrame
        :func:`geo.stats.sector_statistics` at the aimag level.
    code : str
        The aimag's ISO 3166-2 code.
    top : int
        How many rows.

    Returns
    -------
    DataFrame
        ``sector``, ``firms``, ``employees``, ``lq_employment``, ``cmp_strong``,
        ``eco_stars``: sectors with firms in the aimag and no small-count note,
        or, when none has enough firms, all sectors with firms.

    Examples
    --------
    >>> from geo.admin import load_aimags
    >>> from geo.stats import sector_statistics
    >>> firms = pd.DataFrame(
    ...     {
    ...         "aimag_code": ["MN-053"] * 6 + ["MN-1"] * 6,
    ...         "sector": ["mining"] * 6 + ["ict"] * 6,
    ...         "employees": 10,
    ...     }
    ... )
    >>> table = sector_statistics(firms, aimags=load_aimags())
    >>> strongest_sectors(table, "MN-053")["sector"].tolist()
    ['mining']
    """
    rows = table_rows = statistics[(statistics["aimag_code"] == code) & (statistics["firms"] > 0)]
    solid = rows[rows["lq_note"].fillna("") == ""]
    if len(solid):
        table_rows = solid
    columns = ["sector", "firms", "employees", "lq_employment", "cmp_strong", "eco_stars"]
    return (
        table_rows.sort_values(["lq_employment", "employees"], ascending=False)[columns]
        .head(top)
        .reset_index(drop=True)
    )


def clusters_in(clusters: pd.DataFrame | None, code: str) -> pd.DataFrame:
    """The clusters that touch the aimag (``aimag_codes`` lists it), largest employer first."""
    if clusters is None or not len(clusters) or "aimag_codes" not in clusters.columns:
        return pd.DataFrame(columns=["cluster", "sector", "firms", "employees", "stage"])
    touches = (
        clusters["aimag_codes"]
        .fillna("")
        .astype(str)
        .str.split("; ")
        .map(lambda codes: code in codes)
    )
    inside = clusters[touches.to_numpy(dtype=bool)]
    return inside.sort_values(["employees", "firms"], ascending=False)


def _map_png(
    code: str,
    aimags: gpd.GeoDataFrame,
    firms: pd.DataFrame | None,
    clusters: pd.DataFrame,
    colours: Mapping[str, str],
    sector_names: Mapping[str, str],
    width_in: float,
    height_in: float,
) -> bytes:
    """The aimag, its neighbours' outlines, its firms (dots) and clusters (outlines) as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    dpi = 170
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    try:
        shapes = aimags.to_crs(MONGOLIA_LCC)
        own = shapes[shapes["iso_3166_2"] == code]
        shapes.plot(ax=ax, color="#f2f2f2", edgecolor="#9e9e9e", linewidth=0.5)
        own.plot(ax=ax, color="#fff8e1", edgecolor="#37474f", linewidth=1.4)
        if firms is not None and len(firms) and "aimag_code" in firms.columns:
            f = firms[(firms["aimag_code"] == code) & firms["lat"].notna() & firms["lon"].notna()]
            if len(f):
                x, y = to_metric(f["lon"].to_numpy(float), f["lat"].to_numpy(float))
                ax.scatter(
                    x,
                    y,
                    s=4,
                    c=[colours.get(str(s), "#777777") for s in f["sector"]],
                    linewidths=0,
                    alpha=0.7,
                    zorder=3,
                )
        if len(clusters) and "geometry" in clusters.columns:
            outlines = gpd.GeoDataFrame(clusters, geometry="geometry", crs=4326).to_crs(
                MONGOLIA_LCC
            )
            dashed = (
                (~clusters["significant"].fillna(False).astype(bool)).to_numpy()
                if "significant" in clusters.columns
                else np.zeros(len(clusters), bool)
            )
            outlines.plot(
                ax=ax,
                facecolor="none",
                linewidth=1.6,
                zorder=4,
                edgecolor=[colours.get(str(s), "#555555") for s in clusters["sector"]],
                linestyle=["--" if d else "-" for d in dashed],
            )
        minx, miny, maxx, maxy = own.total_bounds if len(own) else shapes.total_bounds
        pad_x, pad_y = 0.08 * (maxx - minx), 0.08 * (maxy - miny)
        ax.set_xlim(minx - pad_x, maxx + pad_x)
        ax.set_ylim(miny - pad_y, maxy + pad_y)
        ax.set_axis_off()
        ax.set_aspect("equal")
        shown = sorted({str(s) for s in clusters["sector"]}) if len(clusters) else []
        if shown:
            handles = [
                Patch(
                    facecolor="none",
                    edgecolor=colours.get(s, "#555555"),
                    linewidth=1.6,
                    label=_plain(sector_names.get(s, s)),
                )
                for s in shown[:10]
            ]
            ax.legend(
                handles=handles, loc="lower left", fontsize=6.5, frameon=True, framealpha=0.85
            )
        fig.tight_layout(pad=0.2)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()
    finally:
        plt.close(fig)


def _plain(text: object, limit: int = 60) -> str:
    """Text for matplotlib: printable, no mathtext, at most ``limit`` long."""
    value = "".join(c for c in str(text) if c.isprintable())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("$", r"\$")


def _stars(n: Any) -> str:
    """ECO stars (0-3) as ★★☆."""
    count = int(n) if n == n else 0
    return "★" * count + "☆" * (3 - count)


def aimag_report(
    code: str,
    *,
    aimags: gpd.GeoDataFrame,
    statistics: pd.DataFrame,
    labels: Mapping[str, str],
    lang: str = "en",
    firms: pd.DataFrame | None = None,
    clusters: pd.DataFrame | None = None,
    sector_names: Mapping[str, str] | None = None,
    dataset_name: str = "",
    data_date: str = "",
    filter_text: str = "",
    note: str = "",
    sources: Sequence[str] = (),
    replicates: int | None = None,
    generated: _dt.date | None = None,
    invariant: bool = False,
) -> bytes:
    """The aimag's profile as PDF bytes (A4, one or two pages).

    Parameters
    ----------
    code : str
        The aimag's ISO 3166-2 code (``MN-053``).
    aimags : GeoDataFrame
        :func:`geo.admin.load_aimags` (names, facts, polygons).
    statistics : DataFrame
        :func:`geo.stats.sector_statistics` of the firms at the aimag level.
    labels : mapping
        Key of :data:`LABEL_KEYS` -> text in ``lang``. ``report_more_clusters``
        takes ``{n}``, ``report_page`` takes ``{n}``.
    lang : {"mn", "en"}
        Names of places and the way numbers and dates are written.
    firms : DataFrame, optional
        The firms (``lat``, ``lon``, ``sector``, ``aimag_code``): the aimag's
        are dotted on the map.
    clusters : DataFrame, optional
        :func:`geo.describe.describe_clusters` (with ``p_value`` and
        ``significant`` when the clusters were tested).
    sector_names : mapping, optional
        Sector key -> name in ``lang``.
    dataset_name, data_date, filter_text, note : str
        The dataset, the date of its data, its filter in words ("" for none)
        and a warning to print under the title (for example: synthetic data).
    sources : sequence of str
        Source lines printed at the end.
    replicates : int, optional
        The ``R`` of the p-values (how small a p-value can be).
    generated : date, optional
        The date printed as the report's date (today by default).
    invariant : bool, default False
        Leave the creation time and document id out (the same input gives the
        same bytes; for tests).

    Returns
    -------
    bytes
        The PDF.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from geo.maps import view_colours

    _register_fonts()
    label = _Labels(labels)
    names = dict(sector_names or {})
    matches = aimags[aimags["iso_3166_2"] == code]
    if matches.empty:
        raise ValueError(f"unknown aimag code {code!r}")
    aimag = matches.iloc[0]
    name = aimag["name_mn"] if lang == "mn" else aimag["name_en"]
    suffix = "mn" if lang == "mn" else "en"

    def number(value: Any, decimals: int = 0) -> str:
        return format_number(value, decimals, lang)

    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, alignment=TA_LEFT)
    small = ParagraphStyle(
        "small", parent=base, fontSize=7, leading=9, textColor=colors.HexColor("#555555")
    )
    cell = ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName=f"{FONT}-Bold")
    title = ParagraphStyle(
        "title", parent=base, fontName=f"{FONT}-Bold", fontSize=17, leading=21, spaceAfter=2
    )
    heading = ParagraphStyle(
        "heading",
        parent=base,
        fontName=f"{FONT}-Bold",
        fontSize=11,
        leading=14,
        spaceBefore=6,
        spaceAfter=3,
    )
    warning = ParagraphStyle("warning", parent=base, textColor=colors.HexColor("#b71c1c"))

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(text, style)

    def esc(value: object) -> str:
        return escape_text(value)

    story: list[Any] = [
        para(f"{esc(name)} — {esc(label('report_title'))}", title),
        para(
            " · ".join(
                [
                    f"<b>{esc(label('region'))}:</b> {esc(aimag[f'region_{suffix}'])}",
                    f"<b>{esc(label('capital'))}:</b> {esc(aimag[f'capital_{suffix}'])}",
                    f"<b>{esc(label('population'))}:</b> {esc(number(aimag['population']))}"
                    f" ({int(aimag['population_year'])})",
                    f"<b>{esc(label('area_km2'))}:</b> {esc(number(aimag['area_km2']))}",
                ]
            )
        ),
        para(
            " · ".join(
                [
                    f"<b>{esc(label('dataset'))}:</b> {esc(dataset_name)}",
                    f"<b>{esc(label('report_data_date'))}:</b> {esc(data_date or '—')}",
                    f"<b>{esc(label('filters'))}:</b> {esc(filter_text or '—')}",
                    f"<b>{esc(label('report_generated'))}:</b> "
                    f"{esc(format_date(generated or _dt.date.today(), lang))}",
                ]
            ),
            small,
        ),
    ]
    if note:
        story.append(para(esc(note), warning))

    inside = clusters_in(clusters, code)
    colours = view_colours(
        firms if firms is not None and "lat" in firms.columns else None,
        inside if len(inside) else None,
    )
    width = A4[0] - 30 * mm
    map_height = 88 * mm
    png = _map_png(code, aimags, firms, inside, colours, names, width / 72, map_height / 72)
    story += [
        Spacer(1, 4),
        Image(io.BytesIO(png), width=width, height=map_height),
        para(esc(label("report_map")), small),
    ]

    # strongest sectors
    sectors = strongest_sectors(statistics, code)
    block: list[Any] = [para(esc(label("report_sectors")), heading)]
    if sectors.empty:
        block.append(para(esc(label("report_no_sectors"))))
    else:
        header = [
            label(k)
            for k in (
                "sector",
                "col_firms",
                "col_employees",
                "col_lq_employment",
                "col_cmp_strong",
                "col_eco_stars",
            )
        ]
        data = [[para(esc(h), head) for h in header]]
        for sector in sectors.to_dict("records"):
            key = str(sector["sector"])
            data.append(
                [
                    para(esc(names.get(key, key)), cell),
                    number(sector["firms"]),
                    number(sector["employees"]),
                    number(sector["lq_employment"], 2),
                    label("strong_cluster_yes") if bool(sector["cmp_strong"]) else "–",
                    _stars(sector["eco_stars"]),
                ]
            )
        block.append(
            _table(
                data,
                [58 * mm, 18 * mm, 22 * mm, 22 * mm, 30 * mm, 30 * mm],
                Table,
                TableStyle,
                colors,
            )
        )
        block.append(para(esc(label("report_sectors_help")), small))
    story.append(KeepTogether(block))

    # clusters
    story.append(para(f"{esc(label('report_clusters'))}: {len(inside)}", heading))
    tested = "p_value" in inside.columns
    if inside.empty:
        story.append(para(esc(label("report_no_clusters"))))
    else:
        keys = ["cluster", "sector", "col_firms", "col_employees", "stage"]
        widths = [19 * mm, 59 * mm, 20 * mm, 24 * mm, 32 * mm]
        if tested:
            keys += ["p_value"]
            widths += [26 * mm]
        data = [[para(esc(label(k)), head) for k in keys]]
        for found in inside.head(TOP_CLUSTERS).to_dict("records"):
            key = str(found["sector"])
            line = [
                str(found["cluster"]),
                para(esc(names.get(key, key)), cell),
                number(found["firms"]),
                number(found.get("employees", np.nan)),
                label(f"stage_{found['stage']}"),
            ]
            if tested:
                line.append(
                    _p_text(
                        found["p_value"], bool(found.get("significant", False)), replicates, lang
                    )
                )
            data.append(line)
        story.append(_table(data, widths, Table, TableStyle, colors))
        if len(inside) > TOP_CLUSTERS:
            story.append(
                para(esc(label("report_more_clusters").format(n=len(inside) - TOP_CLUSTERS)), small)
            )
        if not tested:
            story.append(para(esc(label("report_no_pvalues")), small))

    if sources:
        story.append(para(esc(label("report_sources")), heading))
        story += [para(esc(line), small) for line in sources]

    page_text = label("report_page")

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(15 * mm, 8 * mm, f"Cluster Atlas Mongolia · {name}")
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, page_text.format(n=doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=13 * mm,
        bottomMargin=14 * mm,
        title=f"{name} — {label('report_title')}",
        author="Cluster Atlas Mongolia",
        lang=lang,
        invariant=invariant,
        # the canvas starts in DejaVu Sans: no unembedded base-14 font
        initialFontName=FONT,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _p_text(p: object, significant: bool, replicates: int | None, lang: str) -> str:
    """``≤ 0.002 ✓``: a Monte Carlo p-value, with a tick when the cluster is significant."""
    value = float(p) if isinstance(p, (int, float, np.floating)) else float("nan")
    if value != value:
        return "–"
    tick = " ✓" if significant else ""
    if replicates:
        smallest = 1.0 / (replicates + 1)
        if value <= smallest * (1 + 1e-9):
            return f"≤ {format_number(smallest, 3, lang)}{tick}"
    return f"{format_number(value, 3, lang)}{tick}"


def _table(
    data: list[list[Any]], widths: list[float], table_cls: Any, style_cls: Any, colors: Any
) -> Any:
    """A table in the report's style: header shaded, numbers right-aligned, thin rules."""
    table = table_cls(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        style_cls(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class _Labels:
    """``labels`` as a function: a missing key shows as itself (visible, not an error)."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = labels

    def __call__(self, key: str) -> str:
        return str(self.labels.get(key, key))
