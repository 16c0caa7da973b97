"""geo.workspace: round trips, atomic saves (a killed save), corrections, mappings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.geocode import Geocoder, place_key
from geo.workspace import Workspace, WorkspaceError, dataset_id

ROOT = Path(__file__).resolve().parents[2]


def sample(n: int = 50) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "name": pd.array([f"Фирм {i} `$\\" for i in range(n)], dtype="string"),
            "employees": rng.integers(0, 500, n),
            "share": rng.random(n),
            "exporter": rng.random(n) > 0.5,
            "lat": np.where(rng.random(n) > 0.2, 47.9, np.nan),
            "precision": pd.array(["point"] * n, dtype="string"),
        }
    )


def test_save_load_round_trip_is_identical(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite")
    frame = sample()
    saved = ws.save(frame, name="Өмнөговь 2026", saved_by="Bold", source_file="reg.xlsx")
    assert saved == dataset_id("Өмнөговь 2026") == "omnogovi-2026"
    pd.testing.assert_frame_equal(ws.load(saved), frame)
    listing = ws.list()
    assert listing.loc[0, "rows"] == 50 and listing.loc[0, "saved_by"] == "Bold"


def test_replace_needs_confirmation_and_demo_is_protected(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite")
    ws.save(sample(5), name="A", saved_by="x")
    with pytest.raises(WorkspaceError, match="confirm"):
        ws.save(sample(6), name="A", saved_by="x")
    ws.save(sample(6), name="A", saved_by="x", replace=True)
    assert len(ws.load("a")) == 6 and ws.version("a") == 2
    with pytest.raises(WorkspaceError, match="demo"):
        ws.save(sample(1), name="demo", saved_by="x", replace=True)
    with pytest.raises(WorkspaceError, match="demo"):
        ws.delete("demo")
    ws.delete("a")
    assert ws.list().empty
    with pytest.raises(WorkspaceError, match="no dataset"):
        ws.load("a")


def test_a_killed_save_leaves_the_previous_version(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace(path)
    ws.save(sample(10), name="reg", saved_by="x")
    # a child process starts replacing it with a large table and is killed mid-save
    script = textwrap.dedent(f"""
        import sys, time
        import numpy as np, pandas as pd
        import geo.workspace as w
        ws = w.Workspace({str(path)!r})
        big = pd.DataFrame({{"x": np.random.default_rng(1).random(3_000_000)}})
        original = pd.DataFrame.to_parquet
        def slow(self, *a, **k):
            original(self, *a, **k)
            print("writing", flush=True)
            time.sleep(30)
        pd.DataFrame.to_parquet = slow
        ws.save(big, name="reg", saved_by="y", replace=True)
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert child.stdout.readline().strip() == "writing"
    time.sleep(0.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    again = Workspace(path)
    assert len(again.load("reg")) == 10 and again.version("reg") == 1


def test_a_kill_inside_the_transaction_rolls_back(tmp_path):
    path = tmp_path / "ws.sqlite"
    Workspace(path).save(sample(10), name="reg", saved_by="x")
    script = textwrap.dedent(f"""
        import sys, os, signal, sqlite3
        import pandas as pd
        import geo.workspace as w
        ws = w.Workspace({str(path)!r})
        real = sqlite3.Connection.execute
        class Killer:
            pass
        def connect():
            db = sqlite3.connect({str(path)!r}, timeout=30, isolation_level=None)
            return Wrapped(db)
        class Wrapped:
            def __init__(self, db): self.db = db
            def execute(self, sql, *a):
                if sql.startswith("INSERT INTO datasets"):
                    os.kill(os.getpid(), signal.SIGKILL)     # between blob and pointer
                return self.db.execute(sql, *a)
            def __getattr__(self, name): return getattr(self.db, name)
        ws._connect = connect
        ws.save(pd.DataFrame({{"x": range(99)}}), name="reg", saved_by="y", replace=True)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT)
    assert result.returncode == -signal.SIGKILL
    again = Workspace(path)
    assert len(again.load("reg")) == 10
    import sqlite3

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1  # no orphan


def test_corrections_are_reused_by_the_geocoder(tmp_path, index):
    ws = Workspace(tmp_path / "ws.sqlite")
    frame = pd.DataFrame(
        {
            "address": [
                "Хэрлэн сум, 2-р баг",
                "хэрлэн сум 5-р баг",
                "Шинэ зах, 12 тоот",
                "Шинэ зах 14 тоот",
            ]
        }
    )
    before = Geocoder(index).geocode(frame)
    assert before["geocode_status"].tolist()[:2] == ["ambiguous", "ambiguous"]
    ws.save_correction(place_key("Хэрлэн сум, 2-р баг"), "2101", saved_by="Bold")
    ws.save_correction(place_key("Шинэ зах, 12 тоот"), "point:47.91,106.92", saved_by="Bold")
    after = Geocoder(index, corrections=ws.corrections()).geocode(frame)
    assert after["aimag_code"].tolist()[:2] == ["MN-061", "MN-061"]  # Dornod's Kherlen
    assert after["geocode_note"].tolist()[0] == "manual correction"
    assert after.loc[2, "precision"] == "point" and after.loc[2, "lat"] == 47.91
    assert after.loc[3, "aimag_code"] == "MN-1"  # same place key
    with pytest.raises(WorkspaceError):
        ws.save_correction("", "2101", saved_by="x")


def test_mappings_are_remembered_per_header(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite")
    assert ws.mapping(["A", "B"]) is None
    ws.save_mapping(["A", "B"], {"name": "A"})
    assert ws.mapping([" a", "B "]) == {"name": "A"}  # same headers, other spacing/case
    assert ws.mapping(["A", "C"]) is None


def test_a_correction_for_an_address_naming_no_place_is_refused_truthfully(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite")
    assert place_key("Нарны гудамж 12") == ""
    with pytest.raises(WorkspaceError, match="names no place") as err:
        ws.save_correction(place_key("Нарны гудамж 12"), "2101", saved_by="x")
    assert "empty" not in str(err.value)


def test_corrections_are_saved_all_or_nothing(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite")
    items = [("хэрлэн сум", "2101"), ("", "MN-1"), ("шинэ зах", "point:47.9,106.9")]
    with pytest.raises(WorkspaceError):
        ws.save_corrections(items, saved_by="Bold")
    assert ws.corrections() == {}  # not the first one either
    assert ws.save_corrections([items[0], items[2]], saved_by="Bold") == 2
    assert ws.corrections() == {"хэрлэн сум": "2101", "шинэ зах": "point:47.9,106.9"}


def test_a_colleagues_different_correction_is_a_conflict_not_an_overwrite(tmp_path):
    from geo.workspace import WorkspaceConflict

    ws = Workspace(tmp_path / "ws.sqlite")
    seen = ws.corrections()  # what my geocoding used: nothing
    ws.save_correction("хэрлэн сум", "2101", saved_by="Saraa")  # a colleague, meanwhile
    with pytest.raises(WorkspaceConflict, match="Saraa") as err:
        ws.save_corrections(
            [("хэрлэн сум", "1101"), ("шинэ зах", "MN-1")], saved_by="Bold", seen=seen
        )
    assert err.value.what == "хэрлэн сум" and err.value.saved_by == "Saraa"
    assert ws.corrections() == {"хэрлэн сум": "2101"}  # nothing of mine written
    # the same choice as the colleague's is no conflict; after looking again, mine lands
    ws.save_corrections([("хэрлэн сум", "2101")], saved_by="Bold", seen=seen)
    ws.save_corrections([("хэрлэн сум", "1101")], saved_by="Bold", seen=ws.corrections())
    assert ws.corrections()["хэрлэн сум"] == "1101"


def test_a_replacement_over_a_colleagues_newer_version_is_a_conflict(tmp_path):
    from geo.workspace import WorkspaceConflict

    ws = Workspace(tmp_path / "ws.sqlite")
    ws.save(sample(5), name="reg", saved_by="Saraa")
    seen = ws.version("reg")
    ws.save(sample(7), name="reg", saved_by="Saraa", replace=True)  # she saves again
    with pytest.raises(WorkspaceConflict, match="changed while you were working"):
        ws.save(sample(9), name="reg", saved_by="Bold", replace=True, expected_version=seen)
    assert len(ws.load("reg")) == 7
    ws.save(
        sample(9), name="reg", saved_by="Bold", replace=True, expected_version=ws.version("reg")
    )
    assert len(ws.load("reg")) == 9


RACER = textwrap.dedent("""
    import sys, time, json
    import pandas as pd
    from geo.workspace import Workspace, WorkspaceConflict, WorkspaceError
    path, me, kind, go = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    ws = Workspace(path)
    frame = pd.DataFrame({"editor": [me] * 20_000, "n": range(20_000)})
    while not __import__("os").path.exists(go):
        time.sleep(0.001)
    results = []
    for i in range(15):
        try:
            if kind == "own":            # each editor saves datasets of their own
                ws.save(frame, name=f"{me} {i}", saved_by=me)
            elif kind == "same":         # both create the same new dataset
                ws.save(frame, name=f"shared {i}", saved_by=me, expected_version=0)
            elif kind == "corrections":  # each their own place keys, and one shared key
                ws.save_corrections([(f"{me} газар {i}", "MN-1"), (f"шинэ {i}", me)],
                                    saved_by=me, seen={})
            results.append("saved")
        except WorkspaceConflict as exc:
            results.append("conflict: " + str(exc))
    print(json.dumps(results))
""")


def _race(tmp_path, kind: str) -> tuple[Path, list[list[str]]]:
    import json

    path = tmp_path / "ws.sqlite"
    Workspace(path)
    go = tmp_path / f"go-{kind}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(ROOT), str(path), me, kind, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for me in ("bold", "saraa")
    ]
    time.sleep(1.5)  # both imported and waiting
    go.touch()
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err  # no crash, no "database is locked"
        outputs.append(json.loads(out))
    import sqlite3

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return path, outputs


def test_two_editors_saving_their_own_datasets_at_once_both_land(tmp_path):
    path, outputs = _race(tmp_path, "own")
    assert outputs == [["saved"] * 15, ["saved"] * 15]
    ws = Workspace(path)
    assert len(ws.list()) == 30
    for me in ("bold", "saraa"):
        frame = ws.load(dataset_id(f"{me} 7"))
        assert len(frame) == 20_000 and set(frame["editor"]) == {me}


def test_two_editors_creating_the_same_dataset_at_once_one_gets_a_conflict(tmp_path):
    path, outputs = _race(tmp_path, "same")
    ws = Workspace(path)
    for i in range(15):
        outcomes = [outputs[0][i], outputs[1][i]]
        assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "saved"], outcomes
        assert "exists" in next(o for o in outcomes if o.startswith("conflict"))
        frame = ws.load(f"shared-{i}")  # one editor's table, whole
        assert len(frame) == 20_000 and frame["editor"].nunique() == 1
        assert ws.version(f"shared-{i}") == 1


def test_two_editors_saving_corrections_at_once(tmp_path):
    path, outputs = _race(tmp_path, "corrections")
    corrections = Workspace(path).corrections()
    for i in range(15):
        outcomes = [outputs[0][i], outputs[1][i]]
        saved = [me for me, o in zip(("bold", "saraa"), outcomes) if o == "saved"]
        # the shared key: one editor's choice lands, the other is told, never a silent overwrite
        assert len(saved) == 1, outcomes
        assert corrections[f"шинэ {i}"] == saved[0]
        assert corrections[f"{saved[0]} газар {i}"] == "MN-1"
        other = "saraa" if saved[0] == "bold" else "bold"
        assert f"{other} газар {i}" not in corrections  # all or nothing
