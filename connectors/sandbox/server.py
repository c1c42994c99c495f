"""The sandbox HTTP server: standard-library ``ThreadingHTTPServer`` on loopback.

Platform route modules plug in by path prefix (X API v2 under ``/2/``, the Graph API under
``/v{N}.{M}/``). Each exports ``ROUTES: list[Route]`` and ``error_reply(kind, state, request)``
giving that platform's error shape for ``kind`` in {"transient", "rate_limited",
"server_error"}. The server logs every request, applies the fault plan to platform routes and
serves the ``/_sandbox/`` inspection and control endpoints.
"""

from __future__ import annotations

import importlib
import json
import logging
import mimetypes
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from connectors.sandbox.faults import Fault, FaultPlan
from connectors.sandbox.state import SandboxState

log = logging.getLogger(__name__)

# Generous: media uploads carry whole images, and whole videos where the platform takes one
# request (Bluesky's uploadVideo up to 300,000,000 bytes, a Mastodon server's 99 MB).
MAX_BODY_BYTES = 320 * 1024 * 1024
_TOKEN_IN_QUERY = re.compile(r"(access_token=)[^&\s\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart/form-data body."""

    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes = b""
    _form: dict[str, str] | None = field(default=None, repr=False)
    _files: dict[str, UploadedFile] | None = field(default=None, repr=False)

    def header(self, name: str, default: str | None = None) -> str | None:
        """A request header, case-insensitive."""
        value = self.headers.get(name)
        return default if value is None else str(value)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``, else of form field ``name``."""
        values = self.query.get(name)
        if values:
            return values[0]
        return self.form().get(name, default)

    def json(self) -> Any:
        """The body parsed as JSON; ValueError (with a clear message) if it is not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"request body is not JSON: {exc}") from None

    def json_object(self, missing: str) -> dict[str, Any]:
        """The body as a JSON object; ValueError saying why not (``missing`` when the body is
        JSON but no object)."""
        body = self.json()
        if not isinstance(body, dict):
            raise ValueError(missing)
        return body

    def form(self) -> dict[str, str]:
        """Fields of an urlencoded or multipart body (last value wins), text only."""
        if self._form is None:
            self._parse_form()
        assert self._form is not None
        return self._form

    def files(self) -> dict[str, UploadedFile]:
        """File parts of a multipart/form-data body, by field name."""
        if self._files is None:
            self._parse_form()
        assert self._files is not None
        return self._files

    def token(self) -> str | None:
        """The access token however it was sent: Bearer, OAuth 1.0a header, or access_token.

        Platform modules decide what a missing or ``"expired"`` token means for them.
        """
        auth = self.header("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() or None
        if auth.lower().startswith("oauth "):
            match = re.search(r'oauth_token="([^"]*)"', auth)
            if match:
                return unquote(match.group(1)) or None
            return auth[6:].strip() or None  # Meta's upload host: "OAuth <token>"
        return self.arg("access_token") or None

    def _parse_form(self) -> None:
        content_type = (self.header("Content-Type") or "").lower()
        self._form, self._files = {}, {}
        if content_type.startswith("application/x-www-form-urlencoded"):
            parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            self._form = {key: values[-1] for key, values in parsed.items()}
        elif content_type.startswith("multipart/form-data"):
            head = f"Content-Type: {self.header('Content-Type')}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(head + self.body)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None or not part.get_content_type().startswith("text/"):
                    self._files[str(name)] = UploadedFile(
                        str(name), filename, part.get_content_type(), payload
                    )
                if filename is None:
                    self._form[str(name)] = payload.decode("utf-8", "replace")


@dataclass
class Reply:
    status: int
    body: Any = None  # dict/list -> JSON; str/bytes as is; None -> empty
    headers: dict[str, str] | None = None

    def encode(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers or {})
        if self.body is None:
            data = b""
        elif isinstance(self.body, bytes):
            data = self.body
            headers.setdefault("Content-Type", "application/octet-stream")
        elif isinstance(self.body, str):
            data = self.body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        else:
            data = json.dumps(self.body, default=_json_default, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return data, headers


Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Route:
    """``pattern`` is a regex matched against the whole path; named groups become kwargs."""

    method: str
    pattern: str
    handler: Handler
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern))

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method.upper() != self.method.upper():
            return None
        found = self._regex.fullmatch(path)
        return None if found is None else found.groupdict()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _platform_modules() -> list[str]:
    """The sandbox modules named in the platform table, each once (one module may play several
    platforms: graph_api plays Facebook and Instagram). Each module's ``PATHS`` pattern says
    which request paths it answers."""
    from connectors.platforms import TABLE

    return list(dict.fromkeys(p.sandbox for p in TABLE.values() if p.sandbox))


def _load_platform_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None  # that platform is not emulated in this build
        raise


class SandboxServer:
    """Serves ``state`` over HTTP on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self,
        state: SandboxState,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        platforms: Sequence[tuple[str, ModuleType]] | None = None,
        media_dir: Path | None = None,
    ) -> None:
        """``platforms`` replaces the built-in (path regex, route module) table (tests).

        ``media_dir``: files served read-only under ``/_sandbox/hosted/`` (stands in for the
        department's web server that Instagram fetches images from).
        """
        self.state = state
        self.media_dir = media_dir.resolve() if media_dir is not None else None
        self._modules: list[tuple[re.Pattern[str], ModuleType | None]]
        if platforms is None:
            loaded = [_load_platform_module(name) for name in _platform_modules()]
            self._modules = [(module.PATHS, module) for module in loaded if module is not None]
        else:
            self._modules = [(re.compile(prefix), module) for prefix, module in platforms]
        self._httpd = _HTTPServer((host, port), _RequestHandler, self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"sandbox:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop()`` (or Ctrl-C in the caller)."""
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- dispatch ------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        if request.path.startswith("/_sandbox/") or request.path == "/_sandbox":
            return self._control(request)
        module = self._module_for(request.path)
        if module is None:
            return Reply(404, {"error": f"the sandbox does not emulate {request.path}"})
        for route in getattr(module, "ROUTES", ()):
            groups = route.match(request.method, request.path)
            if groups is not None:
                return self._with_faults(module, route, request, groups)
        not_found = getattr(module, "not_found_reply", None)
        if not_found is not None:
            return not_found(self.state, request)
        return Reply(404, {"error": f"no sandbox route for {request.method} {request.path}"})

    def _module_for(self, path: str) -> ModuleType | None:
        for prefix, module in self._modules:
            if prefix.search(path):
                return module
        return None

    def _with_faults(
        self, module: ModuleType, route: Route, request: Request, groups: dict[str, str]
    ) -> Reply:
        plan = self.state.faults.plan
        fault = self.state.faults.draw(request.method, request.path)
        if plan.latency_seconds:
            time.sleep(plan.latency_seconds)
        if fault is Fault.RATE_LIMITED:
            return module.error_reply("rate_limited", self.state, request)
        if fault is Fault.ERROR:
            return module.error_reply("transient", self.state, request)
        reply = route.handler(self.state, request, **groups)
        if fault is Fault.CREATED_BUT_500:
            return module.error_reply("server_error", self.state, request)
        if fault is Fault.TIMEOUT:
            # The work is done; the answer arrives after the client has given up.
            time.sleep(plan.timeout_seconds)
        return reply

    # ---- /_sandbox -----------------------------------------------------------------------
    def _control(self, request: Request) -> Reply:
        state = self.state
        route = (request.method, request.path.rstrip("/"))
        try:
            if route == ("GET", "/_sandbox/posts"):
                platform = request.arg("platform")
                deleted = request.arg("include_deleted", "false") in ("1", "true")
                return Reply(200, [p.to_json() for p in state.posts(platform, None, deleted)])
            if route == ("GET", "/_sandbox/media"):
                return Reply(200, [m.to_json() for m in state.media(request.arg("platform"))])
            if route == ("GET", "/_sandbox/comments"):
                platform, post_id = request.arg("platform"), request.arg("post_id")
                if not platform or not post_id:
                    return Reply(400, {"error": "platform and post_id are required"})
                return Reply(200, [c.to_json() for c in state.comments(platform, post_id)])
            if route == ("GET", "/_sandbox/metrics"):
                platform, post_id = request.arg("platform"), request.arg("post_id")
                if not platform or not post_id:
                    return Reply(400, {"error": "platform and post_id are required"})
                return Reply(200, state.metrics(platform, post_id))
            if route == ("GET", "/_sandbox/requests"):
                return Reply(200, [r._asdict() for r in state.requests()])
            if route in (("GET", "/_sandbox/clock"), ("POST", "/_sandbox/clock")):
                if request.method == "POST":
                    self._set_clock(request.json() or {})
                return Reply(200, {"now": state.now().isoformat(), "running": state.clock.running})
            if route in (("GET", "/_sandbox/faults"), ("POST", "/_sandbox/faults")):
                if request.method == "POST":
                    state.faults.configure(FaultPlan.from_dict(request.json() or {}))
                return Reply(200, state.faults.plan.to_dict())
            if route == ("POST", "/_sandbox/hints"):
                body = request.json() or {}
                if not isinstance(body, dict):
                    raise ValueError('hint body must be {"text_contains": "...", "kind": "event"}')
                state.hint_kind(str(body.get("text_contains") or ""), body.get("kind"))
                return Reply(200, {"hinted": True})
            if route == ("POST", "/_sandbox/reset"):
                state.reset()
                return Reply(200, {"reset": True})
            if route == ("GET", "/_sandbox"):
                return Reply(200, self.summary())
            if request.method == "GET" and request.path.startswith("/_sandbox/hosted/"):
                return self._hosted(request.path.removeprefix("/_sandbox/hosted/"))
        except KeyError as exc:
            return Reply(404, {"error": str(exc.args[0]) if exc.args else "not found"})
        except (ValueError, TypeError) as exc:
            return Reply(400, {"error": str(exc)})
        return Reply(404, {"error": f"no sandbox control endpoint {request.method} {request.path}"})

    def _hosted(self, relative: str) -> Reply:
        if self.media_dir is None:
            return Reply(404, {"error": "no media folder is hosted (start with media_dir)"})
        target = (self.media_dir / unquote(relative)).resolve()
        if not target.is_relative_to(self.media_dir) or not target.is_file():
            return Reply(404, {"error": f"no hosted file {relative}"})
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Reply(200, target.read_bytes(), {"Content-Type": mime})

    def _set_clock(self, body: dict[str, Any]) -> None:
        if not isinstance(body, dict):
            raise ValueError('clock body must be {"advance_seconds": n} or {"set": iso}')
        if "advance_seconds" in body:
            self.state.clock.advance(timedelta(seconds=float(body["advance_seconds"])))
        elif "set" in body:
            self.state.clock.set(datetime.fromisoformat(str(body["set"]).replace("Z", "+00:00")))
        else:
            raise ValueError('clock body must be {"advance_seconds": n} or {"set": iso}')

    def settings_toml(self) -> str:
        """The beatpost.toml lines that point every connector at this server."""
        return settings_toml(self.url)

    def summary(self) -> dict[str, Any]:
        state = self.state
        counts: dict[str, int] = {}
        for post in state.posts():
            counts[post.platform] = counts.get(post.platform, 0) + 1
        return {
            "now": state.now().isoformat(),
            "seed": state.seed,
            "posts": counts,
            "duplicates": [
                {"platform": platform, "text": text, "times": times}
                for (platform, text), times in state.duplicates().items()
            ],
            "requests": len(state.request_log),
            "faults": state.faults.plan.to_dict(),
            "platforms": {prefix.pattern: module is not None for prefix, module in self._modules},
        }


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request (a killed daemon, a timeout) is ordinary here:
        # note it, without the traceback socketserver prints by default.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            log.debug("sandbox: client %s went away: %r", client_address, exc)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "beatpost-sandbox"
    # Headers and body leave in one segment, without Nagle's delay: otherwise every keep-alive
    # reply waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def _dispatch(self) -> None:
        sandbox = self.server.sandbox
        split = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError as exc:
            self.close_connection = True
            self._send(Reply(413 if "too large" in str(exc) else 400, {"error": str(exc)}))
            return
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
        )
        platform = not request.path.startswith("/_sandbox")
        # Taken before the handler, which may hold the state's lock while it fetches a
        # hosted image from this very server (a /_sandbox request: neither taken nor logged).
        arrival = sandbox.state.request_arrived() if platform else None
        try:
            reply = sandbox.handle(request)
        except Exception:  # a sandbox bug must answer 500, not hang the client
            log.error(
                "sandbox handler failed for %s %s\n%s",
                self.command,
                split.path,
                traceback.format_exc(),
            )
            reply = Reply(500, {"error": "sandbox internal error (see server log)"})
        if platform:
            sandbox.state.log_request(self.command, split.path, reply.status, arrival)
        self._send(reply)

    def _read_body(self) -> bytes:
        """The request body, by Content-Length or chunked transfer encoding."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            size = 0
            while True:
                line = self.rfile.readline(1024)
                try:
                    length = int(line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise ValueError("malformed chunked request body") from None
                if length == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                size += length
                if size > MAX_BODY_BYTES:
                    raise ValueError("request body too large")
                chunks.append(self.rfile.read(length))
                self.rfile.readline(1024)  # the CRLF after each chunk
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ValueError("Content-Length is not a number") from None
        if length > MAX_BODY_BYTES:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply) -> None:
        data, headers = reply.encode()
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout fault); the work was done regardless

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # The request line carries Graph API tokens in its query string.
        log.debug("sandbox %s", _TOKEN_IN_QUERY.sub(r"\1[redacted]", format % args))


# Fake credentials: the sandbox accepts any non-empty token except "expired".
SANDBOX_TOKEN = "sandbox-token"


def _secret_fields() -> dict[str, tuple[str, ...]]:
    """Each platform the sandbox plays -> its credential fields (from the platform table)."""
    from connectors.platforms import TABLE

    return {name: p.secret_fields for name, p in TABLE.items() if p.sandbox}


def settings_overrides(url: str, token: str = SANDBOX_TOKEN) -> dict[str, dict[str, Any]]:
    """Settings sections pointing every connector at the sandbox at ``url``, with credentials.

    Pass as ``load_settings(path, overrides=...)`` (or ``Settings(**...)``). ``token="expired"``
    makes every platform answer with its authentication error.
    """
    from connectors.platforms import TABLE

    sections: dict[str, dict[str, Any]] = {}
    for name, row in TABLE.items():
        module = _load_platform_module(row.sandbox) if row.sandbox else None
        if module is None:
            continue
        sections[name] = {"base_url": url, **module.sandbox_settings(name, url)}
        sections[name].update({field: token for field in row.secret_fields})
    return sections


def settings_toml(url: str) -> str:
    """beatpost.toml sections (no credentials) that point the connectors at ``url``."""
    lines: list[str] = []
    secret_fields = _secret_fields()
    for section, values in settings_overrides(url).items():
        lines.append(f"[{section}]")
        lines += [
            f"{name} = {json.dumps(value)}"
            for name, value in values.items()
            if name not in secret_fields[section]
        ]
        lines.append("")
    return "\n".join(lines).rstrip()


def settings_env(token: str = SANDBOX_TOKEN) -> dict[str, str]:
    """Environment variables carrying the (fake) sandbox credentials every connector needs."""
    return {
        f"BEATPOST_{section.upper()}__{name.upper()}": token
        for section, names in _secret_fields().items()
        for name in names
    }
