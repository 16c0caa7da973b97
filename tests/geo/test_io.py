from geo import io


def test_load_demo_firms_types():
    firms = io.load_demo_firms()
    assert len(firms) == 20_000
    assert firms["isic_division"].str.len().eq(2).all()
    assert firms["exporter"].dtype == bool
    assert firms["gps_lat"].isna().mean() > 0.5
    assert (firms["address"] == "").sum() > 0  # empty addresses stay rows, as text
