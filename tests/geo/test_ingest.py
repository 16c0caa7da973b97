"""geo.io + geo.ingest on the awkward-file corpus: a clean import or a clear message."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from geo import io, settings
from geo.geocode import Geocoder
from geo.ingest import geocoding_address, map_sectors, propose_mapping, standardise, validate

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = [
    "utf8_comma.csv",
    "utf8_bom_semicolon.csv",
    "utf16_tab.csv",
    "cp1251_semicolon.csv",
    "dms_coordinates.csv",
    "swapped_coordinates.csv",
    "ragged.csv",
    "duplicates.csv",
]


def pipeline(frame: pd.DataFrame, geocoder: Geocoder) -> pd.DataFrame:
    mapping = propose_mapping(frame.columns)
    table, problems = validate(standardise(frame, mapping))
    out = geocoder.geocode(
        table.assign(_a=geocoding_address(table)),
        address_column="_a",
        lat_column="lat",
        lon_column="lon",
    )
    assert len(out) == len(frame)  # every row survives, in order
    assert out["row"].tolist() == list(range(1, len(frame) + 1))
    return out


@pytest.fixture(scope="module")
def geocoder(index):
    return Geocoder(index)


@pytest.mark.parametrize("name", GOOD)
def test_each_csv_imports_with_every_row(name, geocoder):
    frame = io.read_table(DATA / name)
    assert len(frame) >= 7
    mapping = propose_mapping(frame.columns)
    for role in ("name", "sector", "employees", "address", "lat", "lon"):
        assert mapping[role] is not None, (name, role)
    out = pipeline(frame, geocoder)
    gobi = out[out["name"] == "Gobi Mining LLC"].iloc[0]
    assert gobi["aimag_code"] == "MN-053" and gobi["employees"] == 1200  # "1 200" as text
    if name == "swapped_coordinates.csv":
        assert "swapped" in gobi["geocode_note"] and gobi["precision"] == "point"
        assert "outside Mongolia" in out[out["name"] == "Алтан ноолуур"].iloc[0]["geocode_note"]
    if name == "dms_coordinates.csv":
        assert gobi["lat"] == pytest.approx(43.1) and gobi["precision"] == "point"
    if name == "duplicates.csv":
        assert (out["import_issues"].str.contains("duplicate")).sum() == 3
    if name == "ragged.csv":
        assert "unexpected" in frame.iloc[-1, -1]  # extra cells kept, not lost
    assert out.loc[out["name"] == "Хэрлэн Трейд", "geocode_status"].item() == "ambiguous"
    flagged = out.set_index("row")["import_issues"]
    assert "missing_name" in flagged[6] and "employees_not_a_number" in flagged[6]
    assert "employees_negative" in flagged[7]


@pytest.mark.parametrize(
    "name,sheet,header", [("title_block.xlsx", "Бүртгэл", 3), ("merged_header.xlsx", 0, 1)]
)
def test_xlsx_with_title_block_or_merged_header(name, sheet, header, geocoder):
    frame = io.read_table(DATA / name, sheet=sheet, header_row=header)
    assert len(frame) == 7 and "Байгууллагын нэр" in frame.columns or "Нэр" in frame.columns
    out = pipeline(frame, geocoder)
    assert out.loc[out["name"] == "Gobi Mining LLC", "employees"].item() == 1200


def test_xlsx_header_row_is_detected_below_a_title_block():
    frame = io.read_table(DATA / "title_block.xlsx", sheet="Бүртгэл")
    assert frame.columns[0] == "Байгууллагын нэр" and len(frame) == 7
    # a header row given by the user is read as given
    frame = io.read_table(DATA / "title_block.xlsx", sheet="Бүртгэл", header_row=0)
    assert "Аж ахуйн нэгжийн бүртгэл, 2026" in frame.columns


@pytest.mark.parametrize("name", ["points.geojson", "points.gpkg"])
def test_geographic_files(name, geocoder):
    frame = io.read_table(DATA / name)
    assert {"lon", "lat", "name"} <= set(frame.columns) and len(frame) == 2
    out = pipeline(frame.astype(str), geocoder)
    assert out["precision"].tolist() == ["point", "point"]


@pytest.mark.parametrize(
    "name,message",
    [
        ("empty.csv", "the file is empty"),
        ("not_a_table.csv", "cannot|unknown|malformed"),
        ("missing.csv", "no such file"),
    ],
)
def test_bad_files_give_a_clear_message(name, message):
    with pytest.raises(io.InputError, match=message) as err:
        io.read_table(DATA / name)
    assert name in str(err.value)


def test_header_only_file_is_an_empty_table(geocoder):
    frame = io.read_table(DATA / "header_only.csv")
    assert frame.empty and len(frame.columns) == 6
    assert len(pipeline(frame, geocoder)) == 0


def test_a_50_mb_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.csv"
    line = b"name,sector,employees,address\n" + b'Firm,G,3,"\xd0\xa3\xd0\x91"\n' * 2_000_000
    big.write_bytes(line[: 51 * 2**20] if len(line) > 51 * 2**20 else line * 2)
    assert big.stat().st_size > settings.MAX_FILE_BYTES
    with pytest.raises(io.InputError, match="more than the limit of 50 MB"):
        io.read_table(big)


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "49mb.csv"
    row = 'Firm ХХК,G,3,"Өмнөговь аймаг, Ханбогд сум"\n'
    n = (49 * 2**20) // len(row.encode())
    path.write_text("name,sector,employees,address\n" + row * n, encoding="utf-8")
    frame = io.read_table(path)
    assert len(frame) == n


def test_an_xlsx_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<row>" + "0" * (300 * 2**20) + "</row>")
    assert bomb.stat().st_size < 2 * 2**20
    with pytest.raises(io.InputError, match="unpacks to|expands"):
        io.read_table(bomb)


def test_sector_codes_and_names_map_to_isic_sections():
    mapped, unplaced = map_sectors(
        pd.Series(
            [
                "B",
                "b",
                "5",
                "05",
                "0510",
                "46.9",
                "Mining and quarrying",
                "Уул уурхай",
                "Мэдээлэл, холбоо",
                "Барилга",
                "xyz",
                "",
                None,
            ]
        )
    )
    assert mapped.tolist()[:10] == ["B", "B", "B", "B", "B", "G", "B", "B", "J", "F"]
    assert unplaced == ["xyz"]
    mapped, unplaced = map_sectors(pd.Series(["xyz"]), assigned={"xyz": "C"})
    assert mapped.tolist() == ["C"] and unplaced == []


def test_mapping_proposal_and_remembered_mapping():
    columns = [
        "ID",
        "Company name",
        "ISIC",
        "Staff",
        "Address",
        "Aimag",
        "Soum",
        "Latitude",
        "Longitude",
    ]
    m = propose_mapping(columns)
    assert (
        m["name"],
        m["sector"],
        m["employees"],
        m["address"],
        m["aimag"],
        m["soum"],
        m["lat"],
        m["lon"],
    ) == ("Company name", "ISIC", "Staff", "Address", "Aimag", "Soum", "Latitude", "Longitude")
    remembered = propose_mapping(columns, {"name": "ID", "sector": "gone"})
    assert remembered["name"] == "ID" and remembered["sector"] is None


# -- fuzz: 1,000 mutated files, each a clean import or a clear message --------------------
MUTATIONS = (
    "flip",
    "insert",
    "delete",
    "truncate",
    "quote",
    "nul",
    "bom",
    "newline",
    "delimiter",
    "duplicate_header",
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(MUTATIONS)
        pos = rng.randrange(len(data) + 1) if data else 0
        if kind == "flip" and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif kind == "insert":
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == "delete":
            del data[pos : pos + rng.randint(1, 30)]
        elif kind == "truncate":
            del data[pos:]
        elif kind == "quote":
            data[pos:pos] = b'"'
        elif kind == "nul":
            data[pos:pos] = b"\x00"
        elif kind == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif kind == "newline":
            data[pos:pos] = rng.choice([b"\r", b"\n", b"\r\n", b"\n\n"])
        elif kind == "delimiter":
            data[pos:pos] = rng.choice([b",", b";", b"\t", b"|"])
        elif kind == "duplicate_header":
            line = bytes(data).split(b"\n", 1)[0]
            data[0:0] = line + b"\n"
    return bytes(data)


def test_fuzzed_files_never_give_a_traceback(tmp_path, geocoder):
    rng = random.Random(20261129)
    seeds = [(DATA / n).read_bytes() for n in GOOD]
    outcomes = {"imported": 0, "refused": 0}
    for i in range(1000):
        path = tmp_path / f"f{i}.csv"
        path.write_bytes(mutate(rng.choice(seeds), rng))
        try:
            frame = io.read_table(path)
        except io.InputError as exc:
            assert path.name in str(exc)
            outcomes["refused"] += 1
            continue
        out = pipeline(frame, geocoder)
        accepted = (out["import_status"] == "ok").sum()
        flagged = (out["import_status"] == "flagged").sum()
        assert accepted + flagged == len(frame)
        outcomes["imported"] += 1
    assert outcomes["imported"] > 500, outcomes
    print(outcomes)


def test_edits_in_the_standard_table_go_back_to_the_file_by_row():
    from geo.ingest import apply_edits

    frame = pd.DataFrame(
        {"Нэр": ["A", "", "C"], "Ажилтан": ["3", "abc", "5"], "Хаяг": ["x", "y", "z"]}
    )
    mapping = {"name": "Нэр", "employees": "Ажилтан", "address": "Хаяг", "soum": None}
    edited = pd.DataFrame(
        {
            "row": [2],
            "name": ["B ХХК"],
            "employees_text": ["12"],
            "address": ["Ханбогд сум"],
            "soum": ["ignored: not mapped"],
        }
    )
    out = apply_edits(frame, mapping, edited)
    assert out["Нэр"].tolist() == ["A", "B ХХК", "C"]
    assert out["Ажилтан"].tolist() == ["3", "12", "5"]
    assert out["Хаяг"].tolist() == ["x", "Ханбогд сум", "z"]
    assert list(out.columns) == list(frame.columns) and len(out) == 3
    assert frame.loc[1, "Нэр"] == ""  # the input is not modified
    assert apply_edits(frame, mapping, None) is frame
    table, _ = validate(standardise(out, mapping))
    assert table.loc[1, "employees"] == 12 and table.loc[1, "name"] == "B ХХК"


def test_closing_year_is_a_role_and_standardised():
    """A register's closing or deregistration year (issue #18) is recognised and read."""
    from geo.ingest import guess_column, propose_mapping, standardise

    for header in ("closed", "Closing_Year", "Татан буугдсан он", "дууссан он"):
        assert guess_column(["Нэр", header], "closed") == header
    mapping = propose_mapping(["Нэр", "Байгуулагдсан он", "Татан буугдсан он"])
    assert mapping["founded"] == "Байгуулагдсан он"
    assert mapping["closed"] == "Татан буугдсан он"
    frame = pd.DataFrame(
        {"Нэр": ["a", "b"], "Байгуулагдсан он": ["2001", "2005"], "Татан буугдсан он": ["2019", ""]}
    )
    table = standardise(frame, mapping)
    assert table["closed"].tolist()[0] == 2019 and pd.isna(table["closed"].tolist()[1])


def test_bad_founding_and_closing_years_are_noted_and_kept():
    from geo.ingest import standardise, validate

    frame = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "founded": ["2001", "201", "2010"],
            "closed": ["", "", "2005"],
            "address": ["x", "y", "z"],
        }
    )
    mapping = {"name": "name", "founded": "founded", "closed": "closed", "address": "address"}
    table, problems = validate(standardise(frame, mapping))
    assert len(table) == 3
    found = {p.key: p.rows for p in problems}
    assert found["founded_not_a_year"] == (2,) and found["closed_before_founded"] == (3,)
    assert table["import_issues"].tolist()[0] in ("", "missing_sector")
