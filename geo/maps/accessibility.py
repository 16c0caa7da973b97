"""Can everyone read the map's colours? Colour-vision simulation and contrast.

:func:`simulate` shows a colour as a person with protanopia, deuteranopia or
tritanopia sees it (the matrices of Machado, Oliveira and Fernandes 2009 at
full severity, applied to linear sRGB), :func:`delta_e` measures how far two
colours are apart (CIE76 in CIELAB) and :func:`contrast_ratio` is WCAG 2's
contrast of two colours. The tests check every palette of the map with them:
the sector colours stay apart and the choropleth classes stay in order under
each simulation, and text over the map meets WCAG AA.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DEFICIENCIES", "contrast_ratio", "delta_e", "lightness", "simulate"]

#: Machado et al. (2009), severity 1.0: linear RGB -> linear RGB as the deficiency sees it.
DEFICIENCIES: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _linear(colour: str) -> np.ndarray:
    """Linear sRGB (0-1) of ``#rrggbb``."""
    value = colour.lstrip("#")
    srgb = np.array([int(value[i : i + 2], 16) for i in (0, 2, 4)]) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _hex(linear: np.ndarray) -> str:
    linear = np.clip(linear, 0.0, 1.0)
    srgb = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return "#" + "".join(f"{int(round(c * 255)):02x}" for c in srgb)


def simulate(colour: str, deficiency: str) -> str:
    """``colour`` (``#rrggbb``) as seen with ``deficiency`` (a key of :data:`DEFICIENCIES`).

    Examples
    --------
    >>> simulate("#ff0000", "deuteranopia") != "#ff0000"
    True
    >>> simulate("#808080", "protanopia")  # greys stay grey
    '#808080'
    """
    return _hex(DEFICIENCIES[deficiency] @ _linear(colour))


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of ``#rrggbb``."""
    xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    ) @ _linear(colour)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def lightness(colour: str) -> float:
    """CIELAB lightness L* (0-100) of ``#rrggbb``."""
    return float(_lab(colour)[0])


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two ``#rrggbb`` colours (about 2.3: just noticeable).

    Examples
    --------
    >>> round(delta_e("#000000", "#ffffff"))
    100
    """
    return float(np.linalg.norm(_lab(a) - _lab(b)))


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA asks 4.5 for text).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """

    def luminance(colour: str) -> float:
        return float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(colour))

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
