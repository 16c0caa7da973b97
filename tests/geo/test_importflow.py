"""geo.importflow: the Data page's step machine, without Streamlit.

Each transition (open, read options, mapping, fix, re-validate, geocode,
review, save) and the orders a user can take them in: a fix applied once is
in every later table, geocoding, review and save.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from geo.geocode import Geocoder
from geo.importflow import ImportFlow, Source
from geo.workspace import Workspace, WorkspaceConflict, WorkspaceError

DATA = Path(__file__).resolve().parents[1] / "data"
# the corpus register, plus a street-only address ("names no place") and a row to fix
REGISTER = (DATA / "utf8_comma.csv").read_bytes() + "Нарны Од ХХК,G,4,Нарны гудамж 12,,\n".encode()


def upload(data: bytes = REGISTER, name: str = "register.csv", file_id: str = "1") -> Source:
    return Source(name, file_id, data=data)


def opened(**kwargs) -> ImportFlow:
    flow = ImportFlow()
    assert flow.open(upload(**kwargs))
    assert not flow.error, flow.error
    return flow


@pytest.fixture()
def store(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws.sqlite")


@pytest.fixture(scope="module")
def geocoder_for(index):
    def make(store: Workspace) -> tuple[Geocoder, dict]:
        corrections = store.corrections()
        return Geocoder(index, corrections=corrections), corrections

    return make


def fix_employees(flow: ImportFlow, row: int = 6, value: str = "30") -> int:
    edited = flow.fixable().copy()
    assert row in edited["row"].tolist()
    edited.loc[edited["row"] == row, "employees_text"] = value
    return flow.apply_fixes(edited)


def employees(table: pd.DataFrame, row: int = 6):
    return table.set_index("row").at[row, "employees"]


# -- reading ------------------------------------------------------------------------------


def test_open_reads_with_detected_options_and_proposes_a_mapping():
    flow = opened()
    assert flow.detected["encoding"] == "utf-8-sig" and flow.detected["delimiter"] == ","
    assert flow.header_row == 0 and len(flow.frame) == 8
    assert flow.mapping["name"] == "Байгууллагын нэр" and flow.mapping["address"] == "Хаяг"
    assert flow.mapping_source == "proposed" and not flow.mapping_confirmed
    assert flow.preview[0][0] == "Байгууллагын нэр"
    # the same file again changes nothing; another file starts over
    assert not flow.open(upload())
    assert flow.open(upload(file_id="2"))


def test_a_title_block_xlsx_opens_on_its_header_and_re_proposes_on_a_header_change():
    flow = ImportFlow()
    flow.open(Source("title_block.xlsx", "x", path=DATA / "title_block.xlsx"))
    assert flow.detected["sheets"] == ["Бүртгэл", "Notes"] and flow.header_row == 3
    assert flow.mapping["name"] == "Байгууллагын нэр" and flow.mapping["employees"]
    generation = flow.mapping_generation
    # the user picks the title row as header: everything is proposed again for those headers
    assert flow.set_options(header_row=0)
    assert flow.mapping_generation == generation + 1
    assert flow.mapping["employees"] is None and flow.mapping["address"] is None
    assert flow.set_options(header_row=3)
    assert flow.mapping["employees"] == "Ажилтны тоо" and flow.mapping_generation == generation + 2
    # another sheet: its own header row detected
    flow.set_options(sheet="Notes")
    assert flow.options.header_row is None and not flow.error


def test_a_remembered_mapping_is_used_and_only_a_confirmed_one_is_remembered(store):
    flow = opened()
    mine = dict(flow.mapping, name="Хаяг", address="Байгууллагын нэр")
    flow.set_mapping(mine)
    assert store.mapping(flow.frame.columns) is None  # changing is not remembering
    store.save_mapping(*flow.confirm_mapping())
    assert flow.mapping_confirmed
    again = ImportFlow()
    again.open(upload(file_id="other"), remembered=store.mapping)
    assert again.mapping_source == "remembered" and again.mapping["name"] == "Хаяг"


def test_a_file_that_cannot_be_read_says_so_naming_the_users_file():
    flow = ImportFlow()
    flow.open(Source("registry 2026.csv", "bad", data=bytes(range(256)) * 4))
    assert flow.frame is None and not flow.ready
    assert flow.error.startswith("registry 2026.csv:")
    assert "cam_upload" not in flow.error and "/tmp" not in flow.error


# -- fix, re-validate -----------------------------------------------------------------------


def test_a_fix_stays_applied_through_every_later_step(store, geocoder_for):
    flow = opened()
    assert flow.table.set_index("row").at[6, "import_issues"].count("employees_not_a_number")
    assert fix_employees(flow) == 1
    assert employees(flow.table) == 30
    assert "employees_not_a_number" not in flow.table.set_index("row").at[6, "import_issues"]
    # the next reruns of the page ask again: same table, the fix is there
    flow.set_mapping(dict(flow.mapping))
    flow.set_sectors({})
    assert employees(flow.table) == 30
    geocoder, seen = geocoder_for(store)
    assert employees(flow.geocode(geocoder, corrections=seen)) == 30
    flow.save(store, name="Reg", saved_by="Bold")
    saved = store.load("reg").set_index("row")
    assert saved.at[6, "employees"] == 30 and saved.at[6, "employees_text"] == "30"
    assert "fixed on import: employees_text = '30'" in saved.at[6, "import_notes"]


def test_a_fix_after_geocoding_makes_the_geocoding_stale(store, geocoder_for):
    flow = opened()
    geocoder, seen = geocoder_for(store)
    flow.geocode(geocoder, corrections=seen)
    assert flow.geocoded is not None and not flow.needs_geocode
    fix_employees(flow)
    assert flow.geocoded is None and flow.needs_geocode  # the page geocodes again
    with pytest.raises(ValueError, match="geocode"):
        flow.save(store, name="Reg", saved_by="Bold")
    flow.geocode(geocoder, corrections=seen)
    assert employees(flow.final()) == 30


def test_unchanged_cells_are_not_counted_and_a_second_fix_adds_to_the_first():
    flow = opened()
    assert flow.apply_fixes(flow.fixable()) == 0
    fix_employees(flow)
    edited = flow.fixable().copy()
    edited.loc[edited["row"] == 7, "employees_text"] = "3"
    assert flow.apply_fixes(edited) == 1
    assert employees(flow.table) == 30 and employees(flow.table, 7) == 3
    assert flow.table["import_status"].eq("flagged").sum() == 1  # row 6 has no name still


def test_changing_how_the_file_is_read_drops_the_fixes_it_cannot_place():
    flow = opened()
    fix_employees(flow)
    flow.set_options(delimiter=";")  # another table: rows and columns differ
    assert flow.edits == {}
    flow.set_options(delimiter=None)
    assert pd.isna(employees(flow.table))  # "abc" again: the user is told (below)
    assert "employees_not_a_number" in flow.table.set_index("row").at[6, "import_issues"]


def test_a_fix_follows_its_role_when_the_mapping_changes():
    flow = opened()
    fix_employees(flow)
    mapping = dict(flow.mapping, lat=None, lon=None)
    flow.set_mapping(mapping)
    assert employees(flow.table) == 30


# -- review -----------------------------------------------------------------------------------


def test_review_lists_places_and_says_which_cannot_take_a_correction(store, geocoder_for):
    flow = opened()
    geocoder, seen = geocoder_for(store)
    flow.geocode(geocoder, corrections=seen)
    items = {i.address: i for i in flow.review_items()}
    assert items["Хэрлэн сум"].can_correct and items["Хэрлэн сум"].status == "ambiguous"
    street = items["Нарны гудамж 12"]
    assert not street.can_correct and street.key == ""
    assert "names no place" in street.note and "empty" not in street.note
    # the street-only row is offered in the fix table, to add its place
    assert 8 in flow.fixable()["row"].tolist()


def test_a_review_save_is_all_or_nothing_and_a_street_only_choice_never_crashes_it(
    store, geocoder_for
):
    flow = opened()
    geocoder, seen = geocoder_for(store)
    flow.geocode(geocoder, corrections=seen)
    flow.choose("хэрлэн сум", "2101")
    flow.choose("", "1122")  # the street-only address: cannot take one
    assert flow.choices == {"хэрлэн сум": "2101"}
    assert flow.save_review(store, saved_by="Bold") == 1
    assert store.corrections() == {"хэрлэн сум": "2101"}
    assert flow.needs_geocode and flow.choices == {}
    geocoder, seen = geocoder_for(store)
    out = flow.geocode(geocoder, corrections=seen).set_index("row")
    assert out.at[4, "aimag_code"] == "MN-061" and out.at[4, "geocode_status"] == "matched"


def test_a_colleagues_correction_in_between_is_a_conflict_and_nothing_is_written(
    store, geocoder_for
):
    flow = opened()
    geocoder, seen = geocoder_for(store)
    flow.geocode(geocoder, corrections=seen)
    store.save_correction("хэрлэн сум", "1101", saved_by="Saraa")  # meanwhile
    flow.choose("хэрлэн сум", "2101")
    with pytest.raises(WorkspaceConflict):
        flow.save_review(store, saved_by="Bold")
    assert store.corrections() == {"хэрлэн сум": "1101"}
    assert flow.choices == {"хэрлэн сум": "2101"}  # kept, to choose again


def test_a_refused_review_save_writes_nothing(store, geocoder_for, monkeypatch):
    flow = opened()
    geocoder, seen = geocoder_for(store)
    flow.geocode(geocoder, corrections=seen)
    flow.choose("хэрлэн сум", "2101")

    def refuse(*args, **kwargs):
        raise WorkspaceError("the workspace is busy")

    monkeypatch.setattr(store, "save_corrections", refuse)
    with pytest.raises(WorkspaceError):
        flow.save_review(store, saved_by="Bold")
    assert flow.choices and flow.geocoded is not None


# -- every order -------------------------------------------------------------------------------

STEPS = ("fix", "revalidate", "geocode", "review", "save")


def run_step(step: str, flow: ImportFlow, store: Workspace, geocoder_for, done: set) -> None:
    if step == "fix":
        fix_employees(flow)
    elif step == "revalidate":  # what each rerun does: the widgets say the same again
        flow.set_mapping(dict(flow.mapping))
        flow.set_sectors(dict(flow.assignments))
        _ = flow.table
    elif step == "geocode" or flow.needs_geocode:
        geocoder, seen = geocoder_for(store)
        flow.geocode(geocoder, corrections=seen)
    if step == "review" and flow.geocoded is not None:
        if any(i.key == "хэрлэн сум" for i in flow.review_items()):
            flow.choose("хэрлэн сум", "2101")
            assert flow.save_review(store, saved_by="Bold") == 1
            done.add("reviewed")
            geocoder, seen = geocoder_for(store)
            flow.geocode(geocoder, corrections=seen)
    if step == "save":
        if flow.geocoded is None:
            geocoder, seen = geocoder_for(store)
            flow.geocode(geocoder, corrections=seen)
        flow.save(store, name="Reg", saved_by="Bold", replace=True)


@pytest.mark.parametrize("order", list(itertools.permutations(STEPS)), ids=lambda o: "-".join(o))
def test_every_order_of_the_steps_keeps_the_fix(order, tmp_path, geocoder_for):
    store = Workspace(tmp_path / "ws.sqlite")
    flow = opened()
    done: set = set()
    for step in order:
        run_step(step, flow, store, geocoder_for, done)
        done.add(step)
        if "fix" in done:
            assert employees(flow.table) == 30, (order, step)
            if flow.geocoded is not None:
                assert employees(flow.geocoded) == 30, (order, step)
    # and at the end, saved once more as it is now: the fix is in the saved dataset
    if flow.geocoded is None:
        geocoder, seen = geocoder_for(store)
        flow.geocode(geocoder, corrections=seen)
    flow.save(store, name="Reg", saved_by="Bold", replace=True)
    saved = store.load("reg").set_index("row")
    assert saved.at[6, "employees"] == 30 and len(saved) == 8
    assert saved["employees"].sum() == flow.table["employees"].sum()
    # a review is possible once geocoded; before, there is nothing to review
    assert ("reviewed" in done) == (
        order.index("review") > order.index("geocode")
        or order.index("review") > order.index("save")
    )
    if "reviewed" in done:
        assert saved.at[4, "aimag_code"] == "MN-061"
    else:
        assert saved.at[4, "geocode_status"] == "ambiguous"


def test_repaired_text_is_noted_on_its_row_and_counted():
    name = "Гамма-Интэрнэшнл ХХК"
    damaged = name.encode("utf-8").decode("latin-1")
    data = REGISTER + f"{damaged},G,3,Хан-Уул дүүрэг,,\n".encode()
    flow = opened(data=data)
    assert len(flow.repairs) == 1 and flow.repairs[0].row == 9
    row = flow.table.set_index("row").loc[9]
    assert row["name"] == name and "text repaired in Байгууллагын нэр" in row["import_notes"]
    assert (flow.table["import_notes"] != "").sum() == 1
    # the user may turn the repair off: the cell is read as it is
    flow.set_options(repair=False)
    assert flow.repairs == [] and flow.table.set_index("row").at[9, "name"] == damaged
