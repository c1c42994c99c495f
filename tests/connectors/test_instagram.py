"""Instagram connector against mocked Graph replies: container lifecycle, quota, resume."""

from __future__ import annotations

import hashlib
import json
import re
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
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.hosting import MediaHost
from connectors.instagram import InstagramConnector
from tests.connectors._graph_support import (
    API,
    BASE,
    IG_USER_ID,
    NOW,
    TOKEN,
    VERSION,
    Sleeps,
    error_body,
    form_of,
    load,
    make_client,
    query_of,
)

MEDIA = f"{API}/{IG_USER_ID}/media"
PUBLISH = f"{API}/{IG_USER_ID}/media_publish"
LIMIT = f"{API}/{IG_USER_ID}/content_publishing_limit"
CONTAINER = "17889455560051444"
CONTAINER_URL = f"{API}/{CONTAINER}"
MEDIA_ID = "17920238422030506"
MEDIA_URL = f"{API}/{MEDIA_ID}"
# Where the department's web server publishes the publish folder (mocked below).
HOSTED = "https://media.springfield.example/campaign"


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each test in a fresh folder whose ``public-media/`` the mocked web server publishes."""
    monkeypatch.chdir(tmp_path)
    published = tmp_path / "public-media"

    def serve(request: requests.PreparedRequest):
        target = published / urlsplit(request.url).path.rpartition("/")[2]
        if target.is_file():
            return 200, {"Content-Type": "image/jpeg"}, target.read_bytes()
        return 404, {"Content-Type": "text/html"}, "<h1>Not Found</h1>"

    responses.add_callback(responses.GET, re.compile(re.escape(HOSTED) + "/"), callback=serve)
    yield published
    responses.reset()


def connector(**kwargs) -> InstagramConnector:
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault(
        "host", MediaHost(publish_dir=Path("public-media").resolve(), base_url=HOSTED)
    )
    return InstagramConnector(
        ig_user_id=IG_USER_ID, client=make_client("instagram"), poll_interval=2, **kwargs
    )


def image(name: str = "reyes.jpg", alt: str = "Officer Reyes") -> MediaFile:
    """A real photo on disk (``media/<name>``, its colour from its name)."""
    path = Path("media") / name
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        shade = hashlib.sha256(name.encode()).digest()[:3]
        Image.new("RGB", (400, 400), tuple(shade)).save(path, "JPEG")
    return MediaFile(path=path, alt_text=alt)


def post(*media: MediaFile, text: str = "Meet Officer Reyes", **kwargs) -> OutgoingPost:
    return OutgoingPost(
        key="camp/reyes/instagram/0", text=text, media=media or (image(),), **kwargs
    )


def happy_path(status_replies=("ig_container_finished.json",)) -> None:
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    for reply in status_replies:
        responses.get(CONTAINER_URL, json=load(reply))
    responses.post(PUBLISH, json=load("ig_media_published.json"))
    responses.get(MEDIA_URL, json=load("ig_permalink.json"))


# -- publishing ----------------------------------------------------------------------------
@responses.activate
def test_single_image_container_poll_publish():
    happy_path(("ig_container_in_progress.json", "ig_container_finished.json"))
    sleeps = Sleeps()
    saved: list[dict[str, str]] = []

    def save(_post: OutgoingPost, resume: dict[str, str]) -> None:
        # Saved before the publishing call is made, so a crash cannot lose it.
        assert not any(c.request.url == PUBLISH for c in responses.calls)
        saved.append(resume)

    ig = connector(sleep=sleeps, on_resume=save)
    published = ig.publish(post(link="https://springfield.example/jobs"))
    assert published.platform_id == MEDIA_ID
    assert published.url == "https://www.instagram.com/p/DAbCdEfGh12/"
    assert published.published_at == NOW
    assert saved == [{"container_id": CONTAINER}]
    assert sleeps == [2]  # one wait while IN_PROGRESS
    [creation] = calls_to_url(MEDIA)
    container = form_of(creation.request.body)
    [copy] = list(Path("public-media").glob("*.jpg"))
    assert copy.name == hashlib.sha256(copy.read_bytes()).hexdigest() + ".jpg"
    assert container["image_url"] == f"{HOSTED}/{copy.name}"
    assert container["alt_text"] == "Officer Reyes"
    assert container["caption"] == "Meet Officer Reyes\n\nhttps://springfield.example/jobs"
    [publish] = calls_to_url(PUBLISH)
    assert form_of(publish.request.body)["creation_id"] == CONTAINER
    assert query_of(calls_to_url(CONTAINER_URL)[0].request.url)["fields"] == "id,status_code,status"


@responses.activate
def test_several_images_make_a_carousel():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json={"id": "child-1"})
    responses.post(MEDIA, json={"id": "child-2"})
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, json=load("ig_media_published.json"))
    responses.get(MEDIA_URL, json=load("ig_permalink.json"))
    connector().publish(post(image("a.jpg"), image("b.jpg", alt="")))
    first, second, parent = (form_of(c.request.body) for c in calls_to_url(MEDIA))
    assert first["is_carousel_item"] == "true" and first["alt_text"] == "Officer Reyes"
    assert second["is_carousel_item"] == "true" and "alt_text" not in second
    assert "caption" not in first
    assert parent["media_type"] == "CAROUSEL"
    assert parent["children"] == "child-1,child-2"
    assert parent["caption"] == "Meet Officer Reyes"


def test_missing_media_base_url_is_rejected_naming_the_setting():
    with responses.RequestsMock() as mocked, pytest.raises(Rejected) as caught:
        connector(host=None).publish(post(image()))
    assert "instagram.media_base_url" in str(caught.value)
    assert len(mocked.calls) == 0


@responses.activate
def test_instagram_gets_the_metadata_free_copy_never_the_original(workspace):
    original = Path("media") / "gps.jpg"
    original.parent.mkdir()
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 52.0, 12.5)})
    exif.get_ifd(0x8769)[0xA431] = "SN-4471"
    Image.new("RGB", (400, 400), (10, 20, 30)).save(original, "JPEG", exif=exif)
    happy_path()
    connector().publish(post(MediaFile(path=original)))
    [creation] = calls_to_url(MEDIA)
    url = form_of(creation.request.body)["image_url"]
    [checked] = [c for c in responses.calls if c.request.url == url]
    assert checked.request.method == "GET"  # fetched and compared before the container
    assert responses.calls.index(checked) < responses.calls.index(creation)
    [copy] = workspace.glob("*.jpg")
    assert url == f"{HOSTED}/{copy.name}"
    with Image.open(copy) as img:
        assert not img.getexif() and "exif" not in img.info
    assert b"SN-4471" not in copy.read_bytes()


HOSTING_FAULTS = [
    # (scenario, what the web server answers for the copy's address, error, message)
    ("serves the original", "original", Rejected, "does not serve the metadata-free copy"),
    ("serves a page", "page", Rejected, "does not serve the metadata-free copy"),
    ("not published yet", 404, TransientError, "HTTP 404"),
    ("server error", 503, TransientError, "HTTP 503"),
    ("unreachable", "refused", TransientError, "cannot fetch"),
]


@pytest.mark.parametrize(
    "scenario,answer,expected,match", HOSTING_FAULTS, ids=[r[0] for r in HOSTING_FAULTS]
)
def test_a_media_url_not_serving_the_copy_stops_the_post_before_any_container(
    scenario, answer, expected, match
):
    original = image()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.get(LIMIT, json=load("ig_publishing_limit.json"))
        hosted = re.compile(re.escape(HOSTED) + "/")
        if answer == "original":
            mocked.get(hosted, body=original.path.read_bytes(), content_type="image/jpeg")
        elif answer == "page":
            mocked.get(hosted, body="<h1>Welcome</h1>", content_type="text/html")
        elif answer == "refused":
            mocked.get(hosted, body=requests.exceptions.ConnectionError("refused"))
        else:
            mocked.get(hosted, body="<h1>error</h1>", status=answer)
        with pytest.raises(expected, match=match) as caught:
            connector().publish(post(original))
        assert not any(c.request.method == "POST" for c in mocked.calls)
    assert type(caught.value) is expected
    assert "instagram.media_base_url" in str(caught.value) or "public-media" in str(caught.value)


@pytest.mark.parametrize(
    "media,match",
    [
        ((), "at least one image"),
        (tuple(MediaFile(path=Path(f"{i}.jpg")) for i in range(11)), "at most 10"),
        (
            (
                MediaFile(path=Path("clip.mp4"), mime_type="video/mp4"),
                MediaFile(path=Path("a.jpg")),
            ),
            "a video goes out alone",
        ),
    ],
    ids=["no image", "too many", "video with a photo"],
)
def test_media_instagram_cannot_take_is_rejected(media, match):
    no_media = OutgoingPost(key="k", text="hi", media=media)
    with pytest.raises(Rejected, match=match):
        connector().publish(no_media)


@responses.activate
def test_exhausted_quota_is_rate_limited_until_the_oldest_post_leaves_the_window():
    responses.get(LIMIT, json=load("ig_publishing_limit_exhausted.json"))
    responses.get(MEDIA, json=load("ig_recent_media.json"))
    with pytest.raises(RateLimited) as caught:
        connector().publish(post())
    # The oldest post inside the last 24 h (12:05 today; 12:00 yesterday is already out)
    # frees its slot 24 h after it was published.
    assert caught.value.reset_at == datetime(2026, 11, 26, 12, 5, tzinfo=UTC)
    assert not any(c.request.method == "POST" for c in responses.calls)


@responses.activate
def test_container_error_is_rejected_with_the_platform_detail():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_error.json"))
    with pytest.raises(Rejected, match="2207026"):
        connector().publish(post())


@responses.activate
def test_container_still_processing_is_transient_and_keeps_the_container():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_in_progress.json"))
    sleeps = Sleeps()
    ig = InstagramConnector(
        ig_user_id=IG_USER_ID,
        client=make_client("instagram"),
        poll_interval=3,
        poll_timeout=9,
        sleep=sleeps,
        host=MediaHost(publish_dir=Path("public-media").resolve(), base_url=HOSTED),
    )
    with pytest.raises(TransientError) as caught:
        ig.publish(post())
    assert caught.value.resume == {"container_id": CONTAINER}
    assert sleeps == [3, 3, 3]
    assert not any(c.request.url == PUBLISH for c in responses.calls)


@responses.activate
def test_media_publish_timeout_is_unknown_and_carries_the_container():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, body=requests.exceptions.ReadTimeout(f"access_token={TOKEN}"))
    with pytest.raises(OutcomeUnknown) as caught:
        connector().publish(post())
    assert caught.value.resume == {"container_id": CONTAINER}
    assert TOKEN not in str(caught.value)


@responses.activate
def test_media_publish_server_error_is_unknown():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, json=error_body("unknown"), status=500)
    with pytest.raises(OutcomeUnknown):
        connector().publish(post())


PRE_PUBLISH_ERRORS = [
    ("expired token at quota check", "GET", LIMIT, 400, "token_expired", AuthError),
    ("media could not be fetched", "POST", MEDIA, 400, "invalid_parameter", Rejected),
    ("container creation 5xx", "POST", MEDIA, 500, "service_unavailable", TransientError),
    ("business use case limit", "POST", MEDIA, 400, "buc_limit", RateLimited),
]


@pytest.mark.parametrize(
    "scenario,method,url,status,fixture,expected",
    PRE_PUBLISH_ERRORS,
    ids=[r[0] for r in PRE_PUBLISH_ERRORS],
)
@responses.activate
def test_errors_before_publishing_never_claim_an_unknown_outcome(
    scenario, method, url, status, fixture, expected
):
    if url != LIMIT:
        responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.add(method, url, json=error_body(fixture), status=status)
    with pytest.raises(expected) as caught:
        connector().publish(post())
    assert type(caught.value) is expected


@responses.activate
def test_resume_with_a_published_container_does_not_publish_again():
    responses.get(CONTAINER_URL, json=load("ig_container_published.json"))
    responses.get(MEDIA, json=load("ig_recent_media.json"))
    resumed = post(resume={"container_id": CONTAINER}, scheduled_at=NOW - timedelta(hours=1))
    published = connector().publish(resumed)
    assert published.platform_id == MEDIA_ID
    assert not any(c.request.method == "POST" for c in responses.calls)


@responses.activate
def test_resume_with_a_finished_container_publishes_it_without_a_new_one():
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, json=load("ig_media_published.json"))
    responses.get(MEDIA_URL, json=load("ig_permalink.json"))
    connector().publish(post(resume={"container_id": CONTAINER}))
    posts = [c.request.url for c in responses.calls if c.request.method == "POST"]
    assert posts == [PUBLISH]


@responses.activate
def test_resume_with_an_expired_container_starts_over():
    responses.get(CONTAINER_URL, json={"status_code": "EXPIRED", "id": CONTAINER})
    happy_path()
    connector().publish(post(resume={"container_id": CONTAINER}))
    posts = [c.request.url for c in responses.calls if c.request.method == "POST"]
    assert posts == [MEDIA, PUBLISH]


@responses.activate
def test_permalink_failure_does_not_undo_a_publish():
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, json=load("ig_media_published.json"))
    responses.get(MEDIA_URL, json=error_body("service_unavailable"), status=503)
    published = connector().publish(post())
    assert published.platform_id == MEDIA_ID and published.url == ""


# -- reconciliation ------------------------------------------------------------------------
@responses.activate
def test_find_published_by_caption_since():
    responses.get(MEDIA, json=load("ig_recent_media.json"))
    found = connector().find_published(
        post(
            text="Career fair Saturday at the Civic Center.",
            link="https://springfield.example/jobs?utm_source=instagram",
        ),
        NOW - timedelta(hours=2),
    )
    assert found is not None and found.platform_id == "17920238422030507"
    assert found.url == "https://www.instagram.com/p/DAbCdEfGh13/"


@responses.activate
def test_find_published_ignores_matches_before_since():
    responses.get(MEDIA, json=load("ig_recent_media.json"))
    # "Meet Officer Reyes" exists twice, both before the cursor of this occurrence.
    assert connector().find_published(post(), NOW - timedelta(hours=2)) is None


@responses.activate
def test_find_published_trusts_an_unpublished_container():
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    assert connector().find_published(post(resume={"container_id": CONTAINER}), NOW) is None
    assert len(responses.calls) == 1


@responses.activate
def test_find_published_with_a_published_container_but_no_media_stays_unknown():
    responses.get(CONTAINER_URL, json=load("ig_container_published.json"))
    responses.get(MEDIA, json={"data": []})
    with pytest.raises(OutcomeUnknown) as caught:
        connector().find_published(
            post(text="Caption edited since", resume={"container_id": CONTAINER}),
            NOW - timedelta(hours=2),
        )
    assert caught.value.resume == {"container_id": CONTAINER}


# -- engagement ----------------------------------------------------------------------------
@responses.activate
def test_metrics_from_insights_batched_by_ids():
    responses.get(f"{API}/", json=load("ig_metrics_ids.json"))
    snapshots = connector().fetch_metrics([MEDIA_ID, "17920238422030507"])
    first = snapshots[0]
    assert (
        first.views,
        first.reach,
        first.reactions,
        first.replies,
        first.shares,
        first.saves,
    ) == (
        2400,
        1500,
        80,
        9,
        6,
        14,
    )
    assert first.extras["total_interactions"] == 109
    fields = query_of(responses.calls[0].request.url)["fields"]
    assert fields == (
        "id,timestamp,like_count,comments_count,media_product_type,"
        "insights.metric(views,reach,likes,comments,shares,saved,total_interactions)"
    )


@responses.activate
def test_a_retired_instagram_metric_is_dropped():
    responses.get(f"{API}/", json=error_body("invalid_metric"), status=400)
    for metric in ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions"):
        if metric == "views":
            responses.get(f"{MEDIA_URL}/insights", json=error_body("invalid_metric"), status=400)
        else:
            responses.get(f"{MEDIA_URL}/insights", json={"data": []})
    responses.get(f"{API}/", json=load("ig_metrics_ids_without_views.json"))
    ig = connector()
    [snapshot] = ig.fetch_metrics([MEDIA_ID])
    assert snapshot.views is None and snapshot.reach == 1500 and snapshot.saves == 14
    assert ig.insights.retired == {"views"}
    assert "views" not in query_of(responses.calls[-1].request.url)["fields"].split("(")[1]


@responses.activate
def test_media_with_too_few_viewers_falls_back_to_counts():
    responses.get(f"{API}/", json=error_body("not_enough_viewers"), status=400)
    responses.get(MEDIA_URL, json=error_body("not_enough_viewers"), status=400)
    responses.get(MEDIA_URL, json={"id": MEDIA_ID, "like_count": 4, "comments_count": 1})
    [snapshot] = connector().fetch_metrics([MEDIA_ID])
    assert snapshot.reactions == 4 and snapshot.replies == 1 and snapshot.views is None


@responses.activate
def test_comments_with_replies_since_a_cursor():
    url = f"{MEDIA_URL}/comments"
    responses.get(url, json=load("ig_comments.json"))
    responses.get(url, json=load("ig_comments_page2.json"))
    comments = connector().fetch_comments(MEDIA_ID, datetime(2026, 11, 24, tzinfo=UTC))
    assert [(c.author, c.text) for c in comments] == [
        ("future_cadet", "How do I apply?"),
        ("springfieldpd", "Link in bio!"),
        ("skeptic", "Hiring again?!"),
    ]
    assert comments[1].parent_id == "17858893269000001"
    assert all(c.post_platform_id == MEDIA_ID for c in comments)
    assert query_of(responses.calls[0].request.url)["fields"].startswith(
        "id,text,username,timestamp"
    )


# -- construction --------------------------------------------------------------------------
def test_from_settings_names_missing_settings():
    with pytest.raises(ConnectorUnavailable, match="instagram.ig_user_id"):
        InstagramConnector.from_settings(Settings())
    with pytest.raises(ConnectorUnavailable, match="instagram.access_token"):
        InstagramConnector.from_settings(Settings(instagram={"ig_user_id": IG_USER_ID}))


def test_created_by_name_from_settings():
    settings = Settings(
        instagram={"ig_user_id": IG_USER_ID, "access_token": TOKEN, "base_url": BASE}
    )
    ig = create("instagram", settings)
    assert ig.platform == "instagram" and ig.limits.posts_per_24h == 50
    assert ig.client.base_url == BASE and ig.client.api_version == "v25.0"
    assert TOKEN not in repr(ig) and TOKEN not in repr(ig.client)


# -- unreadable replies and usage headers --------------------------------------------------
HTML = (Path(__file__).parent / "data" / "graph" / "html_error.html").read_text()

UNREADABLE = [
    ("html page from quota check", "GET", LIMIT, 502, HTML, TransientError, False),
    (
        "malformed json from container creation",
        "POST",
        MEDIA,
        200,
        '{"id": ',
        TransientError,
        False,
    ),
    ("html page from media_publish", "POST", PUBLISH, 502, HTML, OutcomeUnknown, True),
    ("malformed json from media_publish", "POST", PUBLISH, 200, "{", OutcomeUnknown, True),
]


@pytest.mark.parametrize(
    "scenario,method,url,status,body,expected,has_resume",
    UNREADABLE,
    ids=[r[0] for r in UNREADABLE],
)
@responses.activate
def test_unreadable_replies(scenario, method, url, status, body, expected, has_resume):
    replies = [
        ("GET", LIMIT, load("ig_publishing_limit.json")),
        ("POST", MEDIA, load("ig_container_created.json")),
        ("GET", CONTAINER_URL, load("ig_container_finished.json")),
        ("POST", PUBLISH, load("ig_media_published.json")),
    ]
    for reply_method, reply_url, reply_body in replies:
        if (reply_method, reply_url) == (method, url):
            responses.add(method, url, body=body, status=status, content_type="text/html")
            break
        responses.add(reply_method, reply_url, json=reply_body)
    with pytest.raises(expected) as caught:
        connector().publish(post())
    assert type(caught.value) is expected
    assert (getattr(caught.value, "resume", None) == {"container_id": CONTAINER}) is has_resume
    assert TOKEN not in str(caught.value)


@responses.activate
def test_throttled_usage_stops_before_media_publish_and_keeps_the_container():
    usage = {
        IG_USER_ID: [
            {
                "type": "instagram",
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "estimated_time_to_regain_access": 4,
            }
        ]
    }
    responses.get(LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(MEDIA, json=load("ig_container_created.json"))
    responses.get(
        CONTAINER_URL,
        json=load("ig_container_finished.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as caught:
        connector().publish(post())
    assert caught.value.reset_at == NOW + timedelta(minutes=4)
    assert caught.value.resume == {"container_id": CONTAINER}
    assert not any(c.request.url == PUBLISH for c in responses.calls)


# -- comments of many media per request ----------------------------------------------------
MEDIA_B, MEDIA_C = "17920238422030507", "17920238422030508"
IDS_URL = f"{API}/"
THREAD = "17858893269000001"
EXPANSION = "comments.limit(50){id,text,username,timestamp,replies{id,text,username,timestamp}}"


def serve_recorded_batch() -> None:
    recorded = load("ig_comments_ids.json")

    def reply(request):
        ids = query_of(request.url)["ids"].split(",")
        return 200, {}, json.dumps({i: recorded.get(i, {"id": i}) for i in ids})

    responses.add_callback(responses.GET, IDS_URL, callback=reply)
    responses.get(f"{MEDIA_URL}/comments", json=load("ig_comments_page2.json"))
    responses.get(f"{API}/{THREAD}/replies", json=load("ig_replies_page2.json"))


def calls_to_url(url: str) -> list:
    return [c for c in responses.calls if c.request.url.split("?")[0] == url]


def calls_to(path: str) -> list:
    return [c for c in responses.calls if urlsplit(c.request.url).path == f"/{VERSION}/{path}"]


BATCH_CURSORS = [
    # (scenario, cursor of MEDIA_ID, texts returned for it)
    (
        "no cursor: every comment and reply",
        None,
        [
            "Great video",
            "How do I apply?",
            "Link in bio!",
            "Hiring again?!",
            "Does the academy pay?",
        ],
    ),
    (
        "a cursor keeps what is at or after it, replies to older comments included",
        datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
        ["Link in bio!", "Hiring again?!", "Does the academy pay?"],
    ),
    (
        "a cursor past everything: every page is still read (no documented order), none kept",
        datetime(2026, 11, 26, tzinfo=UTC),
        [],
    ),
]


@pytest.mark.parametrize("scenario,cursor,texts", BATCH_CURSORS, ids=[r[0] for r in BATCH_CURSORS])
@responses.activate
def test_comments_batch_reads_every_page_and_thread_then_cuts_at_each_cursor(
    scenario, cursor, texts
):
    serve_recorded_batch()
    ids = [MEDIA_ID, MEDIA_B, MEDIA_C] + [f"1792023842203{n:04d}" for n in range(50)]

    got = connector().fetch_comments_batch({i: cursor if i == MEDIA_ID else None for i in ids})

    batches = calls_to("")
    assert [len(query_of(c.request.url)["ids"].split(",")) for c in batches] == [50, 3]
    assert query_of(batches[0].request.url)["fields"] == EXPANSION
    assert [c.text for c in got[MEDIA_ID]] == texts
    assert [c.text for c in got[MEDIA_B]] == ["Congrats to the new class!"]
    assert got[MEDIA_C] == [] and set(got) == set(ids)
    # The media's next page and the long thread's next replies, each once, from our host.
    [edge] = calls_to(f"{MEDIA_ID}/comments")
    [thread] = calls_to(f"{THREAD}/replies")
    assert query_of(edge.request.url)["after"] == "QVFJ"
    assert query_of(edge.request.url)["fields"].endswith("replies{id,text,username,timestamp}")
    assert query_of(thread.request.url)["after"] == "QVFIUn"
    assert query_of(thread.request.url)["access_token"] == TOKEN
    assert len(responses.calls) == 4


@responses.activate
def test_comments_batch_replies_name_their_thread():
    serve_recorded_batch()
    got = connector().fetch_comments_batch({MEDIA_ID: None})
    by_text = {c.text: c for c in got[MEDIA_ID]}
    assert by_text["Link in bio!"].parent_id == THREAD
    assert by_text["Does the academy pay?"].parent_id == THREAD
    assert by_text["How do I apply?"].parent_id is None
    assert all(c.post_platform_id == MEDIA_ID for c in got[MEDIA_ID])


IG_BATCH_ERRORS = [
    # (scenario, batch reply (status, body), expected ids or error, calls)
    ("media that no longer exists: the rest one by one", (400, "missing_object"), {MEDIA_B}, 3),
    ("expired token", (400, "token_expired"), AuthError, 1),
    ("Instagram account throttled", (400, "buc_limit"), RateLimited, 1),
    ("service unavailable", (503, "service_unavailable"), TransientError, 1),
]


@pytest.mark.parametrize(
    "scenario,batch,expected,calls", IG_BATCH_ERRORS, ids=[r[0] for r in IG_BATCH_ERRORS]
)
@responses.activate
def test_comments_batch_errors(scenario, batch, expected, calls):
    responses.get(IDS_URL, status=batch[0], json=error_body(batch[1]))
    responses.get(f"{API}/{MEDIA_B}", json=load("ig_comments_ids.json")[MEDIA_B])
    responses.get(f"{API}/{MEDIA_C}", status=400, json=error_body("node_missing"))
    cursors = {MEDIA_B: None, MEDIA_C: None}
    if isinstance(expected, set):
        got = connector().fetch_comments_batch(cursors)
        assert set(got) == expected
        assert [c.text for c in got[MEDIA_B]] == ["Congrats to the new class!"]
    else:
        with pytest.raises(expected) as caught:
            connector().fetch_comments_batch(cursors)
        assert TOKEN not in str(caught.value)
    assert len(responses.calls) == calls
