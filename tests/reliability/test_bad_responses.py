"""Malformed platform answers: a typed ConnectorError (or a valid result), never anything else.

Hypothesis serves each connector method a sequence of answers through ``responses``: recorded
platform bodies with a value replaced by the wrong type, a null, a huge number or a nested
junk value; the same bodies cut off mid-JSON; arbitrary JSON; HTML error pages; empty and
non-UTF-8 bodies; with any status and garbled rate-limit headers. Whatever comes back, the
daemon must get either the documented result type or a ``ConnectorError`` it knows how to act
on. (Campaign files are fuzzed in tests/campaigns/test_fuzz.py.)

The daemon half: a connector raising arbitrary exceptions never ends a round badly; the
delivery lands in a state a person can see, with the reason.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import Comment, MediaFile, MetricSnapshot, OutgoingPost, Published
from connectors.errors import ConnectorError
from connectors.facebook import FacebookConnector
from connectors.graph import GraphClient
from connectors.hosting import MediaHost
from connectors.instagram import InstagramConnector
from connectors.x import XConnector
from store import State
from tests.daemon.rig import make_rig
from tests.ledger_fixtures import T0, db_url_engine, engine, plan  # noqa: F401 - fixtures

DATA = Path(__file__).resolve().parents[1] / "connectors" / "data"
BASE = "https://api.example.test"
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
# Instagram's photo: its prepared copy goes to a temporary publish folder, and the web server's
# address for it answers with that copy once, before the drawn answers (see _serve_hosted).
PHOTO = Path(__file__).resolve().parents[2] / "campaigns" / "examples" / "media" / "career-fair.jpg"
HOSTED = "https://pd.example.gov/public-media"


def _recorded(folder: str) -> list[Any]:
    return [json.loads(p.read_text()) for p in sorted((DATA / folder).glob("*.json"))]


RECORDED = {"x": _recorded("x"), "graph": _recorded("graph")}
KEYS = [
    # X
    "data",
    "id",
    "text",
    "errors",
    "meta",
    "next_token",
    "result_count",
    "includes",
    "users",
    "username",
    "public_metrics",
    "non_public_metrics",
    "organic_metrics",
    "impression_count",
    "like_count",
    "created_at",
    "conversation_id",
    "author_id",
    "referenced_tweets",
    "type",
    "title",
    "detail",
    "status",
    "entities",
    "urls",
    "expanded_url",
    "resource_id",
    # Graph
    "error",
    "message",
    "code",
    "error_subcode",
    "is_transient",
    "post_id",
    "paging",
    "next",
    "cursors",
    "after",
    "created_time",
    "permalink_url",
    "insights",
    "values",
    "value",
    "name",
    "status_code",
    "from",
    "timestamp",
    "comments_count",
    "media_type",
    "quota_usage",
    "config",
    "parent",
    "replies",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", "0", "-1", "1e309", "2026-13-45T99:99:99Z", "NaN", "null", "[]"])
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=15,
)


def _paths(doc: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*here, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*here, index))
    return found


def _replace(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


@st.composite
def mutated(draw: st.DrawFn, family: str) -> Any:
    """A recorded body of the platform with one to three values replaced by junk."""
    doc = draw(st.sampled_from(RECORDED[family]))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        doc = _replace(doc, path, draw(junk))
    return doc


def _json_bytes(doc: Any) -> bytes:
    return json.dumps(doc, allow_nan=True).encode()


@st.composite
def answers(draw: st.DrawFn, family: str) -> tuple[int, dict[str, str], bytes]:
    status = draw(st.sampled_from([200, 200, 201, 400, 401, 403, 404, 429, 500, 502, 503]))
    kind = draw(
        st.sampled_from(["mutated", "mutated", "truncated", "json", "html", "empty", "bytes"])
    )
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if kind == "mutated":
        body = _json_bytes(draw(mutated(family)))
    elif kind == "truncated":
        whole = _json_bytes(draw(st.sampled_from(RECORDED[family])))
        body = whole[: draw(st.integers(0, max(len(whole) - 1, 0)))]
    elif kind == "json":
        body = _json_bytes(draw(junk))
    elif kind == "html":
        headers["Content-Type"] = "text/html"
        body = (
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
            f"<h1>{draw(st.text(max_size=20))}</h1><p>nginx</p></body></html>"
        ).encode()
    elif kind == "empty":
        body = b""
    else:
        body = draw(st.binary(max_size=40))
    if draw(st.booleans()):
        garble = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
        headers.update(
            {
                "x-rate-limit-remaining": draw(garble),
                "x-rate-limit-reset": draw(garble | st.just("99999999999999999999")),
                "x-user-limit-24hour-reset": draw(garble),
                "Retry-After": draw(garble),
                "X-Business-Use-Case-Usage": draw(garble | st.just('{"1":[{"type":1}]}')),
                "X-App-Usage": draw(garble),
            }
        )
    return status, headers, body


def _serve(mock: responses.RequestsMock, replies: list[tuple[int, dict[str, str], bytes]]):
    """Every request gets the next drawn answer; the last one repeats."""
    queue = list(replies)

    def answer(_request: requests.PreparedRequest):
        return queue.pop(0) if len(queue) > 1 else queue[0]

    for method in ("GET", "POST", "DELETE"):
        mock.add_callback(method, re.compile(r".*"), callback=answer)


def _graph(platform: str) -> GraphClient:
    return GraphClient(
        platform=platform,
        base_url=BASE,
        api_version="v25.0",
        access_token="fuzz-token",
        timeout=5,
        sleep=lambda _s: None,
        now=lambda: NOW,
    )


def make_connector(platform: str, publish_dir: Path):
    if platform == "x":
        return XConnector(
            api_key="k" * 8,
            api_secret="s" * 8,
            access_token="t" * 8,
            access_token_secret="u" * 8,
            user_id="1500000000000000001",
            username="SpringfieldPD",
            base_url=BASE,
            timeout_seconds=5,
            clock=lambda: NOW,
        )
    if platform == "facebook":
        return FacebookConnector(
            page_id="100000000000001",
            client=_graph("facebook"),
            insights_metrics=["post_media_view", "post_clicks_by_type"],
        )
    return InstagramConnector(
        ig_user_id="17841400000000001",
        client=_graph("instagram"),
        poll_interval=0.0,
        poll_timeout=0.05,
        sleep=lambda _s: None,
        host=MediaHost(publish_dir=publish_dir, base_url=HOSTED),
    )


def _serve_hosted(mock: responses.RequestsMock, publish_dir: Path) -> None:
    def answer(request: requests.PreparedRequest):
        copy = publish_dir / str(request.url).rpartition("/")[2]
        return (200, {}, copy.read_bytes()) if copy.is_file() else (404, {}, b"")

    mock.add_callback("GET", re.compile(re.escape(HOSTED) + "/"), callback=answer)


def _post(platform: str, resume: bool) -> OutgoingPost:
    media: tuple[MediaFile, ...] = ()
    if platform == "instagram":
        media = (MediaFile(PHOTO, "Recruits at the fair", "image/jpeg"),)
    return OutgoingPost(
        key="spring/p1/{platform}/once",
        text="Join us Thursday at the career fair https://pd.example.gov/jobs",
        media=media,
        link="https://pd.example.gov/jobs",
        scheduled_at=NOW - timedelta(minutes=5),
        resume={"container_id": "17800000000000001"} if resume and media else {},
    )


CALLS = {
    "publish": lambda c, platform, resume: c.publish(_post(platform, resume)),
    "find_published": lambda c, platform, resume: c.find_published(
        _post(platform, resume), NOW - timedelta(hours=1)
    ),
    "fetch_metrics": lambda c, platform, resume: c.fetch_metrics(
        ["1445880548472328192", "100000000000001_122100000000000001", "17900000000000001"]
    ),
    "fetch_comments": lambda c, platform, resume: c.fetch_comments(
        "1445880548472328192", NOW - timedelta(days=1) if resume else None
    ),
}


def _valid(method: str, result: Any) -> bool:
    if method == "publish":
        return isinstance(result, Published) and bool(result.platform_id)
    if method == "find_published":
        return result is None or isinstance(result, Published)
    item = MetricSnapshot if method == "fetch_metrics" else Comment
    return isinstance(result, list) and all(isinstance(r, item) for r in result)


@pytest.mark.parametrize("method", sorted(CALLS))
@pytest.mark.parametrize("platform", ["x", "facebook", "instagram"])
def test_malformed_answers_give_a_typed_error_or_a_valid_result(
    platform: str, method: str, tmp_path: Path
):
    family = "x" if platform == "x" else "graph"

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(replies=st.lists(answers(family), min_size=1, max_size=4), resume=st.booleans())
    def check(replies, resume):
        connector = make_connector(platform, tmp_path)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            _serve_hosted(mock, tmp_path)
            _serve(mock, replies)
            try:
                result = CALLS[method](connector, platform, resume)
            except ConnectorError:
                return
            except Exception as exc:  # the point of the test: nothing else may escape
                raise AssertionError(
                    f"{platform}.{method} raised {type(exc).__name__}: {exc!r} for answers "
                    f"{[(s, b[:200]) for s, _h, b in replies]}"
                ) from exc
        assert _valid(method, result), f"{platform}.{method} returned {result!r}"

    check()


# -- the daemon: a connector raising anything ------------------------------------------------


class Exploding:
    """A connector whose publish and find_published raise whatever it is given."""

    def __init__(self, error: BaseException):
        self.error = error
        self.platform = "x"

    def publish(self, post: OutgoingPost) -> Published:
        raise self.error

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        raise self.error


ERRORS = st.sampled_from(
    [
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        ZeroDivisionError,
        UnicodeDecodeError,
        RecursionError,
        OverflowError,
        json.JSONDecodeError,
        OSError,
        TimeoutError,
        ConnectionResetError,
        requests.ConnectionError,
        requests.ReadTimeout,
        requests.exceptions.ChunkedEncodingError,
        RuntimeError,
        NotImplementedError,
        AssertionError,
    ]
)


def _instance(kind: type[BaseException], message: str) -> BaseException:
    if kind is UnicodeDecodeError:
        return UnicodeDecodeError("utf-8", message.encode()[:8] or b"\xff", 0, 1, "invalid")
    if kind is json.JSONDecodeError:
        return json.JSONDecodeError(message or "Expecting value", "<html>", 0)
    return kind(message)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(kind=ERRORS, message=st.text(max_size=300))
def test_a_connector_raising_anything_never_ends_the_daemon_badly(tmp_path_factory, kind, message):
    from store import make_engine, upgrade

    folder = tmp_path_factory.mktemp("explode")
    db = make_engine(f"sqlite:///{folder / 'ledger.db'}")
    upgrade(db)
    rig = make_rig(db, folder, T0, [plan("boom", at=T0), plan("next", at=T0 + timedelta(hours=1))])
    rig.daemon.publisher.connector_for = lambda platform: Exploding(_instance(kind, message))
    rig.daemon.prepare()
    rig.at(T0 + timedelta(seconds=1))
    boom = rig.delivery("spring/boom/x/once")
    assert boom.state in (State.UNKNOWN, State.FAILED), boom
    assert boom.reason and kind.__name__ in boom.reason
    # The uncertain outcome is checked later, and the check failing the same way is fine too.
    rig.at(T0 + timedelta(minutes=5))
    assert rig.delivery("spring/boom/x/once").state in (State.UNKNOWN, State.FAILED)
    # The daemon goes on: the next delivery is attempted at its time.
    rig.daemon.publisher.connector_for = rig.platforms
    rig.at(T0 + timedelta(hours=1, seconds=1))
    assert rig.delivery("spring/next/x/once").state == State.PUBLISHED
    db.dispose()
