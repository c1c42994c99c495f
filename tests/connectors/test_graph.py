"""The shared Graph client: error families, usage headers and pacing, paging, redaction."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses

from connectors.errors import (
    AuthError,
    ConnectorError,
    DuplicateContent,
    MissingPermission,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.graph import (
    InsightReader,
    edge_expansion,
    find_own_reply,
    parse_graph_time,
    parse_usage,
    redact,
)
from tests.connectors._graph_support import (
    API,
    NOW,
    PAGE_ID,
    TOKEN,
    Clock,
    Sleeps,
    error_body,
    form_of,
    load,
    make_client,
    query_of,
)

FEED = f"{API}/{PAGE_ID}/feed"

# (scenario, HTTP status, error fixture, method, publishing call?, expected type)
ERROR_TABLE = [
    ("unknown error on a read", 500, "unknown", "GET", False, TransientError),
    ("service unavailable on a read", 503, "service_unavailable", "GET", False, TransientError),
    ("unknown error under 400 on a post", 400, "unknown", "POST", True, TransientError),
    ("unknown error under 500 on a post", 500, "unknown", "POST", True, OutcomeUnknown),
    ("5xx on a non-publishing upload", 500, "service_unavailable", "POST", False, TransientError),
    ("application limit", 400, "app_limit", "GET", False, RateLimited),
    ("user limit", 400, "user_limit", "POST", True, RateLimited),
    ("page limit", 400, "page_limit", "GET", False, RateLimited),
    ("api limit", 400, "api_limit", "GET", False, RateLimited),
    ("business use case limit", 400, "buc_limit", "GET", False, RateLimited),
    ("expired token", 400, "token_expired", "POST", True, AuthError),
    ("invalid session", 400, "session_invalid", "GET", False, AuthError),
    ("permission (#10)", 403, "no_permission", "POST", True, MissingPermission),
    ("permission (#200)", 403, "missing_permission", "POST", True, MissingPermission),
    (
        "object missing for want of a permission (#100)",
        400,
        "object_missing_permission",
        "GET",
        False,
        MissingPermission,
    ),
    ("unknown error marked not transient", 400, "unknown_not_transient", "GET", False, Rejected),
    ("5xx marked not transient on a read", 500, "service_not_transient", "GET", False, Rejected),
    (
        "5xx marked not transient on a publish",
        500,
        "service_not_transient",
        "POST",
        True,
        OutcomeUnknown,
    ),
    (
        "invalid parameter marked transient",
        400,
        "invalid_parameter_transient",
        "GET",
        False,
        TransientError,
    ),
    ("blocked for abuse", 400, "blocked", "POST", True, Rejected),
    ("duplicate status", 400, "duplicate", "POST", True, DuplicateContent),
    ("invalid parameter", 400, "invalid_parameter", "POST", True, Rejected),
]


@pytest.mark.parametrize(
    "scenario,status,fixture,method,publishing,expected",
    ERROR_TABLE,
    ids=[row[0] for row in ERROR_TABLE],
)
@responses.activate
def test_error_families(scenario, status, fixture, method, publishing, expected):
    body = error_body(fixture)
    responses.add(method, FEED, json=body, status=status)
    client = make_client()
    with pytest.raises(expected) as caught:
        if method == "GET":
            client.get(f"{PAGE_ID}/feed")
        else:
            client.post(f"{PAGE_ID}/feed", {"message": "hi"}, publishing=publishing)
    exc = caught.value
    assert type(exc) is expected
    assert exc.platform == "facebook"
    assert exc.code == body["error"]["code"]
    assert TOKEN not in str(exc)
    # The platform's own words reach the person reading the error.
    assert body["error"].get("error_user_msg", body["error"]["message"])[:20] in str(exc)


@responses.activate
def test_code_100_missing_permission_names_the_permission_and_is_not_a_deleted_post():
    # Graph's answer when the token lacks pages_read_engagement: worded like a missing object.
    body = error_body("object_missing_permission")
    responses.get(f"{API}/", json=body, status=400)
    responses.get(f"{API}/{PAGE_ID}_1", json=body, status=400)
    responses.get(f"{API}/{PAGE_ID}_2", json=body, status=400)
    reader = InsightReader(make_client(), ["post_media_view"])
    with pytest.raises(MissingPermission) as caught:
        reader.fetch([f"{PAGE_ID}_1", f"{PAGE_ID}_2"], "id,created_time")
    assert caught.value.permissions == ("pages_read_engagement",)
    assert isinstance(caught.value, AuthError)  # the daemon needs a person, not a retry
    assert "lacks the pages_read_engagement permission" in str(caught.value)
    assert "Object does not exist" in str(caught.value)  # Graph's own words are kept


@responses.activate
def test_a_deleted_post_is_still_left_out_quietly():
    # The same family of message with subcode 33 and no permission named: a deleted post.
    responses.get(f"{API}/", json=error_body("node_missing"), status=400)
    responses.get(f"{API}/{PAGE_ID}_404", json=error_body("node_missing"), status=400)
    reader = InsightReader(make_client(), ["post_media_view"])
    assert reader.fetch([f"{PAGE_ID}_404"], "id") == {}


@pytest.mark.parametrize(
    "fixture,expected",
    [
        ("unknown_not_transient", Rejected),
        ("service_not_transient", Rejected),
        ("unknown", TransientError),
        ("invalid_parameter_transient", TransientError),
    ],
)
@responses.activate
def test_is_transient_flag_is_honoured(fixture, expected):
    responses.get(FEED, json=error_body(fixture), status=400)
    with pytest.raises(ConnectorError) as caught:
        make_client().get(f"{PAGE_ID}/feed")
    assert type(caught.value) is expected
    if expected is Rejected:
        assert "not temporary" in str(caught.value)


# (scenario, HTTP status, body as the platform sends it, expected type, words kept)
OAUTH_BODIES = [
    (
        "RFC 6749 invalid_token",
        401,
        {"error": "invalid_token", "error_description": "The access token expired"},
        AuthError,
        "The access token expired",
    ),
    (
        "Instagram OAuthException without meta",
        400,
        {"code": 400, "error_type": "OAuthException", "error_message": "No matching code found."},
        AuthError,
        "No matching code found.",
    ),
    (
        "Instagram meta access token",
        400,
        {
            "meta": {
                "error_type": "OAuthAccessTokenException",
                "code": 400,
                "error_message": "The access_token provided is invalid.",
            }
        },
        AuthError,
        "The access_token provided is invalid.",
    ),
    (
        "Instagram meta permissions",
        400,
        {
            "meta": {
                "code": 400,
                "error_type": "OAuthPermissionsException",
                "error_message": "This client has not been approved to access this resource.",
            }
        },
        MissingPermission,
        "This client has not been approved to access this resource.",
    ),
    (
        "legacy REST error_msg",
        400,
        {"error_code": 100, "error_msg": "Invalid parameter"},
        Rejected,
        "Invalid parameter",
    ),
]


@pytest.mark.parametrize(
    "scenario,status,body,expected,words", OAUTH_BODIES, ids=[r[0] for r in OAUTH_BODIES]
)
@responses.activate
def test_oauth_style_error_body_keeps_the_platform_message(scenario, status, body, expected, words):
    responses.get(FEED, json=body, status=status)
    with pytest.raises(ConnectorError) as caught:
        make_client().get(f"{PAGE_ID}/feed")
    assert type(caught.value) is expected
    assert words in str(caught.value)
    assert "base_url" not in str(caught.value)


def test_duplicate_is_a_rejection():
    # The daemon treats both as permanent; DuplicateContent refines Rejected.
    assert issubclass(DuplicateContent, Rejected)


@responses.activate
def test_rate_limit_reset_comes_from_business_use_case_header():
    usage = {
        PAGE_ID: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 10,
                "total_time": 12,
                "estimated_time_to_regain_access": 7,
            }
        ]
    }
    responses.get(
        FEED,
        json=error_body("buc_limit"),
        status=400,
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as caught:
        make_client().get(f"{PAGE_ID}/feed")
    assert caught.value.reset_at == NOW + timedelta(minutes=7)


@responses.activate
def test_rate_limit_reset_from_retry_after_then_default():
    responses.get(FEED, json=error_body("app_limit"), status=400, headers={"Retry-After": "90"})
    responses.get(FEED, json=error_body("api_limit"), status=400)
    client = make_client()
    with pytest.raises(RateLimited) as first:
        client.get(f"{PAGE_ID}/feed")
    assert first.value.reset_at == NOW + timedelta(seconds=90)
    with pytest.raises(RateLimited) as second:
        client.get(f"{PAGE_ID}/feed")
    assert second.value.reset_at is not None and second.value.reset_at > NOW


USAGE_TABLE = [
    ("app usage", {"X-App-Usage": '{"call_count":28,"total_time":25,"total_cputime":91}'}, 91, 0),
    (
        "business use case usage",
        {
            "X-Business-Use-Case-Usage": json.dumps(
                {
                    "123": [
                        {
                            "type": "pages",
                            "call_count": 45,
                            "total_cputime": 5,
                            "total_time": 9,
                            "estimated_time_to_regain_access": 0,
                        },
                        {
                            "type": "instagram",
                            "call_count": 97,
                            "total_cputime": 5,
                            "total_time": 9,
                            "estimated_time_to_regain_access": 2,
                        },
                    ]
                }
            )
        },
        97,
        120,
    ),
    ("page usage", {"X-Page-Usage": '{"call_count":12,"total_time":3,"total_cputime":4}'}, 12, 0),
    ("unreadable header", {"X-App-Usage": "{not json"}, None, None),
    ("no header", {}, None, None),
]


@pytest.mark.parametrize(
    "scenario,headers,percent,regain", USAGE_TABLE, ids=[r[0] for r in USAGE_TABLE]
)
def test_parse_usage(scenario, headers, percent, regain):
    usage = parse_usage(headers, NOW)
    if percent is None:
        assert usage is None
    else:
        assert usage is not None
        assert usage.percent == percent
        assert usage.regain_seconds == regain


@responses.activate
def test_pauses_when_usage_approaches_the_limit():
    responses.get(FEED, json={"data": []}, headers={"X-App-Usage": '{"call_count":95}'})
    responses.get(FEED, json={"data": []}, headers={"X-App-Usage": '{"call_count":40}'})
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    client.get(f"{PAGE_ID}/feed")
    assert sleeps == []  # nothing known before the first reply
    client.get(f"{PAGE_ID}/feed")
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 5
    client.get(f"{PAGE_ID}/feed")
    assert len(sleeps) == 1  # usage fell back to 40%: no further pause


@responses.activate
def test_refuses_to_send_while_blocked_then_tries_again_after_regain():
    usage = {
        PAGE_ID: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 30,
                "total_time": 30,
                "estimated_time_to_regain_access": 3,
            }
        ]
    }
    responses.get(FEED, json={"data": []}, headers={"X-Business-Use-Case-Usage": json.dumps(usage)})
    clock = Clock()
    client = make_client(now=clock)
    client.get(f"{PAGE_ID}/feed")
    with pytest.raises(RateLimited) as caught:
        client.post(f"{PAGE_ID}/feed", {"message": "hi"}, publishing=True)
    assert caught.value.reset_at == NOW + timedelta(minutes=3)
    assert len(responses.calls) == 1  # the post was never sent
    clock.value = NOW + timedelta(minutes=3, seconds=1)
    client.get(f"{PAGE_ID}/feed")
    assert len(responses.calls) == 2


TRANSPORT_TABLE = [
    (
        "read timeout on a read",
        requests.exceptions.ReadTimeout("timed out"),
        "GET",
        False,
        TransientError,
    ),
    (
        "read timeout on a publish",
        requests.exceptions.ReadTimeout("timed out"),
        "POST",
        True,
        OutcomeUnknown,
    ),
    (
        "read timeout on an upload",
        requests.exceptions.ReadTimeout("timed out"),
        "POST",
        False,
        TransientError,
    ),
    (
        "connect timeout on a publish",
        requests.exceptions.ConnectTimeout("no route"),
        "POST",
        True,
        TransientError,
    ),
    (
        "refused on a publish",
        requests.exceptions.ConnectionError("Connection refused"),
        "POST",
        True,
        TransientError,
    ),
    (
        "reset mid-reply on a publish",
        requests.exceptions.ConnectionError("Connection reset by peer"),
        "POST",
        True,
        OutcomeUnknown,
    ),
]


@pytest.mark.parametrize(
    "scenario,error,method,publishing,expected",
    TRANSPORT_TABLE,
    ids=[r[0] for r in TRANSPORT_TABLE],
)
@responses.activate
def test_transport_failures(scenario, error, method, publishing, expected):
    # requests puts the whole URL, token included, into its exception text.
    error.args = (f"{error.args[0]} for url {FEED}?access_token={TOKEN}",)
    responses.add(method, FEED, body=error)
    client = make_client()
    with pytest.raises(expected) as caught:
        if method == "GET":
            client.get(f"{PAGE_ID}/feed")
        else:
            client.post(f"{PAGE_ID}/feed", {"message": "x"}, publishing=publishing)
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


UNREADABLE_TABLE = [
    ("html 502 on a read", 502, "html_error.html", "text/html", "GET", False, TransientError),
    ("html 502 on a publish", 502, "html_error.html", "text/html", "POST", True, OutcomeUnknown),
    ("html 404 (wrong host)", 404, "html_error.html", "text/html", "GET", False, Rejected),
    ("malformed json 200 on a read", 200, None, "application/json", "GET", False, TransientError),
    (
        "malformed json 200 on a publish",
        200,
        None,
        "application/json",
        "POST",
        True,
        OutcomeUnknown,
    ),
    ("429 without a body", 429, None, "text/plain", "GET", False, RateLimited),
]


@pytest.mark.parametrize(
    "scenario,status,fixture,content_type,method,publishing,expected",
    UNREADABLE_TABLE,
    ids=[r[0] for r in UNREADABLE_TABLE],
)
@responses.activate
def test_unreadable_replies(scenario, status, fixture, content_type, method, publishing, expected):
    from tests.connectors._graph_support import DATA

    body = (DATA / fixture).read_text() if fixture else '{"id": "1_2",'
    responses.add(method, FEED, body=body, status=status, content_type=content_type)
    client = make_client()
    with pytest.raises(expected) as caught:
        if method == "GET":
            client.get(f"{PAGE_ID}/feed")
        else:
            client.post(f"{PAGE_ID}/feed", {"message": "x"}, publishing=publishing)
    assert isinstance(caught.value, ConnectorError)
    assert f"HTTP {status}" in str(caught.value)


@responses.activate
def test_token_travels_in_query_for_reads_and_body_for_posts(caplog):
    caplog.set_level(logging.DEBUG)
    responses.get(FEED, json={"data": []})
    responses.post(FEED, json={"id": "1_2"})
    client = make_client()
    client.get(f"{PAGE_ID}/feed", {"limit": 5})
    client.post(f"{PAGE_ID}/feed", {"message": "hello", "published": True})
    get_call, post_call = responses.calls
    assert query_of(get_call.request.url)["access_token"] == TOKEN
    assert "access_token" not in query_of(post_call.request.url)
    form = form_of(post_call.request.body)
    assert form == {"message": "hello", "published": "true", "access_token": TOKEN}
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(client)


@responses.activate
def test_token_in_platform_message_is_redacted():
    responses.get(FEED, json=error_body("token_in_message"), status=400)
    with pytest.raises(AuthError) as caught:
        make_client().get(f"{PAGE_ID}/feed")
    assert TOKEN not in str(caught.value)
    assert "access_token=[redacted]" in str(caught.value)


def test_redact_masks_token_parameters_and_secrets():
    text = f"GET /x?fields=id&access_token=abc123&limit=2 and {TOKEN}"
    assert redact(text, TOKEN) == "GET /x?fields=id&access_token=[redacted]&limit=2 and [redacted]"


@responses.activate
def test_paging_follows_cursors():
    responses.get(f"{API}/{PAGE_ID}/posts", json=load("fb_posts_page1.json"))
    responses.get(f"{API}/{PAGE_ID}/posts", json=load("fb_posts_page2.json"))
    pages = list(make_client().pages(f"{PAGE_ID}/posts", {"fields": "id,message", "limit": 2}))
    assert [len(page) for page in pages] == [2, 2]
    second = query_of(responses.calls[1].request.url)
    assert second["after"] == "QVFIUlE2aTJ"
    assert second["fields"] == "id,message" and second["limit"] == "2"


@responses.activate
def test_paging_by_next_link_keeps_our_host():
    first = {
        "data": [{"id": "1"}],
        "paging": {
            "next": f"https://elsewhere.example/v25.0/{PAGE_ID}/posts?until=1700000000"
            f"&access_token={TOKEN}&limit=1"
        },
    }
    responses.get(f"{API}/{PAGE_ID}/posts", json=first)
    responses.get(f"{API}/{PAGE_ID}/posts", json={"data": [{"id": "2"}], "paging": {}})
    pages = list(make_client().pages(f"{PAGE_ID}/posts", {"limit": 1}))
    assert [[item["id"] for item in page] for page in pages] == [["1"], ["2"]]
    assert all(call.request.url.startswith(API) for call in responses.calls)
    assert query_of(responses.calls[1].request.url)["until"] == "1700000000"


@responses.activate
def test_paging_stops_on_a_next_link_that_repeats_the_request():
    looping = {"data": [{"id": "1"}], "paging": {"next": f"{API}/{PAGE_ID}/posts?limit=1"}}
    responses.get(f"{API}/{PAGE_ID}/posts", json=looping)
    pages = list(make_client().pages(f"{PAGE_ID}/posts", {"limit": 1}))
    assert len(pages) == 1


@responses.activate
def test_insight_reader_drops_a_retired_metric_and_keeps_the_rest(caplog):
    ids_url = f"{API}/"
    post_id = f"{PAGE_ID}_122100000000000001"
    # 1: the batch fails because one metric is retired
    responses.get(ids_url, json=error_body("invalid_metric"), status=400)
    # 2-3: probing each metric alone tells which
    responses.get(f"{API}/{post_id}/insights", json=error_body("invalid_metric"), status=400)
    responses.get(f"{API}/{post_id}/insights", json=load("fb_insight_single.json"))
    # 4 and later: the batch without it
    responses.get(ids_url, json=load("fb_metrics_ids_no_clicks.json"))
    reader = InsightReader(make_client(), ["post_impressions", "post_media_view"])
    caplog.set_level(logging.WARNING)
    nodes = reader.fetch([post_id], "id")
    assert reader.retired == {"post_impressions"}
    assert nodes[post_id]["insights"]["data"][0]["name"] == "post_media_view"
    fields = query_of(responses.calls[3].request.url)["fields"]
    assert fields == "id,insights.metric(post_media_view)"
    assert caplog.text.count("post_impressions") == 1
    # A second pull does not probe again.
    reader.fetch([post_id], "id")
    assert len(responses.calls) == 5
    assert caplog.text.count("post_impressions") == 1


def test_parse_graph_time():
    assert parse_graph_time("2026-11-25T14:03:00+0000") == NOW.replace(hour=14, minute=3)
    assert parse_graph_time("2026-11-25T08:03:00-0600") == NOW.replace(hour=14, minute=3)


class _PagedClient:
    """A client whose one edge answers ``pages`` (only what find_own_reply reads)."""

    def __init__(self, pages):
        self._pages = pages

    def pages(self, path, params):
        return iter(self._pages)

    def now(self):
        return datetime(2026, 3, 2, 12, tzinfo=UTC)


def _find(items, own_id):

    return find_own_reply(
        _PagedClient([items]),
        "c1/replies",
        {},
        text="Thank you!",
        own_id=own_id,
        text_field="text",
        time_field="timestamp",
        since=datetime(2026, 3, 2, 11, tzinfo=UTC),
        url=lambda reply_id, item: f"https://example.test/{reply_id}",
    )


def test_find_own_reply_skips_answers_of_others_by_from_or_by_threads_flag():
    items = [
        {
            "id": "a",
            "text": "Thank you!",
            "timestamp": "2026-03-02T11:30:00+0000",
            "from": {"id": "someone"},
        },
        {
            "id": "b",
            "text": "Thank you!",
            "timestamp": "2026-03-02T11:31:00+0000",
            "is_reply_owned_by_me": False,
        },
        {
            "id": "c",
            "text": "Thank  you!",
            "timestamp": "2026-03-02T11:32:00+0000",
            "is_reply_owned_by_me": True,
        },
    ]
    found = _find(items, own_id="page")
    assert found is not None
    assert (found.platform_id, found.url) == ("c", "https://example.test/c")


def test_find_own_reply_ignores_answers_older_than_since_and_other_texts():
    items = [
        {"id": "old", "text": "Thank you!", "timestamp": "2026-03-02T10:00:00+0000"},
        {"id": "other", "text": "Thanks", "timestamp": "2026-03-02T11:40:00+0000"},
    ]
    assert _find(items, own_id=None) is None


def test_edge_parameters_become_the_same_request_expanded_in_a_batch() -> None:
    # The batched comment read asks inside the multi-id read what paging asks of the edge.
    params = {"fields": "id,message", "filter": "stream", "order": "reverse_chronological"}
    assert (
        edge_expansion("comments", params | {"limit": 50})
        == "comments.filter(stream).order(reverse_chronological).limit(50){id,message}"
    )
    assert edge_expansion("comments", {"fields": "id,text"}) == "comments{id,text}"
