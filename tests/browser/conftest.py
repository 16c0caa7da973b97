"""Start the real app on a free loopback port and drive it with headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def workspace_dir(tmp_path_factory):
    """The data folder of the app server under test (its workspace)."""
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, workspace_dir):
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = dict(os.environ, CAM_DATA_DIR=str(workspace_dir))
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ui.serve",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start; log:\n{log.read_text()}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = context.new_page()
    pg.external_requests = []
    pg.page_errors = []

    def on_request(request):
        if not request.url.startswith(
            ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
        ):
            pg.external_requests.append(request.url)

    pg.on("request", on_request)
    pg.on("pageerror", lambda e: pg.page_errors.append(str(e)))
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def map_frame(pg, timeout: float = 60):
    """The st_folium iframe, once Leaflet has drawn into it."""
    frame = pg.frame_locator(MAP_IFRAME).first
    frame.locator(".leaflet-container").wait_for(timeout=timeout * 1000)
    return frame


def map_point(pg, lat: float, lon: float) -> tuple[float, float]:
    """Where on the page (x, y) the map in its iframe draws ``(lat, lon)``."""
    frame = next(f for f in pg.frames if "streamlit_folium" in (f.url or ""))
    point = frame.evaluate(
        f"(function(){{var p = window.map.latLngToContainerPoint("
        f"[{lat}, {lon}]); var r = window.map.getContainer()"
        f".getBoundingClientRect(); return [p.x + r.left, p.y + r.top];}})()"
    )
    box = pg.locator(MAP_IFRAME).first.bounding_box()
    return box["x"] + point[0], box["y"] + point[1]


def click_map_at(pg, lat: float, lon: float) -> None:
    """Move the mouse to ``(lat, lon)`` on the map and click there, as a person does."""
    x, y = map_point(pg, lat, lon)
    pg.mouse.move(x, y)
    pg.mouse.click(x, y)


def legend_text(frame) -> str:
    """The map legend's text, opened first as a person would when it starts folded (a
    narrow map folds it rather than cover the country)."""
    legend = frame.locator("details.cam-legend").first
    if not legend.evaluate("d => d.open"):
        legend.locator("summary").click()
    return legend.inner_text()


def no_failure_shown(pg) -> None:
    """Fail on a Streamlit exception box, a page error or a dialog the test saw."""
    boxes = pg.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()
    from ui.i18n import t

    for lang in ("en", "mn"):  # the app's own message for a page that failed
        crash = t("crash_message", lang).split(".")[0]
        shown = pg.get_by_text(crash)
        assert shown.count() == 0, shown.first.inner_text()
    assert not pg.page_errors, pg.page_errors
    assert not getattr(pg, "dialogs", []), pg.dialogs


def save_dataset(pg, name: str, saved_by: str, saved_as: str, timeout: float = 40) -> None:
    """On the Data page: name the dataset, say who saves it, press Save, see it saved."""
    pg.get_by_label("Dataset name").fill(name)
    pg.get_by_label("Dataset name").press("Enter")
    pg.get_by_label("Saved by").fill(saved_by)
    pg.get_by_label("Saved by").press("Enter")
    save = pg.get_by_role("button", name="Save", exact=True)
    deadline = time.time() + timeout
    while not save.is_enabled() and time.time() < deadline:
        time.sleep(0.3)
    save.click()
    message = pg.get_by_text(saved_as)
    while message.count() == 0 and time.time() < deadline:
        time.sleep(0.3)
    assert message.count() > 0, f"no {saved_as!r} after saving"


def go_to(
    pg, page_title: str, heading: str | None = None, tries: int = 3, timeout: float = 40
) -> None:
    """Click ``page_title`` in the sidebar navigation and wait for the page's heading.

    A click that lands while the current page reruns can be lost, as it would be
    for a person, who clicks again: so does this, up to ``tries`` times.
    """
    import time

    heading = heading or page_title
    link = pg.locator("[data-testid='stSidebarNav'] a", has_text=page_title).first
    shown = pg.get_by_role("heading", name=heading, exact=True)
    for _ in range(tries):
        link.click()
        deadline = time.time() + timeout / tries
        while time.time() < deadline:
            try:
                if shown.count() > 0 and shown.first.is_visible():
                    break
            except Exception:  # an element being redrawn
                pass
            time.sleep(0.25)
        else:
            continue
        # the page has started; wait for its run to end
        time.sleep(0.3)
        deadline = time.time() + 60
        while time.time() < deadline and pg.locator("[data-testid='stStatusWidget']").count() > 0:
            time.sleep(0.25)
        time.sleep(0.8)
        return
    raise AssertionError(f"the {page_title!r} page did not open after {tries} clicks")


def wait_for(predicate, timeout: float = 60.0, step: float = 0.25) -> bool:
    """Poll ``predicate`` until it is true (an exception counts as not yet: an element
    being redrawn) or ``timeout`` seconds pass."""
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # an element being redrawn
            pass
        time.sleep(step)
    return False


def settle(pg, pause: float = 0.8) -> None:
    """Wait until Streamlit has finished running the page, then ``pause`` seconds."""
    import time

    time.sleep(0.3)
    wait_for(lambda: pg.locator("[data-testid='stStatusWidget']").count() == 0, 90)
    time.sleep(pause)
