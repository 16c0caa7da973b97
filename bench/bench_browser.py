"""The app in a real browser: time to a rendered map, rerun after a filter change, the
HTML a map costs, and N concurrent sessions opening one link.

Starts the app (``python -m ui.serve``) on a free loopback port with a
temporary workspace holding a synthetic registry of ``--big`` firms, then
drives headless Chromium (Debian's, /usr/bin/chromium) with Playwright.

    .venv/bin/python -m bench.bench_browser                  # map + load, N = 1, 10, 30
    .venv/bin/python -m bench.bench_browser --only load --sessions 1 10
    .venv/bin/python -m bench.bench_browser --only baseline      # demo map vs a bare page
    .venv/bin/python -m bench.bench_browser --only sustained --sessions 30 --minutes 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
IFRAME = "iframe[title='streamlit_folium.st_folium']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_workspace(folder: Path, n: int) -> str:
    """Save a geocoded synthetic registry of n firms in the workspace; returns its id."""
    from geo.geocode import Geocoder
    from geo.workspace import Workspace
    from datasets.build.make_demo_firms import make_demo_firms

    firms = make_demo_firms(n, seed=11)
    firms = Geocoder().geocode(
        firms, address_column="address", lat_column="gps_lat", lon_column="gps_lon"
    )
    return Workspace(folder / "workspace.sqlite").save(firms, name=f"bench {n}", saved_by="bench")


def rss_mb(pid: int) -> float:
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the server process has used so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        return [int(x) for x in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []


def html_size(dataset: str) -> tuple[float, int]:
    """Megabytes of map HTML/JS that st_folium sends for the default view of a dataset."""
    import streamlit_folium as sf

    from geo import maps
    from geo.admin import load_aimags
    from geo.cluster import cluster_firms
    from geo.describe import describe_clusters
    from geo.io import load_demo_firms
    from geo.workspace import Workspace
    from ui.mapview import map_labels

    if dataset == "demo":
        from geo.geocode import Geocoder

        firms = Geocoder().geocode(load_demo_firms(), lat_column="gps_lat", lon_column="gps_lon")
    else:
        firms = Workspace.default().load(dataset)
    aimags = load_aimags()
    clusters = describe_clusters(cluster_firms(firms, 2.0, 10), aimags=aimags)
    located = firms[firms["lat"].notna()]
    layers, _ = maps.drawable_layers(("aimags", "firms", "clusters"), len(located))
    m = maps.atlas_map(
        aimags, labels=map_labels("en"), firms=located, clusters=clusters, layers=layers
    )
    m.render()
    text = sf._get_map_string(m) + sf._get_html(m) + sf._get_header(m)
    return len(text.encode()) / 2**20, int(firms["lat"].notna().sum())


async def open_map(browser, url: str, timeout: float = 600) -> float:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=timeout * 1000)
    frame = page.frame_locator(IFRAME).first
    await frame.locator(".marker-cluster, canvas.leaflet-heatmap-layer").first.wait_for(
        timeout=timeout * 1000
    )
    elapsed = time.perf_counter() - start
    await context.close()
    return elapsed


async def ws_session(base: str, query: str, page: str = "") -> tuple[float, int]:
    """One session through Streamlit's websocket protocol, as the browser speaks it:
    seconds until the server has sent the whole page (map included), and its bytes."""
    import http.cookiejar

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    host = base.split("//", 1)[1]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = time.perf_counter()
    await asyncio.to_thread(lambda: opener.open(f"{base}/").read())
    xsrf = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
    headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar), "Origin": base}
    received = 0
    async with websockets.connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
        additional_headers=headers,
        max_size=None,
        open_timeout=300,
        ping_timeout=None,
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            data = await ws.recv()
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if forward.WhichOneof("type") == "script_finished":
                return time.perf_counter() - start, received


async def page_assets(browser, url: str) -> list[str]:
    """The files a browser with an empty cache fetches to show ``url`` (session media left out)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda r: urls.append(r.url) if r.method == "GET" else None)
    await page.goto(url)
    await (
        page.frame_locator(IFRAME)
        .first.locator(".marker-cluster, canvas.leaflet-heatmap-layer")
        .first.wait_for(timeout=600_000)
    )
    await asyncio.sleep(2)
    await context.close()
    return list(dict.fromkeys(u for u in urls if "/media/" not in u))


async def fresh_session(base: str, query: str, assets: list[str]) -> tuple[float, int]:
    """A first visit: every file a browser with an empty cache fetches (six at a time, gzip,
    by curl) while the page runs over the websocket; seconds until both are done."""
    start = time.perf_counter()
    curl = await asyncio.create_subprocess_exec(
        "curl",
        "-s",
        "--compressed",
        "--parallel",
        "--parallel-max",
        "6",
        *[arg for u in assets for arg in ("-o", "/dev/null", u)],
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    _, received = await ws_session(base, query)
    if await curl.wait() != 0:
        raise RuntimeError("an asset failed to load")
    return time.perf_counter() - start, received


async def rerun_after_filter(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    await page.goto(url)
    await (
        page.frame_locator(IFRAME)
        .first.locator(".marker-cluster, canvas.leaflet-heatmap-layer")
        .first.wait_for(timeout=600_000)
    )
    value = page.locator("[data-testid='stMetric']", has_text="Clusters found").locator(
        "[data-testid='stMetricValue']"
    )
    before = await value.inner_text()
    field = page.locator("[data-testid='stNumberInput']", has_text="Radius").locator("input")
    start = time.perf_counter()
    await field.fill("0.7")
    await field.press("Enter")
    while (await value.inner_text()) == before:
        await asyncio.sleep(0.05)
    await (
        page.frame_locator(IFRAME)
        .first.locator(".marker-cluster, canvas.leaflet-heatmap-layer")
        .first.wait_for()
    )
    elapsed = time.perf_counter() - start
    await context.close()
    return elapsed


BARE_PAGE = """
import streamlit as st
from streamlit_folium import st_folium

from geo.maps.assets import finish
from geo.maps.base import base_map

st.header("Bare")
st_folium(finish(base_map()), height=600, width=None, key="bare", returned_objects=[])
"""


def start_server(script: Path, port: int, cwd: Path) -> subprocess.Popen:
    """``streamlit run script`` (the app's own launcher for app.py) on a loopback port."""
    command = (
        [sys.executable, "-m", "ui.serve"]
        if script.name == "app.py"
        else [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.enableStaticServing",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
    )
    server = subprocess.Popen(
        [
            *command,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    return server


def bare_folder() -> Path:
    """A folder with the bare page and the app's static files beside it (Streamlit serves
    ``static/`` next to the script)."""
    folder = Path(tempfile.mkdtemp(prefix="cam_bare_"))
    (folder / "bare.py").write_text(BARE_PAGE)
    (folder / "static").symlink_to(ROOT / "static")
    (folder / ".streamlit").mkdir()
    return folder


async def open_timed(
    browser, url: str, drawn: str, first: str | None = None, timeout: float = 600
) -> tuple[float, float | None]:
    """Seconds from navigation to ``drawn`` in the map's frame (and to ``first``, if given)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=timeout * 1000)
    frame = page.frame_locator(IFRAME).first
    early = None
    if first:
        await frame.locator(first).first.wait_for(timeout=timeout * 1000)
        early = time.perf_counter() - start
    await frame.locator(drawn).first.wait_for(timeout=timeout * 1000)
    elapsed = time.perf_counter() - start
    await context.close()
    return elapsed, early


async def baseline(browser, base: str, repeat: int) -> None:
    """The demo map against a bare Streamlit page holding an empty folium map, one run."""
    folder = bare_folder()
    port = free_port()
    bare = start_server(folder / "bare.py", port, folder)
    try:
        bare_url = f"http://127.0.0.1:{port}/"
        await open_timed(browser, bare_url, ".leaflet-container")  # warm
        await open_timed(browser, f"{base}/?lang=en", ".marker-cluster")
        bares, maps_, firsts = [], [], []
        for _ in range(repeat):  # alternate, so both see the same machine
            bares.append((await open_timed(browser, bare_url, ".leaflet-container"))[0])
            total, aimags = await open_timed(
                browser, f"{base}/?lang=en", ".marker-cluster", first="path.leaflet-interactive"
            )
            maps_.append(total)
            firsts.append(aimags)
        b, m, f = (statistics.median(x) for x in (bares, maps_, firsts))
        print(f"bare page, empty folium map   open {b:6.2f} s {[round(x, 2) for x in bares]}")
        print(f"demo map: aimags drawn         {f:6.2f} s {[round(x, 2) for x in firsts]}")
        print(f"demo map: firms drawn          {m:6.2f} s {[round(x, 2) for x in maps_]}")
        print(f"ratio demo map / bare page: {m / b:.2f} (aimags first: {f / b:.2f})", flush=True)
    finally:
        bare.terminate()
        bare.wait(timeout=20)


#: Radii (km) the sustained sessions choose among: 11 views, so caches help but do not
#: answer everything.
RADII = [round(1.0 + 0.2 * i, 1) for i in range(11)]


async def sustained(
    base: str, query: str, sessions: int, minutes: float, every: float, server_pid: int
) -> None:
    """``sessions`` websocket sessions for ``minutes``: each opens the link, then changes
    the radius every ``every`` seconds (jittered) as a person typing would, and waits for
    the page to be redrawn. Prints reactions, errors and the server's memory over time."""
    import http.cookiejar
    import random

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    host = base.split("//", 1)[1]
    reactions: list[float] = []
    errors: list[str] = []
    views: set[str] = set()  # the views the app wrote into the URL: changes took effect
    deadline = time.perf_counter() + minutes * 60

    async def one(number: int) -> None:
        rng = random.Random(number)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        await asyncio.to_thread(lambda: opener.open(f"{base}/").read())
        xsrf = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
        headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar), "Origin": base}
        async with websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=300,
            ping_timeout=None,
        ) as ws:
            radius_id = None

            async def run_once(msg: BackMsg) -> None:
                nonlocal radius_id
                start = time.perf_counter()
                await ws.send(msg.SerializeToString())
                while True:
                    forward = ForwardMsg()
                    forward.ParseFromString(await ws.recv())
                    kind = forward.WhichOneof("type")
                    if kind == "page_info_changed":  # the app wrote the URL: keep it, as
                        url[0] = forward.page_info_changed.query_string  # a browser does
                        views.add(url[0])
                    if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                        element = forward.delta.new_element
                        which = element.WhichOneof("type")
                        if which == "exception":
                            errors.append(element.exception.message[:200])
                        elif which == "number_input" and "Radius" in element.number_input.label:
                            radius_id = element.number_input.id
                    if kind == "script_finished":
                        reactions.append(time.perf_counter() - start)
                        return

            url = [query]
            msg = BackMsg()
            msg.rerun_script.query_string = query
            await run_once(msg)
            while time.perf_counter() < deadline:
                await asyncio.sleep(every * rng.uniform(0.5, 1.5))
                if radius_id is None:
                    errors.append("no radius field found")
                    return
                radius = rng.choice(RADII)
                msg = BackMsg()
                msg.rerun_script.query_string = url[0]
                state = msg.rerun_script.widget_states.widgets.add()
                state.id = radius_id
                state.double_value = radius
                await run_once(msg)

    memory: list[tuple[float, float]] = []

    async def watch() -> None:
        start = time.perf_counter()
        while time.perf_counter() < deadline + 5:
            memory.append((time.perf_counter() - start, rss_mb(server_pid)))
            await asyncio.sleep(10)

    results = await asyncio.gather(
        watch(), *[one(i) for i in range(sessions)], return_exceptions=True
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    times = sorted(reactions)
    after_minute = [m for t, m in memory if t >= 60] or [m for _, m in memory]
    print(f"sustained: {sessions} sessions x {minutes:g} min, a radius change every ~{every:g} s")
    print(
        f"  page runs {len(times)}; reaction median {statistics.median(times):.2f} s, "
        f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} s, max {times[-1]:.2f} s"
    )
    print(f"  {len(views)} different views written to the URL (the changes took effect)")
    print(
        f"  errors shown {len(errors)}; sessions failed {len(failed)}"
        + (f": {failed[0]!r}" if failed else "")
        + (f"; first error: {errors[0]}" if errors else "")
    )
    print(
        f"  server RSS MB: start {memory[0][1]:.0f}, after 1 min {after_minute[0]:.0f}, "
        f"end {memory[-1][1]:.0f}, max after 1 min {max(after_minute):.0f}",
        flush=True,
    )


async def run(args) -> None:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp(prefix="cam_bench_"))
    os.environ["CAM_DATA_DIR"] = str(folder)
    big = prepare_workspace(folder, args.big) if args.only in ("all", "map") else None
    port = free_port()
    server = subprocess.Popen(
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
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            await open_map(browser, f"{base}/?lang=en")  # warm caches and compilers
            if args.only in ("all", "map"):
                print(
                    "case                      firms on map  HTML MB  open median s (runs)"
                    "  rerun median s (runs)"
                )
                for label, ds in (("demo (20,000)", "demo"), (f"{args.big:,} firms", big)):
                    url = f"{base}/?lang=en" + ("" if ds == "demo" else f"&ds={ds}")
                    await open_map(browser, url)  # cache this dataset
                    opens = [await open_map(browser, url) for _ in range(args.repeat)]
                    reruns = [await rerun_after_filter(browser, url) for _ in range(args.repeat)]
                    size, points = html_size(ds)
                    print(
                        f"{label:25s} {points:12,d} {size:8.1f}  "
                        f"{statistics.median(opens):6.2f} {[round(x, 2) for x in opens]}  "
                        f"{statistics.median(reruns):6.2f} {[round(x, 2) for x in reruns]}",
                        flush=True,
                    )
            if args.only in ("all", "baseline"):
                await baseline(browser, base, args.repeat)
            if args.only in ("all", "sustained"):
                await sustained(
                    base, args.links[0], args.sessions[-1], args.minutes, args.every, server.pid
                )
            if args.only in ("all", "load"):
                for number, spec in enumerate(args.links):
                    # "statistics?lang=en" opens that page; a bare query the Map page
                    page_name, _, query = spec.rpartition("?")
                    link = f"{base}/{page_name}?{query}"
                    await open_map(browser, link) if not page_name else await ws_session(
                        base, query, page_name
                    )  # caches warm
                    print(f"link /{page_name}?{query}")
                    clients = ["websocket"]
                    if not page_name:  # map links: first visits too
                        assets = await page_assets(browser, link)
                        print(f"a first visit fetches {len(assets)} files")
                        clients += ["first-visit"] + (["browser"] if number == 0 else [])
                    for client in clients:
                        print(
                            f"{client} sessions: n  median s  p95 s  max s  failed  "
                            f"server RSS MB  MB sent each  server CPU s each"
                        )
                        for n in args.sessions:
                            if client == "browser" and n > args.max_browsers:
                                continue
                            if client == "websocket":
                                jobs = [ws_session(base, query, page_name) for _ in range(n)]
                            elif client == "first-visit":
                                jobs = [fresh_session(base, query, assets) for _ in range(n)]
                            else:
                                jobs = [open_map(browser, link, timeout=600) for _ in range(n)]
                            cpu = cpu_seconds(server.pid)
                            results = await asyncio.gather(*jobs, return_exceptions=True)
                            cpu = (cpu_seconds(server.pid) - cpu) / n
                            ok = [r for r in results if not isinstance(r, BaseException)]
                            times = sorted(r[0] if isinstance(r, tuple) else r for r in ok)
                            sent = (
                                statistics.median([r[1] for r in ok]) / 2**20
                                if ok and isinstance(ok[0], tuple)
                                else float("nan")
                            )
                            failed = n - len(times)
                            p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0
                            print(
                                f"{'':18s}{n:3d}  {statistics.median(times):8.2f}  "
                                f"{p95:5.2f}  {max(times):5.2f}  {failed:6d}  "
                                f"{rss_mb(server.pid):13.0f}  {sent:12.2f}  {cpu:18.3f}",
                                flush=True,
                            )
            await browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--only", choices=("all", "map", "baseline", "load", "sustained"), default="all"
    )
    parser.add_argument(
        "--minutes", type=float, default=5.0, help="length of the sustained load (--only sustained)"
    )
    parser.add_argument(
        "--every",
        type=float,
        default=4.0,
        help="seconds between one session's filter changes (sustained)",
    )
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument(
        "--links",
        nargs="+",
        default=[
            "lang=en&sec=mining,cashmere_wool_leather",
            "lang=en",
            "statistics?lang=en&ssec=tourism",
        ],
        help="links the sessions open: a query string for the Map page (its "
        "default view is the heaviest: every firm with its popup), or "
        "page?query for another page (websocket clients only)",
    )
    parser.add_argument(
        "--max-browsers",
        type=int,
        default=10,
        help="largest N driven with real browser tabs (they share the 2 cores)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
