"""geo.formats: numbers as people read them, per indicator and language."""

from __future__ import annotations

import pytest

from geo.formats import format_number, format_range, format_value


@pytest.mark.parametrize(
    "value,indicator,lang,expected",
    [
        (106.0, "firms", "en", "106"),
        (106.0, "firms", "mn", "106"),
        (12345.0, "employees", "en", "12,345"),
        (12345.0, "employees", "mn", "12 345"),
        (1.2345, "lq_employment", "en", "1.23"),
        (1.2345, "lq_employment", "mn", "1,23"),
        (3.14159, "employees_per_10k", "en", "3.1"),
        (0.2561, "share_of_sector_employment", "en", "25.6%"),
        (float("nan"), "firms", "en", "–"),
        (None, "share_of_unit_employment", "mn", "–"),
    ],
)
def test_format_value(value, indicator, lang, expected):
    assert format_value(value, indicator, lang) == expected


def test_format_range_writes_one_value_when_both_ends_read_alike():
    assert format_range(0, 0.2, "firms") == "0"
    assert format_range(0.5, 1.25, "lq_employment", "mn") == "0,50 – 1,25"
    assert format_number(1234567.891, 2, "en") == "1,234,567.89"


def test_class_labels_of_counts_do_not_share_a_bound():
    from geo.formats import class_labels

    bins = [(0.0, 0.0, "a"), (0.0, 16.0, "b"), (16.0, 40.0, "c")]
    assert class_labels(bins, "firms") == ["0", "1 – 16", "17 – 40"]
    assert class_labels(bins, "lq_employment") == ["0.00", "0.00 – 16.00", "16.00 – 40.00"]
