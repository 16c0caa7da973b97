"""Fingerprinted front-end files come from memory, gzip when asked; nothing else is touched."""

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

import pytest

from ui.serve import ROOT, config_options, make_app
from ui.static_cache import StaticCache

JS = b"function f(){return 1}\n" * 400


def run(coroutine):
    """Run in a thread of its own: the browser tests' Playwright keeps a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def backend(calls: list[str]):
    async def app(scope, receive, send):
        calls.append(scope["path"])
        if scope["path"].endswith("missing.js"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"not found"})
            return
        html = scope["path"].endswith(".html")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/html" if html else b"application/javascript"),
                    (b"content-length", str(len(JS)).encode()),
                    (b"cache-control", b"public, immutable, max-age=31536000"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": JS, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    return app


def get(app, path: str, *headers: tuple[bytes, bytes], method: str = "GET"):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": list(headers)}
    run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.lower(): v for k, v in start["headers"]}, body


def test_second_request_is_served_from_memory_gzip_when_accepted():
    calls = []
    cache = StaticCache(backend(calls))
    path = "/static/js/index.abc123.js"
    status, headers, body = get(cache, path)
    assert status == 200 and body == JS and calls == [path]
    status, headers, body = get(cache, path, (b"accept-encoding", b"gzip, br"))
    assert calls == [path]  # not asked again
    assert headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == JS and len(body) < len(JS) / 10
    assert int(headers[b"content-length"]) == len(body)
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    assert headers[b"vary"] == b"Accept-Encoding"
    status, headers, body = get(cache, path, (b"accept-encoding", b"identity"))
    assert body == JS and b"content-encoding" not in headers
    assert (cache.hits, cache.misses) == (2, 1)


def test_other_requests_pass_through_every_time():
    calls = []
    cache = StaticCache(backend(calls))
    for path, headers in [
        ("/", ()),
        ("/_stcore/health", ()),
        ("/app/static/vendor/a.js", ()),
        ("/static/js/a.js", ((b"range", b"bytes=0-10"),)),
        ("/static/js/a.js", ((b"if-none-match", b'"x"'),)),
        ("/component/x/index.html", ()),
    ]:
        get(cache, path, *headers)
        get(cache, path, *headers)
    assert len(calls) == 12
    status, _, body = get(cache, "/static/js/missing.js")
    status, _, body = get(cache, "/static/js/missing.js")
    assert status == 404 and body == b"not found" and calls[-2:] == ["/static/js/missing.js"] * 2
    calls.clear()
    get(cache, "/component/x/static/js/page.html")  # html is never kept
    get(cache, "/component/x/static/js/page.html")
    assert len(calls) == 2


def test_memory_is_bounded():
    calls = []
    cache = StaticCache(backend(calls), max_bytes=len(JS) + 200)
    get(cache, "/static/js/a.js")
    get(cache, "/static/js/b.js")
    get(cache, "/static/js/b.js")
    assert calls == ["/static/js/a.js", "/static/js/b.js", "/static/js/b.js"]


def test_websocket_and_lifespan_pass_through():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    cache = StaticCache(app)
    for kind in ("websocket", "lifespan"):
        run(cache({"type": kind, "path": "/static/js/a.js"}, None, None))
    assert seen == ["websocket", "lifespan"]


def test_served_as_streamlits_public_asgi_app_with_the_cache_in_front(monkeypatch):
    import streamlit.starlette
    from streamlit.runtime.pages_manager import PagesManager

    made = {}

    class Recorder:
        def __init__(self, script, **options):
            made.update(options, script=script)

    monkeypatch.setattr(streamlit.starlette, "App", Recorder)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    assert isinstance(make_app(), Recorder)
    assert made["script"] == ROOT / "app.py"
    assert [m.cls for m in made["middleware"]] == [StaticCache]
    assert PagesManager.uses_pages_directory is False  # a first /statistics opens it


def test_command_line_options_are_streamlits_config_options():
    assert config_options(
        [
            "--server.port",
            "8502",
            "--server.headless=true",
            "--server.fileWatcherType",
            "auto",
            "--server.maxUploadSize",
            "0.5",
        ]
    ) == {
        "server.port": 8502,
        "server.headless": True,
        "server.fileWatcherType": "auto",
        "server.maxUploadSize": 0.5,
    }
    for bad in (["server.port", "1"], ["--server.port"]):
        with pytest.raises(SystemExit):
            config_options(bad)
