from geo import io


def test_load_demo_firms_types():
    firms = io.load_demo_firms()
    assert len(firms) == 20_400
    assert firms["isic_division"].str.len().eq(2).all()
    assert firms["exporter"].dtype == bool
    assert firms["gps_lat"].isna().mean() > 0.5
    assert (firms["address"] == "").sum() > 0  # empty addresses stay rows, as text


def test_parse_coordinates_equals_the_value_by_value_parser():
    import numpy as np
    import pandas as pd

    from geo.geocode import parse_coordinate
    from geo.io import parse_coordinates

    values = [
        "47.9186",
        " 106.9 ",
        "47,9186",
        "47°55'07\"N",
        "N 47 55 07",
        "",
        None,
        "abc",
        "1_000",
        "nan",
        "-12.5",
        47.5,
        106,
        np.nan,
        "1e2",
        "47°75'N",
    ]
    for dtype in (object, "str"):
        column = pd.Series(
            values
            if dtype is object
            else [
                None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                for v in values
            ],
            dtype=dtype,
        )
        got = parse_coordinates(column)
        want = np.array([parse_coordinate(v) for v in column], dtype=float)
        assert np.array_equal(got, want, equal_nan=True), (dtype, got, want)
