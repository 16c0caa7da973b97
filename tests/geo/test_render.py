"""geo.render: a PNG of a view for slides, offline, with hostile text kept as text."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from PIL import Image

from geo import maps
from geo.render import map_png
from tests.payloads import PAYLOADS


def test_png_of_a_view(aimags):
    values = pd.Series(np.linspace(0, 3, len(aimags)), index=aimags["iso_3166_2"])
    fill, bins = maps.classify(values)
    firms = pd.DataFrame(
        {
            "lat": [47.9, 43.1, 49.0],
            "lon": [106.9, 106.8, 105.9],
            "sector": ["ict", "mining", PAYLOADS[5]],
        }
    )
    data = map_png(
        aimags,
        fill=fill,
        bins=bins,
        firms=firms,
        sector_names={"ict": "ICT", PAYLOADS[5]: PAYLOADS[5]},
        title="Уул уурхай $x$ `тест`",
        indicator_label="LQ",
        note=PAYLOADS[-3],
    )
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1920, 1080)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # a drawing, not a blank page
