"""The sandbox HTTP server over real HTTP: dispatch, parsing, faults, control endpoints."""

from __future__ import annotations

import threading
import time
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from connectors.sandbox import Reply, Request, Route, SandboxServer, SandboxState, SimClock
from connectors.sandbox.faults import FaultPlan
from connectors.sandbox.server import settings_env, settings_toml

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
# Every byte value, CRLFs and something that looks like a boundary: uploads must survive intact.
BINARY = bytes(range(256)) * 3 + b"\r\n--boundary\r\n\n\r" + bytes(range(255, -1, -1))


def _create(state: SandboxState, request: Request) -> Reply:
    token = request.token()
    if not token or token == "expired":
        return Reply(401, {"title": "Unauthorized"})
    body = request.json() or {}
    post = state.add_post("fake", "me", body.get("text", ""))
    return Reply(201, {"data": {"id": post.id}})


def _echo(state: SandboxState, request: Request, item: str) -> Reply:
    files = {
        name: {"filename": f.filename, "type": f.content_type, "hex": f.data.hex()}
        for name, f in request.files().items()
    }
    return Reply(
        200,
        {
            "item": item,
            "query": request.query,
            "form": request.form(),
            "files": files,
            "token": request.token(),
        },
    )


def _boom(state: SandboxState, request: Request) -> Reply:
    raise RuntimeError("bug in a route")


def _error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    status = {"transient": 503, "rate_limited": 429, "server_error": 500}[kind]
    reset = int((state.now() + timedelta(seconds=60)).timestamp())
    return Reply(status, {"title": kind}, {"x-rate-limit-reset": str(reset)})


FAKE = types.ModuleType("fake_platform")
FAKE.ROUTES = [  # type: ignore[attr-defined]
    Route("POST", r"/2/posts", _create),
    Route("GET", r"/2/echo/(?P<item>\w+)", _echo),
    Route("POST", r"/2/echo/(?P<item>\w+)", _echo),
    Route("GET", r"/2/boom", _boom),
]
FAKE.error_reply = _error_reply  # type: ignore[attr-defined]


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(seed=7, clock=SimClock(START))


@pytest.fixture
def server(state: SandboxState, tmp_path: Path):
    (tmp_path / "hosted").mkdir()
    (tmp_path / "hosted" / "flyer.jpg").write_bytes(b"\xff\xd8flyer")
    (tmp_path / "secret.txt").write_text("not served")
    with SandboxServer(state, platforms=[(r"^/2/", FAKE)], media_dir=tmp_path / "hosted") as srv:
        yield srv


def _post(server: SandboxServer, text: str = "hello", token: str = "t", **kwargs):
    return requests.post(
        f"{server.url}/2/posts",
        json={"text": text},
        headers={"Authorization": f"Bearer {token}"},
        **kwargs,
    )


def test_routes_dispatch_with_named_groups_and_log_requests(server, state) -> None:
    reply = requests.get(f"{server.url}/2/echo/abc?ids=1,2&ids=3", timeout=5)
    assert reply.status_code == 200
    assert reply.json()["item"] == "abc"
    assert reply.json()["query"] == {"ids": ["1,2", "3"]}
    assert _post(server).status_code == 201
    assert [(r.method, r.path, r.status) for r in state.request_log] == [
        ("GET", "/2/echo/abc", 200),
        ("POST", "/2/posts", 201),
    ]


@pytest.mark.parametrize(
    ("headers", "params", "expected"),
    [
        ({"Authorization": "Bearer abc"}, {}, "abc"),
        ({"Authorization": 'OAuth oauth_consumer_key="k", oauth_token="tok%2B1"'}, {}, "tok+1"),
        ({}, {"access_token": "graph-token"}, "graph-token"),
        ({}, {}, None),
    ],
)
def test_token_is_found_however_it_was_sent(server, headers, params, expected) -> None:
    reply = requests.get(f"{server.url}/2/echo/t", headers=headers, params=params, timeout=5)
    assert reply.json()["token"] == expected


def test_form_and_multipart_bodies_are_parsed(server) -> None:
    form = requests.post(
        f"{server.url}/2/echo/f", data={"message": "hi there", "published": "false"}, timeout=5
    ).json()
    assert form["form"] == {"message": "hi there", "published": "false"}
    multipart = requests.post(
        f"{server.url}/2/echo/m",
        data={"media_category": "tweet_image"},
        files={"media": ("photo.jpg", BINARY, "image/jpeg")},
        timeout=5,
    ).json()
    assert multipart["form"] == {"media_category": "tweet_image"}
    assert multipart["files"] == {
        "media": {"filename": "photo.jpg", "type": "image/jpeg", "hex": BINARY.hex()}
    }


def test_expired_token_and_unknown_routes(server) -> None:
    assert _post(server, token="expired").status_code == 401
    missing = requests.get(f"{server.url}/2/nothing", timeout=5)
    assert missing.status_code == 404 and "no sandbox route" in missing.json()["error"]
    other = requests.get(f"{server.url}/v25.0/me", timeout=5)
    assert other.status_code == 404 and "does not emulate" in other.json()["error"]


def test_a_route_bug_answers_500_instead_of_hanging(server) -> None:
    reply = requests.get(f"{server.url}/2/boom", timeout=5)
    assert reply.status_code == 500 and "internal error" in reply.json()["error"]


@pytest.mark.parametrize(
    ("plan", "status", "applied"),
    [
        ({"rate_limit_rate": 1.0}, 429, 0),
        ({"error_rate": 1.0}, 503, 0),
        ({"created_but_500_rate": 1.0}, 500, 1),
    ],
)
def test_faults_decide_whether_the_request_applied(server, state, plan, status, applied) -> None:
    assert requests.post(f"{server.url}/_sandbox/faults", json=plan, timeout=5).ok
    reply = _post(server, "once")
    assert reply.status_code == status
    assert state.times_posted("fake", "once") == applied
    if status == 429:
        assert int(reply.headers["x-rate-limit-reset"]) == int(START.timestamp()) + 60


def test_timeout_fault_applies_the_request_but_answers_too_late(server, state) -> None:
    state.faults.configure(FaultPlan(timeout_rate=1.0, timeout_seconds=1.0, max_faults=1))
    with pytest.raises(requests.Timeout):
        _post(server, "slow", timeout=0.3)
    assert state.times_posted("fake", "slow") == 1
    assert _post(server, "fast", timeout=5).status_code == 201  # max_faults reached


def test_request_answered_late_is_logged_where_it_arrived(server, state) -> None:
    """A request whose answer a timeout fault delays is logged before the requests sent
    after the client gave up, at the time it arrived (the fault run judges whether the
    daemon honoured a rate limit by this order)."""
    state.faults.configure(FaultPlan(timeout_rate=1.0, timeout_seconds=1.0, max_faults=1))
    with pytest.raises(requests.Timeout):
        _post(server, "slow", timeout=0.3)
    arrived = state.now()
    state.clock.advance(timedelta(seconds=5))
    assert _post(server, "fast", timeout=5).status_code == 201
    deadline = time.monotonic() + 10
    while len(state.request_log) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # the slow one is answered (and logged) about a second later
    assert [(r.time, r.status) for r in state.request_log] == [
        (arrived, 201),
        (arrived + timedelta(seconds=5), 201),
    ]


def test_faults_spare_the_control_endpoints(server, state) -> None:
    state.faults.configure(FaultPlan(error_rate=1.0))
    assert requests.get(f"{server.url}/_sandbox/posts", timeout=5).status_code == 200


def test_control_endpoints_inspect_and_steer(server, state) -> None:
    hint = {"text_contains": "first", "kind": "event"}
    assert requests.post(f"{server.url}/_sandbox/hints", json=hint, timeout=5).ok
    _post(server, "first")
    assert state.posts("fake")[0].kind == "event"
    posts = requests.get(f"{server.url}/_sandbox/posts?platform=fake", timeout=5).json()
    assert [p["text"] for p in posts] == ["first"]
    assert posts[0]["created_at"] == START.isoformat()
    clock = requests.post(f"{server.url}/_sandbox/clock", json={"advance_seconds": 3600}, timeout=5)
    assert clock.json()["now"] == (START + timedelta(hours=1)).isoformat()
    requests.post(f"{server.url}/_sandbox/clock", json={"set": "2026-12-01T00:00:00Z"}, timeout=5)
    assert state.now() == datetime(2026, 12, 1, tzinfo=UTC)
    comments = requests.get(
        f"{server.url}/_sandbox/comments",
        params={"platform": "fake", "post_id": posts[0]["id"]},
        timeout=5,
    ).json()
    assert comments and {"author", "text", "created_at", "category"} <= set(comments[0])
    logged = requests.get(f"{server.url}/_sandbox/requests", timeout=5).json()
    assert [(r["method"], r["path"], r["status"]) for r in logged] == [("POST", "/2/posts", 201)]
    _post(server, "first")
    summary = requests.get(f"{server.url}/_sandbox", timeout=5).json()
    assert summary["posts"] == {"fake": 2}
    assert summary["duplicates"] == [{"platform": "fake", "text": "first", "times": 2}]
    assert requests.post(f"{server.url}/_sandbox/reset", timeout=5).ok
    assert state.posts() == []


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/_sandbox/faults", {"error_rate": 3}, "between 0 and 1"),
        ("/_sandbox/faults", {"nonsense": 1}, "unknown fault setting"),
        ("/_sandbox/clock", {"advance_seconds": -5}, "only moves forward"),
        ("/_sandbox/clock", {"when": "soon"}, "advance_seconds"),
        ("/_sandbox/clock", {"set": "2026-12-01T00:00:00"}, "aware"),
        ("/_sandbox/hints", {"text_contains": "x", "kind": "party"}, "unknown post kind"),
    ],
)
def test_bad_control_requests_say_what_is_wrong(server, path, body, message) -> None:
    reply = requests.post(f"{server.url}{path}", json=body, timeout=5)
    assert reply.status_code == 400 and message in reply.json()["error"]


def test_hosted_media_is_served_and_confined_to_its_folder(server) -> None:
    ok = requests.get(f"{server.url}/_sandbox/hosted/flyer.jpg", timeout=5)
    assert ok.status_code == 200 and ok.content == b"\xff\xd8flyer"
    assert ok.headers["Content-Type"] == "image/jpeg"
    escape = requests.get(f"{server.url}/_sandbox/hosted/%2E%2E/secret.txt", timeout=5)
    assert escape.status_code == 404


def test_concurrent_clients_are_all_served(server, state) -> None:
    errors: list[BaseException] = []

    def client(n: int) -> None:
        try:
            with requests.Session() as session:
                for i in range(15):
                    reply = session.post(
                        f"{server.url}/2/posts",
                        json={"text": f"{n}-{i}"},
                        headers={"Authorization": "Bearer t"},
                        timeout=10,
                    )
                    assert reply.status_code == 201
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({p.id for p in state.posts("fake")}) == 120


def test_port_in_use_is_an_os_error(server) -> None:
    with pytest.raises(OSError):
        SandboxServer(SandboxState(), port=server.port)


def test_settings_snippet_points_every_connector_at_the_server() -> None:
    import tomllib

    from config.settings import Settings

    parsed = tomllib.loads(settings_toml("http://127.0.0.1:9999"))
    settings = Settings(**parsed)
    assert settings.x.base_url == settings.facebook.base_url == "http://127.0.0.1:9999"
    assert settings.instagram.base_url == "http://127.0.0.1:9999"
    assert settings.facebook.page_id == "100000000000001"
    assert all(name.startswith("BEATPOST_") for name in settings_env())


def test_chunked_request_bodies_are_read(server) -> None:
    def chunks():
        yield b"message=hello"
        yield b"+world&published=true"

    reply = requests.post(
        f"{server.url}/2/echo/c",
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )
    assert reply.json()["form"] == {"message": "hello world", "published": "true"}


def test_a_client_gone_mid_request_is_no_traceback(capsys):
    """A killed daemon's half-sent request is ordinary for the sandbox: no traceback printed."""
    import socket
    import struct
    import urllib.request

    from connectors.sandbox import SandboxServer, SandboxState

    with SandboxServer(SandboxState(seed=1)) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            # Promise a body, send part of it, then reset the connection.
            sock.sendall(b"POST /2/tweets HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
            linger_zero = struct.pack("ii", 1, 0)  # close() sends a reset, as a killed process does
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_zero)
        # The server still answers the next client.
        with urllib.request.urlopen(f"{server.url}/_sandbox/posts", timeout=5) as reply:
            assert reply.status == 200
    assert "Traceback" not in capsys.readouterr().err
