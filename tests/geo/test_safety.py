import html

import pytest

from geo.safety import escape_text, neutralise_formula

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`+alert(1)+`",
    "C:\\path\\2019",
    "\"'><svg onload=alert(1)>",
    "{{7*7}}",
    "line\nbreak",
    "\u2028sep",
    "Хаан ХХК `$\\ \"'",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_has_no_active_characters(payload):
    out = escape_text(payload)
    for ch in "<>\"'`$\\{}\n\r\u2028":
        assert ch not in out
    assert html.unescape(out) == payload.replace("\0", "")


def test_none_and_nan():
    assert escape_text(None) == ""
    assert escape_text(float("nan")) == ""
    assert escape_text(12) == "12"


def test_neutralise_formula():
    assert neutralise_formula('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    for prefix in "=+-@\t\r":
        assert neutralise_formula(prefix + "x").startswith("'")
    assert neutralise_formula(-5) == -5
    assert neutralise_formula("Хаан ХХК") == "Хаан ХХК"


def test_neutralise_formulas_equals_the_cell_by_cell_rule():
    import numpy as np
    import pandas as pd

    from geo.safety import neutralise_formulas

    cells = [
        "=1+1",
        "+7",
        "-5+cmd",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\nx",
        "plain",
        "",
        None,
        np.nan,
        -5,
        3.5,
        "Хаан банк",
        "'=already",
    ]
    frame = pd.DataFrame(
        {
            "mixed": pd.Series(cells, dtype=object),
            "text": pd.Series([c if isinstance(c, str) else None for c in cells], dtype="str"),
            "numbers": np.arange(len(cells), dtype=float) - 3,
            "=name": ["x"] * len(cells),
        }
    )
    safe = neutralise_formulas(frame)
    for column in ("mixed", "text"):
        expected = [neutralise_formula(v) for v in frame[column]]
        for got, want in zip(safe[column], expected):
            assert (pd.isna(got) and pd.isna(want)) or got == want, (column, got, want)
    assert safe["text"].dtype == frame["text"].dtype
    assert safe["numbers"].equals(frame["numbers"])
    assert list(safe.columns) == ["mixed", "text", "numbers", "'=name"]
    assert frame.loc[0, "mixed"] == "=1+1"  # the input is left alone
