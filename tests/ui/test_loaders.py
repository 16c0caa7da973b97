"""Shared pipeline results: one copy for all sessions, no session can change another's,
and a replaced dataset is never answered from its old version."""

import pandas as pd
import pytest

from geo.filters import FirmFilter
from geo.workspace import Workspace
from ui import loaders


def test_a_changed_copy_leaves_the_shared_table_alone():
    first = loaders.demo_firms()
    n = len(first)
    original = first.loc[first.index[0], "name"]
    first.loc[first.index[0], "name"] = "changed by one session"
    first["extra"] = 1
    first.drop(first.index[:10], inplace=True)
    again = loaders.demo_firms()
    assert len(again) == n
    assert again.loc[again.index[0], "name"] == original
    assert "extra" not in again.columns


def test_tuples_of_tables_are_copied_too():
    table = pd.DataFrame({"a": [1, 2]})
    a, b = loaders.cow_copy((table, table))
    a.loc[0, "a"] = 99
    assert table.loc[0, "a"] == 1 and b.loc[0, "a"] == 1


@pytest.fixture()
def workspace_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CAM_DATA_DIR", str(tmp_path))
    return tmp_path


def test_replaced_dataset_gives_new_views(workspace_dir):
    store = Workspace.default()
    firms = pd.DataFrame(
        {
            "name": ["A", "B"],
            "sector": ["mining", "tourism"],
            "lat": [47.9, 48.0],
            "lon": [106.9, 107.0],
        }
    )
    dataset = store.save(firms, name="replace me", saved_by="test")
    everything = FirmFilter()
    assert len(loaders.view_firms(dataset, repr(everything), everything)) == 2
    store.save(
        pd.concat([firms, firms.assign(name=["C", "D"])]),
        name="replace me",
        saved_by="test",
        replace=True,
    )
    assert len(loaders.view_firms(dataset, repr(everything), everything)) == 4
    assert len(loaders.geocoded_firms(dataset)) == 4


def test_a_step_shows_its_cache_key_and_looks_the_version_up(workspace_dir, monkeypatch):
    import inspect

    calls = []

    @loaders.per_version(loaders.shared())
    def step(dataset: str, version: int, key: str, _obj) -> tuple:
        calls.append((dataset, version, key))
        return (dataset, version, key)

    assert list(inspect.signature(step).parameters) == ["dataset", "version", "key", "_obj"]
    versions = {"a": 3}
    monkeypatch.setattr(loaders, "dataset_version", lambda d: versions[d])
    assert step("a", "k", object()) == ("a", 3, "k")
    assert step("a", "k", object()) == ("a", 3, "k") and len(calls) == 1  # _obj unhashed
    versions["a"] = 4  # replaced
    assert step("a", "k", None) == ("a", 4, "k") and len(calls) == 2
    assert step.at("a", 3, "k", None) == ("a", 3, "k") and len(calls) == 2
    step.clear()
    step("a", "k", None)
    assert len(calls) == 3
