"""X connector against recorded-shape responses (``responses``), plus real loopback sockets for
the transport failures (refused connection, no answer).

Bodies live in tests/connectors/data/x/ (sources in its README). One helper, ``answer``, mocks a
route; the tables below list ``(scenario, status, headers, body, expected)`` rows.
"""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from PIL import Image

from connectors.base import MediaFile, OutgoingPost, OutgoingReply
from connectors.errors import (
    AuthError,
    ConnectorError,
    ConnectorUnavailable,
    DuplicateContent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.x import (
    MAX_QUERY_LENGTH,
    XConnector,
    build_conversation_queries,
    normalise_text,
    snowflake_time,
)

DATA = Path(__file__).parent / "data" / "x"
BASE = "https://api.x.test"
USER_ID = "1500000000000000001"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECRETS = {
    "api_key": "ck-Zr8pQ2xL1vN5tY7uW3",
    "api_secret": "cs-Hq4mK9sD2fG6jB1nV8cX0zA5",
    "access_token": "1500000000000000001-AtKpL0mN3bV6cX9zQ2wE5r",
    "access_token_secret": "ats-Ym7uJ4hG1fD8sA5qW2eR9t",
    "bearer_token": "AAAAAAAAAAAAAAAAAAAAAbearer-Fx3Lk9Qm2Wp7Zt4",
}


# -- helpers ------------------------------------------------------------------------------------


def fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def make_id(when: datetime, seq: int = 0) -> str:
    """An X snowflake id created at ``when``."""
    millis = int(when.timestamp() * 1000) - 1288834974657
    return str((millis << 22) | (seq & 0x3FFFFF))


def connector(**overrides) -> XConnector:
    options = dict(SECRETS, user_id=USER_ID, username="SpringfieldPD", base_url=BASE)
    options.update(overrides)
    options.setdefault("clock", lambda: NOW)
    return XConnector(**options)


def answer(method: str, path: str, status: int, headers: dict | None, body) -> None:
    """Register one response; ``body`` is a fixture file name, a dict, or raw text."""
    if isinstance(body, str) and body and (DATA / body).is_file():
        text = fixture(body)
        ctype = "text/html" if body.endswith(".html") else "application/json"
    elif isinstance(body, (dict, list)):
        text, ctype = json.dumps(body), "application/json"
    else:
        text, ctype = body or "", "text/plain"
    responses.add(
        method, BASE + path, body=text, status=status, headers=headers or {}, content_type=ctype
    )


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def _header(request, name: str) -> str:
    value = request.headers[name]
    return value.decode() if isinstance(value, bytes) else value


def epoch(dt: datetime) -> str:
    return str(int(dt.timestamp()))


POST = OutgoingPost(key="k1", text="Join the Springfield PD info night on Thursday")
RESET_15M = NOW + timedelta(minutes=9)
RESET_24H = NOW + timedelta(hours=20)


# -- publish: success and every error family -----------------------------------------------------

PUBLISH_ROWS = [
    # (scenario, status, headers, body, expected)
    ("created", 201, None, "create_post_201.json", "1445880548472328192"),
    ("bad credentials", 401, None, "unauthorized_401.json", AuthError),
    ("duplicate content", 403, None, "duplicate_content_403.json", DuplicateContent),
    ("app not in a project", 403, None, "client_forbidden_403.json", AuthError),
    ("read-only app", 403, None, "oauth1_permissions_403.json", AuthError),
    ("text too long", 400, None, "invalid_request_400.json", Rejected),
    ("credits ran out", 402, None, "credits_depleted_402.json", Rejected),
    ("monthly usage cap", 429, None, "usage_capped_429.json", Rejected),
    (
        "15-minute window spent",
        429,
        {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": epoch(RESET_15M),
        },
        "too_many_requests_429.json",
        RateLimited,
    ),
    (
        "24-hour user window spent",
        429,
        {
            "x-rate-limit-remaining": "55",
            "x-rate-limit-reset": epoch(RESET_15M),
            "x-user-limit-24hour-limit": "100",
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": epoch(RESET_24H),
        },
        "too_many_requests_429.json",
        RateLimited,
    ),
    (
        "24-hour app window spent",
        429,
        {
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": epoch(RESET_15M),
            "x-app-limit-24hour-limit": "10000",
            "x-app-limit-24hour-remaining": "0",
            "x-app-limit-24hour-reset": epoch(RESET_24H),
        },
        "rate_limit_code88_429.json",
        RateLimited,
    ),
    ("429 without headers", 429, None, "rate_limit_code88_429.json", RateLimited),
    ("server error after sending", 500, None, "internal_error_500.json", OutcomeUnknown),
    ("bad gateway", 502, None, "", OutcomeUnknown),
    ("X over capacity", 503, None, "over_capacity_503.json", TransientError),
    ("HTML error page", 503, None, "error_page_503.html", OutcomeUnknown),
    ("created but body is HTML", 200, None, "error_page_503.html", OutcomeUnknown),
    ("created but body is cut", 201, None, '{"data": {"id": "14458', OutcomeUnknown),
]

EXPECTED_RESET = {
    "15-minute window spent": RESET_15M,
    "24-hour user window spent": RESET_24H,
    "24-hour app window spent": RESET_24H,
    "429 without headers": None,
}


@pytest.mark.parametrize(
    "scenario,status,headers,body,expected", PUBLISH_ROWS, ids=[r[0] for r in PUBLISH_ROWS]
)
@responses.activate
def test_publish(scenario, status, headers, body, expected):
    answer("POST", "/2/tweets", status, headers, body)
    x = connector()
    if isinstance(expected, str):
        published = x.publish(POST)
        assert published.platform_id == expected
        assert published.url == f"https://x.com/SpringfieldPD/status/{expected}"
        # creation time read from the id: X's clock, not ours
        assert published.published_at == snowflake_time(expected)
        sent = json.loads(responses.calls[0].request.body)
        assert sent == {"text": POST.text}
        # tweepy's hard-coded host was rewritten to the configured base URL, and signed for it.
        assert responses.calls[0].request.url == f"{BASE}/2/tweets"
        assert responses.calls[0].request.headers["Authorization"].startswith("OAuth ")
        return
    with pytest.raises(expected) as caught:
        x.publish(POST)
    error = caught.value
    assert error.platform == "x"
    assert type(error) is expected  # DuplicateContent is a Rejected; the exact type matters
    if scenario in EXPECTED_RESET:
        assert error.reset_at == EXPECTED_RESET[scenario]
    if scenario in ("credits ran out", "monthly usage cap"):
        assert "credits ran out" in str(error)
    if scenario == "duplicate content":
        assert "duplicate content" in str(error)
    if body.endswith(".html"):
        assert "HTML" in str(error) and "<" not in str(error)


# -- reads: a lost answer is transient, not unknown ---------------------------------------------

READ_ROWS = [
    ("server error", 500, None, "internal_error_500.json", TransientError),
    ("HTML error page", 503, None, "error_page_503.html", TransientError),
    ("malformed JSON", 200, None, '{"data": [{"id": ', TransientError),
    ("bad credentials", 401, None, "unauthorized_401.json", AuthError),
    (
        "rate limited",
        429,
        {"x-rate-limit-remaining": "0", "x-rate-limit-reset": epoch(RESET_15M)},
        "too_many_requests_429.json",
        RateLimited,
    ),
    ("credits ran out", 402, None, "credits_depleted_402.json", Rejected),
]


@pytest.mark.parametrize(
    "scenario,status,headers,body,expected", READ_ROWS, ids=[r[0] for r in READ_ROWS]
)
@responses.activate
def test_metrics_read_errors(scenario, status, headers, body, expected):
    answer("GET", "/2/tweets", status, headers, body)
    with pytest.raises(expected) as caught:
        connector().fetch_metrics([make_id(NOW - timedelta(hours=3))])
    assert type(caught.value) is expected
    if expected is RateLimited:
        assert caught.value.reset_at == RESET_15M


@responses.activate
def test_search_and_timeline_errors_are_typed_too():
    answer("GET", "/2/tweets/search/recent", 503, None, "error_page_503.html")
    answer("GET", f"/2/users/{USER_ID}/tweets", 401, None, "unauthorized_401.json")
    x = connector()
    with pytest.raises(TransientError):
        x.fetch_comments(make_id(NOW - timedelta(hours=1)), None)
    with pytest.raises(AuthError):
        x.find_published(POST, NOW - timedelta(hours=1))


# -- transport failures over real loopback sockets ----------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _SilentServer:
    """Accepts connections, reads the request, never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.received = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.conns.append(conn)
                if conn.recv(65536):
                    self.received.set()
        except OSError:
            return

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        self.sock.close()


def test_connection_refused_before_sending_is_transient():
    x = connector(base_url=f"http://127.0.0.1:{_closed_port()}", timeout_seconds=2)
    with pytest.raises(TransientError) as caught:
        x.publish(POST)
    assert type(caught.value) is TransientError
    assert "nothing was sent" in str(caught.value)


def test_no_answer_after_sending_create_is_outcome_unknown():
    server = _SilentServer()
    try:
        x = connector(base_url=server.url, timeout_seconds=0.5)
        with pytest.raises(OutcomeUnknown) as caught:
            x.publish(POST)
        assert server.received.is_set()
        assert "may have applied" in str(caught.value)
        with pytest.raises(TransientError):  # the same silence on a read is only transient
            x.fetch_metrics([make_id(NOW)])
    finally:
        server.close()


REPLY = OutgoingReply(key="reply-1", comment_id="1900000000000000001", post_id="1", text="Hi")


def test_reply_that_cannot_reach_x_says_so_in_words_not_connectionerror():
    """`beatpost reply` printed "could not connect to X (ConnectionError)": a class name."""
    x = connector(base_url=f"http://127.0.0.1:{_closed_port()}", timeout_seconds=2)
    with pytest.raises(TransientError) as caught:
        x.reply(REPLY)
    message = str(caught.value)
    assert "X could not be reached; nothing was sent" in message
    assert "Error" not in message


def test_reply_whose_connection_breaks_after_sending_says_it_will_be_checked():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def hang_up() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        conn.close()  # the request arrived; the answer never leaves

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        x = connector(base_url=f"http://127.0.0.1:{server.getsockname()[1]}", timeout_seconds=2)
        with pytest.raises(OutcomeUnknown) as caught:
            x.reply(REPLY)
    finally:
        server.close()
    message = str(caught.value)
    assert "the connection to X broke after the request was sent" in message
    assert "checked on X before anything is sent again" in message
    assert "Error" not in message


# -- media: metadata stripped, alt text set -----------------------------------------------------


def _photo_with_gps(path: Path) -> Path:
    image = Image.new("RGB", (640, 480), (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-998877"  # BodySerialNumber
    exif.get_ifd(0x8825)[2] = (41.0, 52.0, 3.5)  # GPSLatitude
    image.save(path, "JPEG", exif=exif)
    assert b"SERIAL-998877" in path.read_bytes()
    return path


@responses.activate
def test_publish_with_media_uploads_clean_image_and_alt_text(tmp_path):
    answer("POST", "/2/media/upload", 200, None, "media_upload_200.json")
    answer("POST", "/2/media/metadata", 200, None, "media_metadata_200.json")
    answer("POST", "/2/tweets", 201, None, "create_post_201.json")
    photo = _photo_with_gps(tmp_path / "booth.jpg")
    post = OutgoingPost(
        key="k2",
        text=POST.text,
        media=(MediaFile(path=photo, alt_text="Officer Diaz at the recruiting booth"),),
    )
    connector().publish(post)

    upload, metadata, create = (c.request for c in responses.calls)
    assert upload.url == f"{BASE}/2/media/upload"
    assert _header(upload, "Content-Type").startswith("multipart/form-data")
    assert b'name="media_category"\r\n\r\ntweet_image' in upload.body
    jpeg = upload.body[upload.body.index(b"\xff\xd8") :]
    assert b"SERIAL-998877" not in jpeg and b"PhoneMaker" not in jpeg
    assert not Image.open(io.BytesIO(jpeg)).getexif()
    assert _header(upload, "Authorization").startswith("OAuth ")

    assert json.loads(metadata.body) == {
        "id": "1880028106020515840",
        "metadata": {"alt_text": {"text": "Officer Diaz at the recruiting booth"}},
    }
    assert json.loads(create.body) == {
        "text": POST.text,
        "media": {"media_ids": ["1880028106020515840"]},
    }


@responses.activate
def test_media_upload_failure_posts_nothing_and_is_retryable(tmp_path):
    answer("POST", "/2/media/upload", 503, None, "error_page_503.html")
    post = OutgoingPost(
        key="k3", text="x", media=(MediaFile(path=_photo_with_gps(tmp_path / "a.jpg")),)
    )
    with pytest.raises(TransientError):
        connector().publish(post)
    assert [c.request.url for c in responses.calls] == [f"{BASE}/2/media/upload"]


@responses.activate
def test_unreadable_media_is_rejected_before_any_request(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    with pytest.raises(Rejected):
        connector().publish(OutgoingPost(key="k4", text="x", media=(MediaFile(path=bad),)))
    assert len(responses.calls) == 0


# -- metrics ------------------------------------------------------------------------------------


def _lookup_callback(
    seen: list[dict[str, list[str]]],
    refuse_private: frozenset[str] = frozenset(),
    gone: frozenset[str] = frozenset(),
):
    def callback(request):
        params = parse_qs(urlsplit(request.url).query)
        seen.append(params)
        fields = params["tweet.fields"][0].split(",")
        data, errors = [], []
        for post_id in params["ids"][0].split(","):
            if post_id in gone:
                errors.append(
                    {
                        "value": post_id,
                        "detail": f"Could not find tweet with ids: [{post_id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "resource_id": post_id,
                        "type": "https://api.x.com/2/problems/resource-not-found",
                    }
                )
                continue
            if post_id in refuse_private and "non_public_metrics" in fields:
                errors.append(
                    {
                        "value": post_id,
                        "field": "non_public_metrics",
                        "resource_type": "tweet",
                        "resource_id": post_id,
                        "title": "Field Authorization Error",
                        "section": "data",
                        "detail": "Sorry, you are not authorized to access 'non_public_metrics' on "
                        f"the Tweet with ids [{post_id}].",
                        "type": "https://api.x.com/2/problems/not-authorized-for-field",
                    }
                )
                continue
            tweet = {
                "id": post_id,
                "text": "Recruiting",
                "edit_history_tweet_ids": [post_id],
                "created_at": "2026-11-25T09:00:00.000Z",
                "public_metrics": {
                    "retweet_count": 4,
                    "reply_count": 2,
                    "like_count": 31,
                    "quote_count": 1,
                    "bookmark_count": 3,
                    "impression_count": 1200,
                },
            }
            if "non_public_metrics" in fields:
                tweet["non_public_metrics"] = {
                    "impression_count": 1200,
                    "url_link_clicks": 17,
                    "user_profile_clicks": 5,
                    "engagements": 60,
                }
                tweet["organic_metrics"] = {
                    "impression_count": 1200,
                    "like_count": 31,
                    "reply_count": 2,
                    "retweet_count": 4,
                    "url_link_clicks": 17,
                    "user_profile_clicks": 5,
                }
            data.append(tweet)
        body = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return 200, {"x-rate-limit-remaining": "4999"}, json.dumps(body)

    return callback


@responses.activate
def test_metrics_batch_250_ids_in_three_requests():
    seen: list = []
    responses.add_callback("GET", f"{BASE}/2/tweets", callback=_lookup_callback(seen))
    ids = [make_id(NOW - timedelta(hours=5), seq) for seq in range(250)]
    snapshots = connector().fetch_metrics(ids)
    assert [len(p["ids"][0].split(",")) for p in seen] == [100, 100, 50]
    assert all("non_public_metrics" in p["tweet.fields"][0] for p in seen)
    assert [s.platform_id for s in snapshots] == ids


@responses.activate
def test_metrics_mapping_and_private_fields_only_for_young_posts():
    seen: list = []
    young = make_id(NOW - timedelta(days=2))
    old = make_id(NOW - timedelta(days=45))
    gone = make_id(NOW - timedelta(days=1))
    responses.add_callback(
        "GET", f"{BASE}/2/tweets", callback=_lookup_callback(seen, gone=frozenset({gone}))
    )
    snapshots = {s.platform_id: s for s in connector().fetch_metrics([young, old, gone])}

    assert len(seen) == 2
    assert "non_public_metrics" in seen[0]["tweet.fields"][0]
    assert seen[1]["ids"] == [old] and "non_public_metrics" not in seen[1]["tweet.fields"][0]
    assert gone not in snapshots  # deleted post: no snapshot, no failure

    s = snapshots[young]
    assert (s.views, s.reactions, s.shares, s.replies, s.quotes, s.bookmarks, s.link_clicks) == (
        1200,
        31,
        4,
        2,
        1,
        3,
        17,
    )
    assert s.taken_at == NOW
    assert s.extras["non_public_metrics.user_profile_clicks"] == 5
    assert s.extras["organic_metrics.like_count"] == 31
    assert "public_metrics.like_count" not in s.extras
    assert snapshots[old].link_clicks is None and snapshots[old].views == 1200


@responses.activate
def test_metrics_refused_private_fields_are_asked_again_public_only():
    seen: list = []
    refused = make_id(NOW - timedelta(days=3), 7)
    responses.add_callback(
        "GET", f"{BASE}/2/tweets", callback=_lookup_callback(seen, refuse_private={refused})
    )
    snapshots = connector().fetch_metrics([refused])
    assert len(seen) == 2 and "non_public_metrics" not in seen[1]["tweet.fields"][0]
    assert snapshots[0].platform_id == refused and snapshots[0].views == 1200


@pytest.mark.parametrize(
    "public,shares",
    [
        ({"retweet_count": 9, "like_count": 1}, 9),  # documented spelling in metrics.mdx
        ({"repost_count": 7, "like_count": 1}, 7),  # OpenAPI PostPublicMetrics spelling
        ({"like_count": 1}, None),
    ],
)
@responses.activate
def test_metrics_reads_both_repost_spellings(public, shares):
    post_id = make_id(NOW - timedelta(days=40))
    answer(
        "GET",
        "/2/tweets",
        200,
        None,
        {"data": [{"id": post_id, "text": "t", "public_metrics": public}]},
    )
    (snapshot,) = connector().fetch_metrics([post_id])
    assert snapshot.shares == shares and snapshot.reactions == 1


# -- find_published: paging and the text rule ---------------------------------------------------


def _timeline_page(tweets, next_token=None):
    body = {"data": tweets, "meta": {"result_count": len(tweets)}}
    if next_token:
        body["meta"]["next_token"] = next_token
    return body


@responses.activate
def test_find_published_pages_and_matches_with_tco_links_and_escaping():
    since = NOW - timedelta(hours=2)
    target_id = make_id(NOW - timedelta(minutes=30))
    page1 = _timeline_page(
        [
            {
                "id": make_id(NOW - timedelta(minutes=10)),
                "text": "Something else entirely",
                "created_at": "2026-11-25T11:50:00.000Z",
            }
        ],
        next_token="7140dibdnow9c7btw4",
    )
    page2 = _timeline_page(
        [
            {
                "id": target_id,
                "text": "Info night &amp; Q&amp;A:   apply at https://t.co/Ab12Cd34 \n#JoinSPD https://t.co/MediaLnk",
                "created_at": "2026-11-25T11:30:00.000Z",
                "entities": {
                    "urls": [
                        {
                            "start": 34,
                            "end": 57,
                            "url": "https://t.co/Ab12Cd34",
                            "expanded_url": "https://springfield.gov/jobs?utm_source=x",
                            "display_url": "springfield.gov/jobs",
                        },
                        {
                            "start": 67,
                            "end": 90,
                            "url": "https://t.co/MediaLnk",
                            "expanded_url": "https://x.com/SpringfieldPD/status/1/photo/1",
                            "media_key": "3_1880028106020515840",
                        },
                    ]
                },
            },
        ]
    )
    path = f"/2/users/{USER_ID}/tweets"
    answer("GET", path, 200, None, page1)
    answer("GET", path, 200, None, page2)
    post = OutgoingPost(
        key="k5",
        text="Info night & Q&A: apply at https://springfield.gov/jobs?utm_source=x #JoinSPD",
        media=(MediaFile(path=Path("unused.jpg")),),
        link="https://springfield.gov/jobs?utm_source=x",
    )
    found = connector().find_published(post, since)
    assert found is not None and found.platform_id == target_id
    assert found.published_at == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)
    first, second = (query(c) for c in responses.calls)
    assert first["start_time"] == ["2026-11-25T09:55:00Z"]  # since, less 5 minutes of skew
    assert first["exclude"] == ["retweets,replies"] and "pagination_token" not in first
    assert second["pagination_token"] == ["7140dibdnow9c7btw4"]


@responses.activate
def test_find_published_none_when_no_post_matches():
    answer("GET", f"/2/users/{USER_ID}/tweets", 200, None, {"meta": {"result_count": 0}})
    assert connector().find_published(POST, NOW - timedelta(hours=1)) is None


@responses.activate
def test_find_published_asks_for_the_account_when_user_id_is_not_set():
    answer("GET", "/2/users/me", 200, None, "users_me_200.json")
    answer(
        "GET",
        f"/2/users/{USER_ID}/tweets",
        200,
        None,
        _timeline_page(
            [
                {
                    "id": "1445880548472328192",
                    "text": POST.text,
                    "created_at": "2026-11-25T11:59:00.000Z",
                }
            ]
        ),
    )
    found = connector(user_id=None, username=None).find_published(POST, NOW - timedelta(hours=1))
    assert found.url == "https://x.com/SpringfieldPD/status/1445880548472328192"


@pytest.mark.parametrize(
    "ours,theirs,media,same",
    [
        ("Apply now", "Apply now", 0, True),
        ("Apply  now\n\nToday", "Apply now Today", 0, True),
        ("Pay & benefits <3", "Pay &amp; benefits &lt;3", 0, True),
        ("See https://a.gov/x?utm=1", "See https://t.co/zz", 0, True),
        ("Apply now", "Apply now https://t.co/photo", 1, True),
        ("Apply now", "Apply now https://t.co/photo", 0, False),
        ("Apply now", "Apply today", 0, False),
        ("Caf\u00e9", "Cafe\u0301", 0, True),  # NFC
    ],
)
def test_text_match_rule(ours, theirs, media, same):
    from connectors.x import _matches

    assert _matches(ours, theirs, media) is same


def test_normalise_text_replaces_links():
    assert normalise_text("a  https://t.co/x b") == normalise_text("a https://long.example/y?z=1 b")


# -- replies: batched conversation search -------------------------------------------------------


def test_conversation_queries_respect_the_length_limit_and_cover_every_post():
    ids = [make_id(NOW - timedelta(hours=h)) for h in range(60)]
    queries = build_conversation_queries(ids)
    assert all(len(q) <= MAX_QUERY_LENGTH for q, _ in queries)
    assert [i for _, group in queries for i in group] == ids
    assert 1 < len(queries) < len(ids)
    assert queries[0][0].startswith("(conversation_id:") and " OR " in queries[0][0]
    single = build_conversation_queries(ids[:1])
    assert single == [(f"conversation_id:{ids[0]} -is:retweet", ids[:1])]


def _search_callback(seen, replies_by_conversation, page_size=2):
    """Answers recent search like X: matching replies, ``includes.users``, ``next_token``."""

    def callback(request):
        params = parse_qs(urlsplit(request.url).query)
        seen.append(params)
        q = params["query"][0]
        wanted = [
            part.split(":")[1].strip("()") for part in q.split() if "conversation_id:" in part
        ]
        if "start_time" in params:
            start = datetime.fromisoformat(params["start_time"][0].replace("Z", "+00:00"))
        else:  # X's default: the whole 7-day window
            start = NOW - timedelta(days=7)
        hits = [
            r
            for cid in wanted
            for r in replies_by_conversation.get(cid, [])
            if datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")) >= start
        ]
        offset = int(params.get("next_token", ["0"])[0])
        page = hits[offset : offset + page_size]
        body = {
            "data": page,
            "includes": {
                "users": [
                    {"id": r["author_id"], "name": "n", "username": f"user{r['author_id'][-2:]}"}
                    for r in page
                ]
            },
            "meta": {"result_count": len(page)},
        }
        if offset + page_size < len(hits):
            body["meta"]["next_token"] = str(offset + page_size)
        return 200, {"x-rate-limit-remaining": "299"}, json.dumps(body)

    return callback


def _reply(conversation, minutes_ago, seq, author="2000000000000000042", parent=None):
    when = NOW - timedelta(minutes=minutes_ago)
    return {
        "id": make_id(when, seq),
        "text": f"When is the next test? &amp; pay? #{seq}",
        "author_id": author,
        "conversation_id": conversation,
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "referenced_tweets": [{"type": "replied_to", "id": parent or conversation}],
    }


@responses.activate
def test_comments_batch_searches_many_conversations_per_query_and_pages():
    posts = [make_id(NOW - timedelta(days=1), seq) for seq in range(30)]
    replies = {
        posts[0]: [_reply(posts[0], 50, 1), _reply(posts[0], 40, 2), _reply(posts[0], 30, 3)],
        posts[29]: [
            _reply(posts[29], 20, 4, parent="1999"),
            _reply(posts[29], 10, 5, author=USER_ID),
        ],
    }
    seen: list = []
    responses.add_callback(
        "GET", f"{BASE}/2/tweets/search/recent", callback=_search_callback(seen, replies)
    )
    cursors = {pid: None for pid in posts}
    cursors[posts[0]] = NOW - timedelta(minutes=45)  # one reply already stored
    result = connector().fetch_comments_batch(cursors)

    queries = {p["query"][0] for p in seen}
    assert len(queries) == len(build_conversation_queries(posts)) < len(posts)
    assert len(seen) > len(queries)  # paging happened
    first = result[posts[0]]
    assert [c.text for c in first] == [
        "When is the next test? & pay? #2",
        "When is the next test? & pay? #3",
    ]
    assert first[0].author == "user42" and first[0].parent_id is None
    assert first[0].url == f"https://x.com/user42/status/{first[0].platform_id}"
    last = result[posts[29]]
    assert len(last) == 1 and last[0].parent_id == "1999"  # own reply (USER_ID) left out
    assert all(result[p] == [] for p in posts[1:29])
    # posts without a cursor yet: no start_time, X searches its whole 7-day window
    assert all("start_time" not in p for p in seen)
    assert all(p["expansions"] == ["author_id"] for p in seen)


@responses.activate
def test_comments_window_starts_at_the_earliest_cursor_of_a_query():
    a, b = make_id(NOW - timedelta(hours=5), 1), make_id(NOW - timedelta(hours=5), 2)
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    connector().fetch_comments_batch({a: NOW - timedelta(hours=1), b: NOW - timedelta(hours=2)})
    (call,) = responses.calls
    assert query(call)["start_time"] == ["2026-11-25T10:00:00Z"]
    assert query(call)["query"] == [f"(conversation_id:{a} OR conversation_id:{b}) -is:retweet"]


@responses.activate
def test_comments_cursor_older_than_the_window_sends_no_start_time():
    post_id = make_id(NOW - timedelta(days=9))
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    assert connector().fetch_comments(post_id, NOW - timedelta(days=8)) == []
    assert "start_time" not in query(responses.calls[0])


@responses.activate
def test_comments_start_time_refused_by_x_retries_with_its_default_window():
    """Clocks disagree (skew, simulated time): X's 400 on start_time is met by one retry."""
    post_id = make_id(NOW - timedelta(hours=3))
    refusal = {
        "errors": [
            {
                "parameters": {"start_time": ["2026-11-25T11:00:00Z"]},
                "message": "Invalid 'start_time':'2026-11-25T11:00Z'. 'start_time' must be on "
                "or after 2026-11-25T11:05Z",
            }
        ],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.x.com/2/problems/invalid-request",
    }
    answer("GET", "/2/tweets/search/recent", 400, None, refusal)
    reply = _reply(post_id, 5, 9)
    answer("GET", "/2/tweets/search/recent", 200, None, {"data": [reply], "meta": {}})
    got = connector().fetch_comments(post_id, NOW - timedelta(hours=1))
    assert [c.platform_id for c in got] == [reply["id"]]
    first, second = (query(c) for c in responses.calls)
    assert "start_time" in first and "start_time" not in second


@responses.activate
def test_other_search_refusals_are_not_retried():
    answer("GET", "/2/tweets/search/recent", 400, None, "invalid_request_400.json")
    with pytest.raises(Rejected):
        connector().fetch_comments(make_id(NOW), NOW - timedelta(hours=1))
    assert len(responses.calls) == 1


@responses.activate
def test_comments_since_cursor_bounds_start_time():
    post_id = make_id(NOW - timedelta(hours=3))
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    connector().fetch_comments(post_id, NOW - timedelta(hours=1))
    assert query(responses.calls[0])["start_time"] == ["2026-11-25T11:00:00Z"]
    assert query(responses.calls[0])["query"] == [f"conversation_id:{post_id} -is:retweet"]


@responses.activate
def test_search_uses_the_bearer_token_when_configured_and_user_context_otherwise():
    post_id = make_id(NOW - timedelta(hours=3))
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    connector().fetch_comments(post_id, None)
    connector(bearer_token=None).fetch_comments(post_id, None)
    bearer, user = (c.request.headers["Authorization"] for c in responses.calls)
    assert bearer == f"Bearer {SECRETS['bearer_token']}"
    assert user.startswith("OAuth ")


# -- secrets stay out of logs and errors --------------------------------------------------------


@responses.activate
def test_tokens_never_reach_logs_or_error_text(caplog):
    caplog.set_level(logging.DEBUG)
    answer("GET", "/2/tweets/search/recent", 200, None, {"meta": {"result_count": 0}})
    answer("POST", "/2/tweets", 401, None, "unauthorized_401.json")
    x = connector()
    x.fetch_comments(make_id(NOW - timedelta(hours=1)), None)  # bearer: tweepy logs headers
    with pytest.raises(ConnectorError) as caught:
        x.publish(POST)  # OAuth 1.0a: requests-oauthlib and oauthlib log the signed header
    assert "Making API request" in caplog.text and "Updated headers" in caplog.text
    for secret in SECRETS.values():
        assert secret not in caplog.text
        assert secret not in str(caught.value)
        assert secret not in repr(x)


# -- settings -----------------------------------------------------------------------------------


def test_from_settings_reads_the_x_section():
    from config.settings import Settings

    settings = Settings(x={**SECRETS, "user_id": USER_ID, "base_url": BASE, "timeout_seconds": 5})
    x = XConnector.from_settings(settings)
    assert x.base_url == BASE and x.platform == "x" and x.limits.metrics_batch == 100


def test_from_settings_names_missing_keys_without_values():
    from config.settings import Settings

    settings = Settings(x={"api_key": SECRETS["api_key"], "base_url": BASE})
    with pytest.raises(ConnectorUnavailable) as caught:
        XConnector.from_settings(settings)
    message = str(caught.value)
    assert "BEATPOST_X__ACCESS_TOKEN" in message and "api_secret" in message
    assert SECRETS["api_key"] not in message


def test_snowflake_time_reads_the_id():
    assert snowflake_time(make_id(NOW)) == NOW
    assert snowflake_time("42") is None and snowflake_time("abc") is None
