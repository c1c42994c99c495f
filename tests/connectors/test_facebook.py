"""Facebook Page connector against mocked Graph replies shaped like the documented ones."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import responses
from PIL import Image

from config.settings import Settings
from connectors import create
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import (
    AuthError,
    ConnectorUnavailable,
    DuplicateContent,
    MissingPermission,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.facebook import FacebookConnector
from tests.connectors._graph_support import (
    API,
    BASE,
    NOW,
    PAGE_ID,
    TOKEN,
    VERSION,
    Sleeps,
    error_body,
    form_of,
    load,
    make_client,
    query_of,
)

FEED = f"{API}/{PAGE_ID}/feed"
PHOTOS = f"{API}/{PAGE_ID}/photos"
POSTS = f"{API}/{PAGE_ID}/posts"
METRICS = ["post_media_view", "post_total_media_view_unique", "post_clicks_by_type"]
CAMERA_MARK = "SecretCam-HomeGarage-4471"


def connector(**kwargs) -> FacebookConnector:
    return FacebookConnector(
        page_id=PAGE_ID, client=make_client("facebook", **kwargs), insights_metrics=METRICS
    )


def photo(
    tmp_path: Path, name: str = "reyes.jpg", alt: str = "Officer Reyes at the academy"
) -> MediaFile:
    """A JPEG carrying camera EXIF that must never leave the machine."""
    path = tmp_path / name
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MARK  # Make
    exif[0x0110] = CAMERA_MARK  # Model
    Image.new("RGB", (64, 48), (30, 60, 90)).save(path, "JPEG", exif=exif.tobytes())
    assert CAMERA_MARK.encode() in path.read_bytes()
    return MediaFile(path=path, alt_text=alt, mime_type="image/jpeg")


def post(text: str = "Ride-along night this Friday!", **kwargs) -> OutgoingPost:
    return OutgoingPost(key="camp/ride-along/facebook/0", text=text, **kwargs)


# -- publishing ----------------------------------------------------------------------------
@responses.activate
def test_text_post_goes_to_the_feed():
    responses.post(FEED, json=load("fb_feed_created.json"))
    published = connector().publish(post())
    assert published.platform_id == f"{PAGE_ID}_122100000000000001"
    assert published.url == f"https://www.facebook.com/{PAGE_ID}/posts/122100000000000001"
    assert published.published_at == NOW
    form = form_of(responses.calls[0].request.body)
    assert form["message"] == "Ride-along night this Friday!"
    assert "link" not in form


@responses.activate
def test_link_post_sends_the_link_field():
    responses.post(FEED, json=load("fb_feed_created.json"))
    connector().publish(post(link="https://springfield.example/jobs?utm_source=facebook"))
    form = form_of(responses.calls[0].request.body)
    assert form["link"] == "https://springfield.example/jobs?utm_source=facebook"


@responses.activate
def test_one_photo_is_uploaded_without_its_metadata(tmp_path):
    responses.post(PHOTOS, json=load("fb_photo_created.json"))
    published = connector().publish(
        post(media=(photo(tmp_path),), link="https://springfield.example/jobs")
    )
    assert published.platform_id == f"{PAGE_ID}_122100000000000778"
    body = responses.calls[0].request.body
    assert b'name="source"' in body
    assert CAMERA_MARK.encode() not in body
    assert b"Exif" not in body
    assert b"Officer Reyes at the academy" in body  # alt_text_custom
    assert b"https://springfield.example/jobs" in body  # photo posts carry the link in text
    assert TOKEN.encode() in body  # sent in the body, never in the URL
    assert "access_token" not in responses.calls[0].request.url


@responses.activate
def test_several_photos_are_uploaded_unpublished_then_attached(tmp_path):
    responses.post(PHOTOS, json={"id": "9001"})
    responses.post(PHOTOS, json={"id": "9002"})
    responses.post(FEED, json=load("fb_feed_created.json"))
    images = (photo(tmp_path, "a.jpg"), photo(tmp_path, "b.jpg", alt=""))
    published = connector().publish(post(media=images))
    assert published.platform_id == f"{PAGE_ID}_122100000000000001"
    uploads = responses.calls[:2]
    for call in uploads:
        assert b'name="published"\r\n\r\nfalse' in call.request.body
        assert CAMERA_MARK.encode() not in call.request.body
    assert b"alt_text_custom" in uploads[0].request.body
    assert b"alt_text_custom" not in uploads[1].request.body
    form = form_of(responses.calls[2].request.body)
    assert json.loads(form["attached_media[0]"]) == {"media_fbid": "9001"}
    assert json.loads(form["attached_media[1]"]) == {"media_fbid": "9002"}


PUBLISH_ERRORS = [
    ("duplicate", 400, "duplicate", DuplicateContent),
    ("expired token", 400, "token_expired", AuthError),
    ("missing permission", 403, "missing_permission", MissingPermission),
    ("blocked", 400, "blocked", Rejected),
    ("page rate limit", 400, "page_limit", RateLimited),
    ("server error after sending", 500, "unknown", OutcomeUnknown),
]


@pytest.mark.parametrize(
    "scenario,status,fixture,expected", PUBLISH_ERRORS, ids=[r[0] for r in PUBLISH_ERRORS]
)
@responses.activate
def test_publish_errors(scenario, status, fixture, expected):
    responses.post(FEED, json=error_body(fixture), status=status)
    with pytest.raises(expected) as caught:
        connector().publish(post())
    assert type(caught.value) is expected
    assert TOKEN not in str(caught.value)


@responses.activate
def test_timeout_on_the_feed_post_is_an_unknown_outcome():
    responses.post(FEED, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(OutcomeUnknown):
        connector().publish(post())


@responses.activate
def test_failed_unpublished_upload_is_safe_to_retry(tmp_path):
    responses.post(PHOTOS, json=error_body("service_unavailable"), status=503)
    with pytest.raises(TransientError):
        connector().publish(post(media=(photo(tmp_path, "a.jpg"), photo(tmp_path, "b.jpg"))))
    assert len(responses.calls) == 1  # no feed post was attempted


@responses.activate
def test_a_reply_without_an_id_is_an_unknown_outcome():
    responses.post(FEED, json={"success": True})
    with pytest.raises(OutcomeUnknown):
        connector().publish(post())


def test_media_the_page_cannot_take_is_rejected(tmp_path):
    video = MediaFile(path=tmp_path / "clip.mp4", mime_type="video/mp4")
    with pytest.raises(Rejected, match="a video goes out alone"):
        connector().publish(post(media=(video, MediaFile(path=tmp_path / "a.jpg"))))
    many = tuple(MediaFile(path=tmp_path / f"{i}.jpg") for i in range(11))
    with pytest.raises(Rejected, match="at most 10"):
        connector().publish(post(media=many))


def test_unreadable_image_is_rejected_before_any_call(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not an image")
    with responses.RequestsMock() as mocked, pytest.raises(Rejected):
        connector().publish(post(media=(photo(tmp_path), MediaFile(path=bad))))
    assert len(mocked.calls) == 0


# -- reconciliation ------------------------------------------------------------------------
@responses.activate
def test_find_published_matches_on_text_across_pages():
    responses.get(POSTS, json=load("fb_posts_page1.json"))
    responses.get(POSTS, json=load("fb_posts_page2.json"))
    since = datetime(2026, 11, 24, tzinfo=UTC)
    found = connector().find_published(
        post("Meet Officer Reyes: why I joined the Springfield PD."), since
    )
    assert found is not None
    assert found.platform_id == f"{PAGE_ID}_122100000000000008"
    assert found.published_at == datetime(2026, 11, 24, 16, tzinfo=UTC)
    first = query_of(responses.calls[0].request.url)
    assert first["since"] == str(int(since.timestamp()))


@responses.activate
def test_find_published_stops_at_posts_older_than_since():
    responses.get(POSTS, json=load("fb_posts_page1.json"))
    responses.get(POSTS, json=load("fb_posts_page2.json"))
    since = datetime(2026, 11, 25, 10, tzinfo=UTC)
    # The wanted text exists, but before ``since``: an earlier occurrence, not this one.
    assert (
        connector().find_published(
            post("Meet Officer Reyes: why I joined the Springfield PD."), since
        )
        is None
    )
    assert len(responses.calls) == 1


@responses.activate
def test_find_published_returns_none_when_absent():
    responses.get(POSTS, json=load("fb_posts_page1.json"))
    responses.get(POSTS, json=load("fb_posts_page2.json"))
    assert connector().find_published(post("Never posted"), NOW - timedelta(days=30)) is None


# -- engagement ----------------------------------------------------------------------------
@responses.activate
def test_metrics_combine_post_fields_and_insights():
    responses.get(f"{API}/", json=load("fb_metrics_ids.json"))
    p1, p2 = f"{PAGE_ID}_122100000000000001", f"{PAGE_ID}_122100000000000002"
    snapshots = connector().fetch_metrics([p1, p2, f"{PAGE_ID}_gone"])
    assert [s.platform_id for s in snapshots] == [p1, p2]
    first, second = snapshots
    assert (first.views, first.reach, first.reactions, first.replies, first.shares) == (
        1830,
        1204,
        42,
        7,
        3,
    )
    assert first.link_clicks == 31
    assert first.taken_at == NOW
    assert first.extras["post_clicks_by_type"]["photo view"] == 5
    assert second.shares == 0 and second.link_clicks is None  # Graph omits shares at zero
    query = query_of(responses.calls[0].request.url)
    assert query["ids"] == f"{p1},{p2},{PAGE_ID}_gone"
    assert query["fields"].endswith(
        "insights.metric(post_media_view,post_total_media_view_unique,post_clicks_by_type)"
    )
    assert "reactions.summary(total_count)" in query["fields"]
    assert "comments.summary(true)" in query["fields"]


@responses.activate
def test_metrics_are_batched_fifty_ids_per_request():
    responses.get(f"{API}/", json={})
    ids = [f"{PAGE_ID}_{n}" for n in range(120)]
    connector().fetch_metrics(ids)
    batches = [query_of(call.request.url)["ids"].split(",") for call in responses.calls]
    assert [len(b) for b in batches] == [50, 50, 20]
    assert sum(batches, []) == ids


@responses.activate
def test_a_retired_metric_is_dropped_and_the_pull_continues(caplog):
    p1 = f"{PAGE_ID}_122100000000000001"
    responses.get(f"{API}/", json=error_body("invalid_metric"), status=400)
    for metric in METRICS:
        if metric == "post_clicks_by_type":
            responses.get(f"{API}/{p1}/insights", json=error_body("invalid_metric"), status=400)
        else:
            responses.get(f"{API}/{p1}/insights", json=load("fb_insight_single.json"))
    responses.get(f"{API}/", json=load("fb_metrics_ids_no_clicks.json"))
    caplog.set_level(logging.WARNING)
    fb = connector()
    [snapshot] = fb.fetch_metrics([p1])
    assert snapshot.views == 1830 and snapshot.reach == 1204 and snapshot.reactions == 42
    assert snapshot.link_clicks is None
    assert fb.insights.retired == {"post_clicks_by_type"}
    assert "post_clicks_by_type" in caplog.text


@responses.activate
def test_metrics_errors_other_than_retired_metrics_still_raise():
    responses.get(f"{API}/", json=error_body("token_expired"), status=400)
    with pytest.raises(AuthError):
        connector().fetch_metrics([f"{PAGE_ID}_1"])


@responses.activate
def test_comments_newest_first_until_the_cursor():
    url = f"{API}/{PAGE_ID}_122100000000000001/comments"
    responses.get(url, json=load("fb_comments_page1.json"))
    responses.get(url, json=load("fb_comments_page2.json"))
    since = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    comments = connector().fetch_comments(f"{PAGE_ID}_122100000000000001", since)
    assert [c.text for c in comments] == [
        "Proud of our officers",
        "Thank you for your service!",
        "What's the starting pay?",
    ]
    assert comments[1].parent_id == "122100000000000001_900001"
    assert comments[1].author == ""  # ``from`` withheld by the platform
    assert comments[2].author == "Dana Whitfield"
    assert comments[2].url.endswith("comment_id=900003")
    query = query_of(responses.calls[0].request.url)
    assert query["filter"] == "stream" and query["order"] == "reverse_chronological"
    assert query_of(responses.calls[1].request.url)["after"] == "MQZDZD"


@responses.activate
def test_comments_without_a_cursor_read_every_page():
    url = f"{API}/{PAGE_ID}_122100000000000001/comments"
    responses.get(url, json=load("fb_comments_page1.json"))
    responses.get(url, json=load("fb_comments_page2.json"))
    responses.get(url, json={"data": []})
    comments = connector().fetch_comments(f"{PAGE_ID}_122100000000000001", None)
    assert len(comments) == 4
    assert comments[0].text == "first"


# -- construction --------------------------------------------------------------------------
def test_from_settings_names_missing_settings():
    with pytest.raises(ConnectorUnavailable, match="facebook.page_id"):
        FacebookConnector.from_settings(Settings())
    with pytest.raises(ConnectorUnavailable, match="page_access_token"):
        FacebookConnector.from_settings(Settings(facebook={"page_id": PAGE_ID}))


@responses.activate
def test_created_by_name_with_base_url_and_version_from_settings():
    responses.post(f"{BASE}/v24.0/{PAGE_ID}/feed", json=load("fb_feed_created.json"))
    settings = Settings(
        facebook={
            "page_id": PAGE_ID,
            "page_access_token": TOKEN,
            "base_url": BASE,
            "api_version": "v24.0",
        }
    )
    fb = create("facebook", settings)
    assert fb.platform == "facebook" and fb.limits.metrics_batch == 50
    fb.publish(post())
    assert TOKEN not in repr(fb)


# -- unreadable replies and usage headers --------------------------------------------------
HTML = (Path(__file__).parent / "data" / "graph" / "html_error.html").read_text()
COMMENTS = f"{API}/{PAGE_ID}_1/comments"

UNREADABLE = [
    (
        "html page from the feed post",
        "POST",
        FEED,
        502,
        HTML,
        OutcomeUnknown,
        lambda fb: fb.publish(post()),
    ),
    (
        "malformed json from the feed post",
        "POST",
        FEED,
        200,
        '{"id": "1_',
        OutcomeUnknown,
        lambda fb: fb.publish(post()),
    ),
    (
        "html page from metrics",
        "GET",
        f"{API}/",
        502,
        HTML,
        TransientError,
        lambda fb: fb.fetch_metrics([f"{PAGE_ID}_1"]),
    ),
    (
        "malformed json from comments",
        "GET",
        COMMENTS,
        200,
        "{",
        TransientError,
        lambda fb: fb.fetch_comments(f"{PAGE_ID}_1", None),
    ),
    (
        "html 404 from the posts list (wrong base_url)",
        "GET",
        POSTS,
        404,
        HTML,
        Rejected,
        lambda fb: fb.find_published(post(), NOW),
    ),
]


@pytest.mark.parametrize(
    "scenario,method,url,status,body,expected,call", UNREADABLE, ids=[r[0] for r in UNREADABLE]
)
@responses.activate
def test_unreadable_replies(scenario, method, url, status, body, expected, call):
    responses.add(method, url, body=body, status=status, content_type="text/html")
    with pytest.raises(expected) as caught:
        call(connector())
    assert type(caught.value) is expected
    assert TOKEN not in str(caught.value)


@responses.activate
def test_page_usage_slows_the_connector_then_stops_it_before_sending():
    def buc(percent: int, regain: int) -> dict[str, str]:
        usage = {
            PAGE_ID: [
                {
                    "type": "pages",
                    "call_count": percent,
                    "total_cputime": 10,
                    "total_time": 10,
                    "estimated_time_to_regain_access": regain,
                }
            ]
        }
        return {"X-Business-Use-Case-Usage": json.dumps(usage)}

    responses.post(FEED, json=load("fb_feed_created.json"), headers=buc(96, 0))
    responses.post(FEED, json={"id": f"{PAGE_ID}_2"}, headers=buc(100, 12))
    sleeps = Sleeps()
    fb = connector(sleep=sleeps)
    fb.publish(post("first"))
    assert sleeps == []
    fb.publish(post("second"))
    assert len(sleeps) == 1 and sleeps[0] > 0  # 96% of the Page budget: paced
    with pytest.raises(RateLimited) as caught:
        fb.publish(post("third"))
    assert caught.value.reset_at == NOW + timedelta(minutes=12)
    assert len(responses.calls) == 2  # the third post never left


# -- comments of many posts per request ----------------------------------------------------
POST_A, POST_B, POST_C = (f"{PAGE_ID}_12210000000000000{n}" for n in (1, 2, 3))
GONE = f"{PAGE_ID}_404"
IDS_URL = f"{API}/"
EXPANSION = (
    "comments.filter(stream).order(reverse_chronological).limit(50)"
    "{id,message,from,created_time,parent{id},permalink_url}"
)


def batch_calls() -> list:
    return [c for c in responses.calls if urlsplit(c.request.url).path == f"/{VERSION}/"]


def edge_calls(post_id: str) -> list:
    return [c for c in responses.calls if c.request.url.startswith(f"{API}/{post_id}/comments")]


def serve_recorded_batch() -> None:
    """Answer every multi-id read from the recorded reply; posts not in it have no comments."""
    recorded = load("fb_comments_ids.json")

    def reply(request):
        ids = query_of(request.url)["ids"].split(",")
        return 200, {}, json.dumps({i: recorded.get(i, {"id": i}) for i in ids})

    responses.add_callback(responses.GET, IDS_URL, callback=reply)


@responses.activate
def test_comments_batch_reads_fifty_posts_per_request_and_pages_on_each_posts_edge():
    serve_recorded_batch()
    responses.get(f"{API}/{POST_A}/comments", json=load("fb_comments_page2.json"))
    responses.get(f"{API}/{POST_A}/comments", json={"data": []})
    ids = [POST_A, POST_B, POST_C] + [f"{PAGE_ID}_{n}" for n in range(60)]

    got = connector().fetch_comments_batch({i: None for i in ids})

    assert [len(query_of(c.request.url)["ids"].split(",")) for c in batch_calls()] == [50, 13]
    assert query_of(batch_calls()[0].request.url)["fields"] == EXPANSION
    assert set(got) == set(ids)
    assert [c.text for c in got[POST_A]] == [
        "first",
        "Proud of our officers",
        "Thank you for your service!",
        "What's the starting pay?",
    ]
    assert got[POST_A][2].parent_id == "122100000000000001_900001"
    assert got[POST_A][3].author == "Dana Whitfield"
    assert [c.text for c in got[POST_B]] == ["See you at the hiring fair!"]
    assert got[POST_C] == [] and got[f"{PAGE_ID}_7"] == []
    # Only POST_A had a next page; it is read from our own host with our own token.
    assert len(edge_calls(POST_A)) == 2 and len(responses.calls) == 4
    page2 = query_of(edge_calls(POST_A)[0].request.url)
    assert page2["after"] == "MQZDZD" and page2["access_token"] == TOKEN
    assert (page2["filter"], page2["order"], page2["limit"]) == (
        "stream",
        "reverse_chronological",
        "50",
    )


CURSORS = [
    # (scenario, cursor, edge pages read, texts returned)
    (
        "no cursor: every page",
        None,
        2,
        [
            "first",
            "Proud of our officers",
            "Thank you for your service!",
            "What's the starting pay?",
        ],
    ),
    (
        "first page newer than the cursor: the next page, which reaches past it, then stop",
        datetime(2026, 11, 25, 8, 30, tzinfo=UTC),
        1,
        ["Proud of our officers", "Thank you for your service!", "What's the starting pay?"],
    ),
    (
        "first page already reaches past the cursor: no paging",
        datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
        0,
        ["What's the starting pay?"],
    ),
    (
        "a comment in the cursor's own second comes back (the store keeps one)",
        datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        1,
        ["Thank you for your service!", "What's the starting pay?"],
    ),
]


@pytest.mark.parametrize("scenario,cursor,pages,texts", CURSORS, ids=[r[0] for r in CURSORS])
@responses.activate
def test_comments_batch_pages_a_post_only_while_it_is_newer_than_its_cursor(
    scenario, cursor, pages, texts
):
    serve_recorded_batch()
    responses.get(f"{API}/{POST_A}/comments", json=load("fb_comments_page2.json"))
    responses.get(f"{API}/{POST_A}/comments", json={"data": []})
    got = connector().fetch_comments_batch({POST_A: cursor, POST_B: None})
    assert [c.text for c in got[POST_A]] == texts
    assert len(edge_calls(POST_A)) == pages
    assert [c.text for c in got[POST_B]] == ["See you at the hiring fair!"]  # its own cursor


def _node(post_id: str) -> dict:
    return load("fb_comments_ids.json")[post_id]


BATCH_ERRORS = [
    # (scenario, batch reply (status, body), one-by-one replies, expected ids or error, calls)
    (
        "an id that no longer exists (803): the rest read one by one",
        (400, error_body("missing_object")),
        {POST_B: (200, _node(POST_B)), POST_C: (200, _node(POST_C)), GONE: (400, "node_missing")},
        {POST_B, POST_C},
        4,
    ),
    (
        "a missing object as code 100 subcode 33",
        (400, error_body("node_missing")),
        {POST_B: (200, _node(POST_B)), POST_C: (200, _node(POST_C)), GONE: (400, "node_missing")},
        {POST_B, POST_C},
        4,
    ),
    (
        "a reply too large to build (code 1, reduce the amount of data)",
        (500, error_body("reduce_data")),
        {POST_B: (200, _node(POST_B)), POST_C: (200, _node(POST_C)), GONE: (400, "node_missing")},
        {POST_B, POST_C},
        4,
    ),
    ("expired token", (400, error_body("token_expired")), {}, AuthError, 1),
    ("missing permission", (403, error_body("missing_permission")), {}, MissingPermission, 1),
    ("Page rate limit", (400, error_body("page_limit")), {}, RateLimited, 1),
    ("business use case limit", (400, error_body("buc_limit")), {}, RateLimited, 1),
    ("service unavailable", (503, error_body("service_unavailable")), {}, TransientError, 1),
    ("unknown error is not a size problem", (500, error_body("unknown")), {}, TransientError, 1),
    (
        "an invalid request is not one post's fault",
        (400, error_body("invalid_parameter")),
        {},
        Rejected,
        1,
    ),
    (
        "rate limited during the one-by-one reads",
        (400, error_body("missing_object")),
        {POST_B: (400, "page_limit")},
        RateLimited,
        2,
    ),
    (
        "a comments edge without a data list",
        (200, {POST_B: {"id": POST_B, "comments": {"data": "none"}}}),
        {},
        TransientError,
        1,
    ),
]


@pytest.mark.parametrize(
    "scenario,batch,singles,expected,calls", BATCH_ERRORS, ids=[r[0] for r in BATCH_ERRORS]
)
@responses.activate
def test_comments_batch_errors(scenario, batch, singles, expected, calls):
    responses.get(IDS_URL, status=batch[0], json=batch[1])
    for post_id, (status, body) in singles.items():
        responses.get(
            f"{API}/{post_id}", status=status, json=error_body(body) if status >= 400 else body
        )
    cursors = {POST_B: None, POST_C: None, GONE: None}
    if isinstance(expected, set):
        got = connector().fetch_comments_batch(cursors)
        assert set(got) == expected
        assert [c.text for c in got[POST_B]] == ["See you at the hiring fair!"]
        single = query_of(responses.calls[1].request.url)
        assert single["fields"] == EXPANSION and "ids" not in single
    else:
        with pytest.raises(expected) as caught:
            connector().fetch_comments_batch(cursors)
        assert type(caught.value) is expected
        assert TOKEN not in str(caught.value)
    assert len(responses.calls) == calls
