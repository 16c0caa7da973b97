"""The Data page's flow under AppTest: a register from the import folder is read,
mapped, validated, geocoded, fixed, saved, and opens on the Map page; who may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


@pytest.fixture()
def workspace_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    (tmp_path / "imports").mkdir()
    shutil.copy(DATA / "utf8_comma.csv", tmp_path / "imports" / "register.csv")
    return tmp_path


def data_page(**secrets) -> AppTest:
    """The app (app.py, with its navigation) switched to the Data page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in secrets.items():
        at.secrets[key] = value
    at.switch_page("pages/data.py")
    return at


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "success", "info", "warning", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(map(str, parts))


def review_box(at: AppTest, n: int = 0):
    """The n-th "Right unit" choice of the review (keyed by its place)."""
    return [
        s for s in at.selectbox if str(s.key).startswith("review_") and s.key != "review_map_row"
    ][n]


def test_register_from_import_folder_to_map(workspace_dir):
    at = data_page()
    at.run()
    assert not at.exception
    at.selectbox(key="server_file").set_value("register.csv").run()
    assert not at.exception
    shown = texts(at)
    assert "Read 7 rows, 6 columns." in shown
    assert "7 rows: 5 fine, 2 flagged" in shown
    # the proposed mapping, which the user could change
    assert at.selectbox(key="map_name").value == "Байгууллагын нэр"
    assert at.selectbox(key="map_address").value == "Хаяг"
    # the flagged rows are listed with their problem
    report = next(d.value for d in at.dataframe if "Count" in d.value.columns)
    assert report["Count"].sum() >= 2
    at.button(key="geocode").click().run()
    assert not at.exception
    assert "1 ambiguous" in texts(at)
    # "Хэрлэн сум" with no aimag: the reviewer picks Kherlen of Dornod (unit 2101)
    review = review_box(at)
    assert "Хэрлэн, Дорнод" in review.options
    review.set_value("2101").run()
    at.button(key="save_fixes").click().run()
    assert not at.exception
    assert "0 ambiguous" in texts(at)
    corrections = Workspace.default().corrections()
    assert "2101" in set(corrections.values())
    at.text_input(key="ds_name").input("Test register").run()
    at.text_input(key="ds_user").input("Bold").run()
    at.button(key="ds_save").click().run()
    assert not at.exception
    assert 'Saved "test-register" (7 rows)' in texts(at)
    saved = Workspace.default().load("test-register")
    assert len(saved) == 7  # every row, flagged ones too
    assert saved["import_status"].value_counts().to_dict() == {"ok": 5, "flagged": 2}
    kherlen = saved[saved["name"] == "Хэрлэн Трейд"].iloc[0]
    assert kherlen["aimag_code"] == "MN-061" and kherlen["geocode_status"] == "matched"
    # the saved dataset opens on the Map page
    page = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=120)
    page.query_params["lang"] = "en"
    page.query_params["ds"] = "test-register"
    page.run()
    assert not page.exception
    firms = next(m for m in page.metric if m.label == "Firms")
    assert firms.value == "7"


def test_import_folder_is_for_editors_only(workspace_dir):
    at = data_page(editor_password="s3cret")
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "server_file"]
    assert "You can view only" in texts(at) or at.text_input(key="editor_password_input")
    at.text_input(key="editor_password_input").input("wrong").run()
    assert not [s for s in at.selectbox if s.key == "server_file"]
    at.text_input(key="editor_password_input").input("s3cret").run()
    assert at.selectbox(key="server_file").options == ["—", "register.csv"]


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "atlas",
    "client_secret": "y",
    "server_metadata_url": "https://id.example.mn/.well-known/openid-configuration",
}


def test_sign_in_decides_who_edits(workspace_dir):
    Workspace.default().save(
        __import__("pandas").DataFrame({"name": ["a"]}), name="Khovd 2026", saved_by="Bold"
    )
    at = data_page(auth=AUTH, editors=["editor@aimag.mn"])
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b for b in at.button if b.key == "sign_in_default"]
    assert not [s for s in at.selectbox if s.key == "ds_delete"]  # viewers cannot delete
    at = data_page(auth=AUTH, editors=["editor@aimag.mn"])
    at.user = {"is_logged_in": True, "email": "someone@else.mn"}
    at.run()
    assert "is not on the editors' list" in texts(at) and "someone@else" in texts(at)
    assert not [s for s in at.selectbox if s.key == "ds_delete"]
    at = data_page(auth=AUTH, editors=["editor@aimag.mn"])
    at.user = {"is_logged_in": True, "email": "Editor@Aimag.mn"}
    at.run()
    assert not at.exception
    assert "khovd-2026" in at.selectbox(key="ds_delete").options
    assert [b for b in at.button if b.key == "sign_out"]
    # a signed-in editor's saves and corrections are recorded under the account
    at.selectbox(key="server_file").set_value("register.csv").run()
    at.button(key="geocode").click().run()
    assert not [w for w in at.text_input if w.key == "ds_user"]
    at.text_input(key="ds_name").input("Signed").run()
    at.button(key="ds_save").click().run()
    assert not at.exception
    listing = Workspace.default().list()
    assert listing.set_index("id").at["signed", "saved_by"] == "Editor@Aimag.mn"


# -- issue #15: large and awkward files on the page; counted nouns; ISIC choices ----------


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    from tests.data.make_corpus import write_large

    return write_large(tmp_path_factory.getbasetemp() / "large_corpus")


@pytest.mark.parametrize(
    "name", ["utf8_cut.csv", "utf16.csv", "cp1251.csv", "title.xlsx", "mojibake.csv"]
)
def test_large_files_read_correctly_on_the_page(name, large, workspace_dir):
    path, expected = large[name]
    shutil.copy(path, workspace_dir / "imports" / name)
    at = data_page()
    at.run()
    at.selectbox(key="server_file").set_value(name).run()
    assert not at.exception
    shown = texts(at)
    assert f"Read {len(expected)} rows, 6 columns." in shown, shown[:2000]
    assert "cannot be read" not in shown
    assert at.selectbox(key="map_name").value == expected.columns[0]
    assert at.selectbox(key="map_employees").value == expected.columns[2]
    if name == "title.xlsx":
        assert at.number_input(key="read_header").value == 4  # 1-based, detected
        assert at.selectbox(key="read_sheet").value == "Бүртгэл"
    if name.endswith(".csv"):
        assert (
            at.selectbox(key="read_encoding").value
            == {
                "utf8_cut.csv": "utf-8-sig",
                "mojibake.csv": "utf-8-sig",
                "utf16.csv": "utf-16",
                "cp1251.csv": "cp1251",
            }[name]
        )
    if name == "mojibake.csv":
        assert "Damaged text repaired: 6667 cells in 6667 rows" in shown
    else:
        assert "Damaged text repaired" not in shown
    assert f"{len(expected)} rows:" in shown  # validated, every row


def column_config(frame) -> str:
    """A data editor's column configuration (its choices, with their labels), as text."""
    import json

    return json.dumps(json.loads(frame.proto.columns or "{}"), ensure_ascii=False)


def test_one_row_is_one_row_and_isic_choices_are_named(workspace_dir):
    (workspace_dir / "imports" / "one.csv").write_text(
        "name,sector,employees,address\nНэг ХХК,Сансар,3,Ханбогд сум\n", encoding="utf-8"
    )
    at = data_page()
    at.run()
    at.selectbox(key="server_file").set_value("one.csv").run()
    assert not at.exception
    shown = texts(at)
    assert "Read 1 row, 4 columns." in shown and "1 row: 0 fine, 1 flagged" in shown
    assert "1 rows" not in shown
    # the sector editor offers "C - Manufacturing", not a bare letter
    assert any("C - Manufacturing" in column_config(d) for d in at.dataframe)
    at.query_params["lang"] = "mn"
    at.run()
    assert "1 мөр" in texts(at)
    assert any("C - Боловсруулах үйлдвэрлэл" in column_config(d) for d in at.dataframe)


def test_review_with_a_street_only_address_saves_without_crashing(workspace_dir):
    shutil.copy(DATA / "utf8_comma.csv", workspace_dir / "imports" / "street.csv")
    with open(workspace_dir / "imports" / "street.csv", "a", encoding="utf-8") as f:
        f.write("Нарны Од ХХК,G,4,Нарны гудамж 12,,\n")
    at = data_page()
    at.run()
    at.selectbox(key="server_file").set_value("street.csv").run()
    at.button(key="geocode").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Нарны гудамж 12" in shown and "names no place" in shown
    assert "empty address" not in shown
    assert (
        Workspace.default().mapping(
            ["Байгууллагын нэр", "Салбар", "Ажилтны тоо", "Хаяг", "Өргөрөг", "Уртраг"]
        )
        is None
    )  # geocoding remembers none
    boxes = [
        s for s in at.selectbox if str(s.key).startswith("review_") and s.key != "review_map_row"
    ]
    assert len(boxes) == 1  # the street-only address has no choice to make
    assert at.selectbox(key="review_map_row").options == ["Хэрлэн сум"]
    boxes[0].set_value("2101").run()
    at.button(key="save_fixes").click().run()
    assert not at.exception
    assert "1 correction saved." in texts(at)
    assert Workspace.default().corrections() == {"хэрлэн сум": "2101"}
    at.button(key="confirm_mapping").click().run()
    assert "Mapping remembered" in texts(at)
    assert (
        Workspace.default().mapping(
            ["Байгууллагын нэр", "Салбар", "Ажилтны тоо", "Хаяг", "Өргөрөг", "Уртраг"]
        )["name"]
        == "Байгууллагын нэр"
    )
