"""Files over 1 MB (issue #15), made at test time by tests/data/make_corpus.py: UTF-8 with
the 200,000th byte inside a letter, UTF-16, Windows-1251, a title-row XLSX, a mojibake
column. Each reads as the table it holds: by geo.io, by the page's step machine (an upload)
and by the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo import io
from geo.importflow import ImportFlow, Source
from geo.safety import neutralise_formula
from tests.data.make_corpus import large_register, utf8_cut_inside_a_letter, write_large

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["utf8_cut.csv", "utf16.csv", "cp1251.csv", "title.xlsx", "mojibake.csv"]


@pytest.fixture(scope="session")
def large(tmp_path_factory):
    return write_large(tmp_path_factory.getbasetemp() / "large_corpus")


def test_the_files_are_what_they_claim(large):
    for name in NAMES:
        assert large[name][0].stat().st_size > 2**20, name
    data = large["utf8_cut.csv"][0].read_bytes()
    assert 0xC0 <= data[io.SNIFF_BYTES - 1] <= 0xDF  # a letter cut in two at 200,000
    assert large["utf16.csv"][0].read_bytes()[:2] == b"\xff\xfe"


@pytest.mark.parametrize("name", NAMES)
def test_each_large_file_reads_as_its_table_in_the_step_machine(name, large):
    path, expected = large[name]
    flow = ImportFlow()
    flow.open(Source(name, name, data=path.read_bytes()))  # as an upload
    assert not flow.error, flow.error
    pd.testing.assert_frame_equal(flow.frame.reset_index(drop=True), expected, check_dtype=False)
    assert flow.mapping["name"] == expected.columns[0]
    if name == "title.xlsx":
        assert flow.header_row == 3 and flow.detected["sheets"] == ["Бүртгэл"]
    if name == "mojibake.csv":
        damaged = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[:, 0]
        count = int((damaged != expected.iloc[:, 0]).sum())
        assert count > 6000 and len(flow.repairs) == count  # each damaged cell, no other
        notes = flow.table["import_notes"]
        assert notes.str.contains("text repaired").sum() == count
    else:
        assert flow.repairs == []
    assert len(flow.table) == len(expected)  # every row survives


@pytest.mark.parametrize("name", NAMES)
def test_each_large_file_geocodes_from_the_command_line(name, large, tmp_path):
    path, expected = large[name]
    out = tmp_path / "out.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "geocode",
            str(path),
            "-o",
            str(out),
            "--address-column",
            expected.columns[3],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(expected)} rows" in result.stdout
    written = io.read_table(out)
    safe = expected.map(neutralise_formula)  # the output is safe against formulas
    assert written[expected.columns[0]].tolist() == safe.iloc[:, 0].tolist()
    assert written[expected.columns[3]].tolist() == safe.iloc[:, 3].tolist()
    if name == "mojibake.csv":
        assert "repaired damaged text (mojibake)" in result.stderr
        assert written["import_notes"].str.contains("text repaired").sum() > 6000


def test_sixty_utf8_exports_over_200_kb_all_read_as_utf8(tmp_path):
    """The issue's measurement: ordinary UTF-8 exports of the demo register, 200-400 KB,
    the cut at 200,000 bytes falling wherever it falls (inside a letter in many)."""
    read, cut_in_a_letter, old_sniff_wrong = 0, 0, 0
    for i in range(60):
        frame = large_register(1_800 + 37 * i, start=211 * i)
        if i % 2:
            data, frame = utf8_cut_inside_a_letter(frame)
        else:
            data = frame.to_csv(index=False).encode("utf-8")
        assert len(data) > 200_000
        cut_in_a_letter += 0xC0 <= data[io.SNIFF_BYTES - 1] <= 0xDF
        try:
            old_sniff_wrong += io.sniff_text(data[: io.SNIFF_BYTES])[0] != "utf-8-sig"
        except io.InputError:
            old_sniff_wrong += 1
        flow = ImportFlow()
        flow.open(Source(f"export_{i}.csv", str(i), data=data))
        if (
            not flow.error
            and flow.detected["encoding"] == "utf-8-sig"
            and flow.frame.equals(frame)
            and not flow.repairs
        ):
            read += 1
    print(
        f"{read} of 60 read correctly; the cut fell inside a letter in {cut_in_a_letter}; "
        f"the old sniff was wrong on {old_sniff_wrong}"
    )
    assert cut_in_a_letter >= 30 and old_sniff_wrong == cut_in_a_letter
    assert read == 60


def test_a_large_csv_reads_the_same_through_arrow_and_through_pandas(tmp_path, monkeypatch):
    rows = ["name,address,employees,note"]
    rows += [
        f'Фирм {i},"Хан-Уул дүүрэг, {i % 30}-р хороо",{i % 97},' + ("" if i % 3 else " x ")
        for i in range(40_000)
    ]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size >= io.FAST_CSV_CHARS
    fast = io.read_table(path)
    monkeypatch.setattr(io, "FAST_CSV_CHARS", 10**12)  # pandas' reader only
    careful = io.read_table(path)
    pd.testing.assert_frame_equal(fast, careful)
    assert fast.at[3, "note"] == " x " and fast.at[1, "note"] == ""


def test_a_large_ragged_csv_still_keeps_every_row(tmp_path):

    rows = ["name,address"] + [f"Фирм {i},Дархан" for i in range(60_000)]
    rows[500] = "Фирм 499,Дархан,extra,cells"
    path = tmp_path / "ragged_big.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size >= io.FAST_CSV_CHARS
    frame = io.read_table(path)
    assert len(frame) == 60_000 and frame.at[499, "address"] == "Дархан,extra,cells"
