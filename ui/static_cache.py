"""Streamlit's front-end files served from memory, gzip-compressed once.

A first visit fetches about 145 files (5.7 MB) of Streamlit's own front end
and of the map component. Streamlit reads each from disk on every request and
sends it uncompressed; thirty people opening a workshop link at once then
cost the server about 0.34 s of Python each for these files alone, five
times what the page itself costs (bench/bench_browser.py, "first-visit").

:class:`StaticCache` sits in front of Streamlit's web app and keeps the
fingerprinted files (``…/static/js|css|media/…``, whose names change with
their content) in memory, with a gzip copy made once, so that later visitors
get them in a few hundred microseconds and in about a third of the bytes.
Everything else (the page, the websocket, uploads, media, conditional and
range requests) goes to Streamlit untouched.
"""

from __future__ import annotations

import gzip
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Path fragments of fingerprinted front-end files (Streamlit's and components').
FINGERPRINTED = ("/static/js/", "/static/css/", "/static/media/")
#: Skip re-encoding (already compressed formats).
COMPRESSED_TYPES = ("font/woff2", "image/png", "image/jpeg", "image/webp", "image/gif")
#: Headers the cache sets itself.
_OWN = {
    b"content-length",
    b"content-encoding",
    b"vary",
    b"etag",
    b"last-modified",
    b"accept-ranges",
}


@dataclass(frozen=True)
class _Entry:
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    gzipped: bytes | None


class StaticCache:
    """ASGI middleware serving fingerprinted static files from memory.

    Parameters
    ----------
    app : ASGI application
        Streamlit's web app.
    max_bytes : int
        Memory the cache may use (identity and gzip copies together); files
        beyond it are served by ``app`` as before.
    max_file : int
        Largest single file kept.

    Attributes
    ----------
    hits, misses : int
        Requests answered from memory, and passed on to ``app``.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int = 96 * 2**20, max_file: int = 8 * 2**20
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_file = max_file
        self._entries: dict[str, _Entry] = {}
        self._size = 0
        self.hits = 0
        self.misses = 0

    @staticmethod
    def cacheable(scope: Scope) -> bool:
        """Whether a request may be answered from memory."""
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return False
        if not any(part in scope.get("path", "") for part in FINGERPRINTED):
            return False
        names = {name.lower() for name, _ in scope.get("headers", [])}
        return not names & {b"range", b"if-none-match", b"if-modified-since", b"authorization"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = scope["path"]
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            entry = await self._fetch(scope, receive, send)
            if entry is None:
                return
        else:
            self.hits += 1
        await self._send(entry, scope, send)

    async def _fetch(self, scope: Scope, receive: Receive, send: Send) -> _Entry | None:
        """Ask ``app``; keep a plain 200 response, or pass any other straight on."""
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = list(start.get("headers", [])) if start else []
        lookup = {k.lower(): v for k, v in headers}
        content_type = lookup.get(b"content-type", b"").decode("latin-1").lower()
        keep = (
            start is not None
            and start.get("status") == 200
            and b"content-encoding" not in lookup
            and "text/html" not in content_type
            and len(body) <= self.max_file
        )
        if not keep:
            for message in messages:
                await send(message)
            return None
        gzipped = None
        if not content_type.startswith(COMPRESSED_TYPES) and len(body) > 512:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            gzipped = packed if len(packed) < 0.9 * len(body) else None
        entry = _Entry(tuple((k, v) for k, v in headers if k.lower() not in _OWN), body, gzipped)
        size = len(body) + len(gzipped or b"")
        if self._size + size <= self.max_bytes:
            self._entries[scope["path"]] = entry
            self._size += size
        return entry

    @staticmethod
    def _accepts_gzip(scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name.lower() == b"accept-encoding":
                return b"gzip" in value.lower()
        return False

    async def _send(self, entry: _Entry, scope: Scope, send: Send) -> None:
        headers = list(entry.headers)
        body = entry.body
        if entry.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if self._accepts_gzip(scope):
                body = entry.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
