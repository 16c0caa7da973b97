import html

import pytest

from geo.safety import escape_text, neutralise_formula

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}",
    "`+alert(1)+`", "C:\\path\\2019", "\"'><svg onload=alert(1)>", "{{7*7}}",
    "line\nbreak", "\u2028sep", "Хаан ХХК `$\\ \"'",
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
    assert neutralise_formula("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    for prefix in "=+-@\t\r":
        assert neutralise_formula(prefix + "x").startswith("'")
    assert neutralise_formula(-5) == -5
    assert neutralise_formula("Хаан ХХК") == "Хаан ХХК"
