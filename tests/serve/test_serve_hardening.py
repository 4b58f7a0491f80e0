"""`budgetsite serve` against hostile requests (issue 13 §6): NUL bytes and very long paths get 400/404
(not 500), other websites can neither open the live-reload websocket nor GET /forcereload, and idle
connections are closed.
"""

from __future__ import annotations

import base64
import socket
from urllib.parse import urlsplit

import pytest
from serve_helpers import Served

from budgetsite.serve.server import IDLE_SECONDS, MAX_PATH_CHARS, PreviewApp, QuietServer


def raw_request(served: Served, path: str, headers: dict[str, str] | None = None) -> str:
    """Send one hand-written HTTP/1.1 GET (bytes a browser or urllib would refuse to send); the status line."""
    url = urlsplit(served.url)
    lines = [f"GET {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def websocket_headers(origin: str | None) -> dict[str, str]:
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode(),
        "Sec-WebSocket-Version": "13",
    }
    if origin is not None:
        headers["Origin"] = origin
    return headers


def test_hostile_requests(served_sample: Served) -> None:
    own = f"http://{urlsplit(served_sample.url).netloc}"
    # NUL byte and a 5,000-character path: 500 before.
    assert raw_request(served_sample, "/%00") == "HTTP/1.1 400 Bad Request"
    assert raw_request(served_sample, "/a%00b/index.html") == "HTTP/1.1 400 Bad Request"
    assert raw_request(served_sample, "/" + "a" * 5000) == "HTTP/1.1 404 Not Found"
    assert raw_request(served_sample, "/" + "a/" * 1500) == "HTTP/1.1 404 Not Found"
    # /forcereload reloads every preview tab: a tool may call it, another website may not.
    assert raw_request(served_sample, "/forcereload") == "HTTP/1.1 200 OK"
    assert raw_request(served_sample, "/forcereload", {"Origin": own}) == "HTTP/1.1 200 OK"
    assert (
        raw_request(served_sample, "/forcereload", {"Origin": "http://evil.example"})
        == "HTTP/1.1 403 Forbidden"
    )
    # An <img src=…/forcereload> on another site sends no Origin, but the browser says cross-site.
    assert (
        raw_request(served_sample, "/forcereload", {"Sec-Fetch-Site": "cross-site"})
        == "HTTP/1.1 403 Forbidden"
    )
    # The live-reload websocket: this server's pages only.
    assert (
        raw_request(served_sample, "/livereload", websocket_headers(own))
        == "HTTP/1.1 101 Switching Protocols"
    )
    assert raw_request(served_sample, "/livereload", websocket_headers("http://evil.example")).startswith(
        "HTTP/1.1 403"
    )
    # The site itself still answers.
    assert raw_request(served_sample, "/") == "HTTP/1.1 200 OK"


def test_dns_rebinding_host_is_refused_on_loopback(served_sample: Served) -> None:
    url = urlsplit(served_sample.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(
            f"GET /forcereload HTTP/1.1\r\nHost: evil.example:{url.port}\r\nConnection: close\r\n\r\n".encode()
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 403")


@pytest.mark.parametrize(("path", "status"), [("/\x00", "400"), ("/" + "x" * (MAX_PATH_CHARS + 1), "404")])
def test_preview_app_answers_bad_paths_without_a_500(tmp_path, path: str, status: str) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>ok</title>", encoding="utf-8")
    statuses: list[str] = []
    app = PreviewApp(tmp_path, "/", lambda: None)
    app({"PATH_INFO": path}, lambda s, headers: statuses.append(s))
    assert statuses[0].startswith(status)


def test_idle_connections_time_out(tmp_path) -> None:
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    loop = IOLoop(make_current=False)
    try:
        # Listen on an ephemeral port only to let livereload build its application (and our settings).
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        QuietServer(app=PreviewApp(tmp_path, "/", lambda: None)).application(port, "127.0.0.1")
        conn = HTTPServer(lambda request: None).conn_params
        assert conn.header_timeout == IDLE_SECONDS == 60  # tornado's default: 3,600 s (slowloris)
        assert conn.body_timeout == IDLE_SECONDS
    finally:
        HTTPServer.configure(None)
        loop.close()
