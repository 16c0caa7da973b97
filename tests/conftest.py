"""Shared fixtures: the embedded geography, loaded once per test session."""

from __future__ import annotations

import pytest

from geo import admin


@pytest.fixture(scope="session")
def aimags():
    return admin.load_aimags()


@pytest.fixture(scope="session")
def units():
    return admin.load_units()


@pytest.fixture(scope="session")
def index(aimags, units):
    return admin.AdminIndex(aimags, units)
