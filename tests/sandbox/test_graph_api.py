"""The sandbox's Graph API over real HTTP, driven by the real Facebook and Instagram connectors."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image, IptcImagePlugin

from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import (
    AuthError,
    DuplicateContent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.facebook import FacebookConnector
from connectors.graph import GraphClient
from connectors.instagram import InstagramConnector
from connectors.sandbox import (
    FACEBOOK_PAGE_ID,
    INSTAGRAM_USER_ID,
    FaultPlan,
    SandboxServer,
    SandboxState,
    SimClock,
)

START = datetime.now(UTC).replace(microsecond=0)
TOKEN = "sandbox-token"
CAMERA_MARK = "SecretCam-HomeGarage-4471"


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(seed=7, clock=SimClock(START))


@pytest.fixture
def hosted(tmp_path: Path) -> Path:
    """The publish folder (instagram.publish_dir in the workspace ``tmp_path``)."""
    folder = tmp_path / "public-media"
    folder.mkdir()
    return folder


@pytest.fixture
def server(state: SandboxState, hosted: Path):
    with SandboxServer(state, media_dir=hosted) as running:
        yield running


@pytest.fixture
def settings(server: SandboxServer, tmp_path: Path) -> Settings:
    return Settings(
        workspace=tmp_path,
        facebook={
            "base_url": server.url,
            "page_id": FACEBOOK_PAGE_ID,
            "page_access_token": TOKEN,
            # the two first were retired by Meta; the sandbox refuses them as the API does
            "insights_metrics": [
                "post_impressions",
                "post_impressions_unique",
                "post_media_view",
                "post_total_media_view_unique",
                "post_clicks_by_type",
            ],
            "timeout_seconds": 2,
        },
        instagram={
            "base_url": server.url,
            "ig_user_id": INSTAGRAM_USER_ID,
            "access_token": TOKEN,
            "media_base_url": f"{server.url}/_sandbox/hosted/",
            "timeout_seconds": 2,
        },
    )


@pytest.fixture
def facebook(settings: Settings) -> FacebookConnector:
    return FacebookConnector.from_settings(settings)


@pytest.fixture
def instagram(settings: Settings) -> InstagramConnector:
    ig = InstagramConnector.from_settings(settings)
    ig.poll_interval = 0
    return ig


def jpeg(path: Path, size: tuple[int, int] = (800, 800)) -> Path:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MARK
    Image.new("RGB", size, (20, 80, 140)).save(path, "JPEG", exif=exif.tobytes())
    return path


def hosted_image(server: SandboxServer, hosted: Path, name: str, **kwargs) -> MediaFile:
    """An original photo in the workspace's ``media/`` (the connector hosts a stripped copy)."""
    originals = hosted.parent / "media"
    originals.mkdir(exist_ok=True)
    return MediaFile(path=jpeg(originals / name, **kwargs), alt_text=f"alt for {name}")


def fb_post(text: str, **kwargs) -> OutgoingPost:
    return OutgoingPost(key=f"k/{text[:12]}", text=text, **kwargs)


# -- Facebook ------------------------------------------------------------------------------
def test_text_post_then_duplicate_then_allowed_a_day_later(facebook, state):
    published = facebook.publish(fb_post("Ride-along night this Friday!"))
    [stored] = state.posts("facebook")
    assert stored.id == published.platform_id and stored.text == "Ride-along night this Friday!"
    with pytest.raises(DuplicateContent):
        facebook.publish(fb_post("Ride-along night this Friday!"))
    state.clock.advance(timedelta(hours=25))
    facebook.publish(fb_post("Ride-along night this Friday!"))
    assert state.times_posted("facebook", "Ride-along night this Friday!") == 2


def test_photo_posts_arrive_without_metadata(facebook, state, tmp_path):
    one = MediaFile(path=jpeg(tmp_path / "one.jpg"), alt_text="Officer Reyes")
    facebook.publish(fb_post("Meet Officer Reyes", media=(one,)))
    two = MediaFile(path=jpeg(tmp_path / "two.jpg"))
    published = facebook.publish(fb_post("Academy graduation", media=(one, two)))
    posts = state.posts("facebook")
    assert [len(p.media) for p in posts] == [1, 2]
    assert posts[1].id == published.platform_id
    uploads = state.media("facebook")
    assert len(uploads) == 3
    assert all(CAMERA_MARK.encode() not in m.data and b"Exif" not in m.data for m in uploads)
    assert uploads[0].alt_text == "Officer Reyes"


def test_unknown_outcome_is_reconciled_by_find_published(facebook, state, server):
    state.faults.configure(
        FaultPlan(created_but_500_rate=1.0, methods=("POST",), path_pattern="/feed$", max_faults=1)
    )
    post = fb_post("Career fair Saturday at the Civic Center.")
    with pytest.raises(OutcomeUnknown):
        facebook.publish(post)
    found = facebook.find_published(post, START - timedelta(minutes=1))
    assert found is not None
    assert found.platform_id == state.posts("facebook")[0].id
    assert state.times_posted("facebook", post.text) == 1
    assert facebook.find_published(fb_post("never posted"), START - timedelta(minutes=1)) is None


def test_metrics_drop_retired_metrics_and_match_the_audience(facebook, state):
    published = facebook.publish(fb_post("Meet Officer Reyes: why I joined the Springfield PD."))
    state.clock.advance(timedelta(hours=30))
    # A post deleted since (listed first) neither fails the pull nor hides the retired metrics.
    [snapshot] = facebook.fetch_metrics([f"{FACEBOOK_PAGE_ID}_404", published.platform_id])
    figures = state.metrics("facebook", published.platform_id)
    assert facebook.insights.retired == {"post_impressions", "post_impressions_unique"}
    assert snapshot.views == figures["views"] > 0
    assert snapshot.reach == figures["reach"]
    assert snapshot.reactions == figures["likes"]
    assert snapshot.replies == len(state.comments("facebook", published.platform_id))
    assert snapshot.link_clicks == figures["link_clicks"]


def test_metrics_for_many_posts_use_fifty_ids_per_request(facebook, state):
    ids = [state.add_post("facebook", FACEBOOK_PAGE_ID, f"post {n}").id for n in range(60)]
    state.clock.advance(timedelta(hours=2))
    facebook.insights.retired.update({"post_impressions", "post_impressions_unique"})
    snapshots = facebook.fetch_metrics(ids)
    assert [s.platform_id for s in snapshots] == ids
    batch_reads = [r for r in state.requests("GET") if r.path.rstrip("/").count("/") == 1]
    assert len(batch_reads) == 2


def test_comments_since_a_cursor(facebook, state):
    published = facebook.publish(fb_post("Hiring event Thursday: meet our recruiters"))
    state.clock.advance(timedelta(days=3))
    every = facebook.fetch_comments(published.platform_id, None)
    truth = state.comments("facebook", published.platform_id)
    assert [c.platform_id for c in every] == [c.id for c in truth]
    assert len(every) > 2
    cursor = every[len(every) // 2].created_at
    later = facebook.fetch_comments(published.platform_id, cursor)
    assert [c.platform_id for c in later] == [c.id for c in truth if c.created_at >= cursor]
    replies = [c for c in every if c.parent_id]
    assert all(c.parent_id in {t.id for t in truth} for c in replies)


def test_a_comment_on_a_page_video_links_to_the_video(facebook, state):
    """A page video's id has no "{page}_" prefix: its comments' links were
    https://www.facebook.com/{page}/posts/?comment_id=..., a page that does not exist."""
    video = state.add_post("facebook", FACEBOOK_PAGE_ID, "Meet Officer Diaz", post_id="1221099")
    state.add_comment("facebook", video.id, "Jasmine Baker", "Do you offer take-home cars?")
    [comment] = facebook.fetch_comments(video.id, None)
    assert comment.url is not None
    assert comment.url.startswith(f"https://www.facebook.com/{FACEBOOK_PAGE_ID}/videos/1221099/")
    assert "?comment_id=" in comment.url


def test_expired_and_missing_tokens(server, state):
    expired = GraphClient(
        platform="facebook", base_url=server.url, api_version="v25.0", access_token="expired"
    )
    with pytest.raises(AuthError) as caught:
        expired.get(FACEBOOK_PAGE_ID)
    assert caught.value.code == 190
    raw = requests.get(f"{server.url}/v25.0/{FACEBOOK_PAGE_ID}", timeout=5)
    assert raw.status_code == 400
    error = raw.json()["error"]
    assert error["code"] == 104 and error["type"] == "OAuthException" and error["fbtrace_id"]


def test_usage_headers_and_throttling(server, state):
    state.extras["graph.calls_per_hour"] = 10
    sleeps: list[float] = []
    client = GraphClient(
        platform="facebook",
        base_url=server.url,
        api_version="v25.0",
        access_token=TOKEN,
        sleep=sleeps.append,
    )
    for _ in range(10):
        client.get(FACEBOOK_PAGE_ID)
    assert client.usage is not None and client.usage.percent == 100
    assert sleeps  # it slowed down on the way up (90%+)
    sent = len(state.request_log)
    with pytest.raises(RateLimited):
        client.get(FACEBOOK_PAGE_ID)  # usage at 100%: refused without sending
    assert len(state.request_log) == sent
    fresh = GraphClient(
        platform="facebook", base_url=server.url, api_version="v25.0", access_token=TOKEN
    )
    with pytest.raises(RateLimited) as caught:
        fresh.get(FACEBOOK_PAGE_ID)
    assert caught.value.code == 80001
    assert caught.value.reset_at > datetime.now(UTC) + timedelta(minutes=30)


@pytest.mark.parametrize(
    "plan,expected",
    [
        (FaultPlan(error_rate=1.0), TransientError),
        (FaultPlan(rate_limit_rate=1.0, rate_limit_reset_seconds=120), RateLimited),
    ],
    ids=["transient", "rate limited"],
)
def test_injected_faults_arrive_as_graph_errors(facebook, state, plan, expected):
    state.faults.configure(plan)
    with pytest.raises(expected) as caught:
        facebook.fetch_comments(f"{FACEBOOK_PAGE_ID}_1", None)
    if expected is RateLimited:
        delta = caught.value.reset_at - datetime.now(UTC)
        assert timedelta(minutes=1) < delta <= timedelta(minutes=2, seconds=5)


def test_paging_over_the_page_posts(server, state):
    for n in range(23):
        state.add_post("facebook", FACEBOOK_PAGE_ID, f"post {n}")
    client = GraphClient(
        platform="facebook", base_url=server.url, api_version="v25.0", access_token=TOKEN
    )
    pages = list(client.pages(f"{FACEBOOK_PAGE_ID}/posts", {"fields": "id,message", "limit": 10}))
    assert [len(p) for p in pages] == [10, 10, 3]
    messages = [item["message"] for page in pages for item in page]
    assert messages == [f"post {n}" for n in reversed(range(23))]


def test_ids_batch_refuses_more_than_fifty(server):
    ids = ",".join(str(n) for n in range(51))
    reply = requests.get(
        f"{server.url}/v25.0/", params={"ids": ids, "access_token": TOKEN}, timeout=5
    )
    assert reply.status_code == 400 and "Maximum: 50" in reply.json()["error"]["message"]


# -- Instagram -----------------------------------------------------------------------------
def test_single_image_publish_and_container_state(instagram, state, server, hosted):
    image = hosted_image(server, hosted, "reyes.jpg")
    published = instagram.publish(OutgoingPost(key="k", text="Meet Officer Reyes", media=(image,)))
    [stored] = state.posts("instagram")
    assert stored.id == published.platform_id
    assert published.url.startswith("https://www.instagram.com/p/")
    [container] = state.containers.values()
    assert container["media_id"] == stored.id
    [media] = state.media("instagram")
    [copy] = hosted.glob("*.jpg")
    assert media.data == copy.read_bytes()
    assert CAMERA_MARK.encode() not in media.data
    assert media.alt_text == "alt for reyes.jpg"


SERIAL = "SN-4471-HOMEGARAGE"
CAPTURED = "2026:11:20 06:41:09"
GPS = {1: "N", 2: (41.0, 52.0, 12.5), 3: "W", 4: (87.0, 37.0, 40.1)}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>'
    b'<rdf:Description exif:GPSLatitude="41,52.2N"/></rdf:RDF></x:xmpmeta>'
)


def _with_iptc(jpeg_bytes: bytes, created: str) -> bytes:
    """``jpeg_bytes`` with a Photoshop APP13 segment holding IPTC DateCreated and a city."""
    records = b"".join(
        b"\x1c\x02" + bytes([tag]) + len(value).to_bytes(2, "big") + value
        for tag, value in ((55, created.encode()), (90, b"Springfield"))
    )
    block = b"8BIM\x04\x04\x00\x00" + len(records).to_bytes(4, "big") + records
    if len(records) % 2:
        block += b"\x00"
    payload = b"Photoshop 3.0\x00" + block
    segment = b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def _officer_photo(path: Path) -> Path:
    """A photo as a phone writes it: GPS position, camera serial, capture time, XMP, IPTC."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MARK  # Make
    exif[0x0132] = CAPTURED  # DateTime
    exif.get_ifd(0x8769).update({0x9003: CAPTURED, 0xA431: SERIAL})  # DateTimeOriginal, serial
    exif.get_ifd(0x8825).update(GPS)
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), (40, 90, 160)).save(buffer, "JPEG", exif=exif, xmp=XMP)
    path.write_bytes(_with_iptc(buffer.getvalue(), "20261120"))
    return path


def _metadata(data: bytes) -> dict[str, object]:
    """What Pillow reads of a JPEG's EXIF (GPS, serial, times), XMP and IPTC."""
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        return {
            "gps": dict(exif.get_ifd(0x8825)),
            "serial": exif.get_ifd(0x8769).get(0xA431),
            "captured": exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132),
            "xmp": img.info.get("xmp"),
            "iptc": IptcImagePlugin.getiptcinfo(img),
        }


def test_instagram_receives_no_gps_serial_or_capture_time(instagram, state, server, tmp_path):
    """Officer safety: what Instagram fetches by URL is a stripped copy, never the original."""
    (tmp_path / "media").mkdir()
    original = _officer_photo(tmp_path / "media" / "reyes.jpg")
    before = _metadata(original.read_bytes())
    assert before["gps"] and before["serial"] == SERIAL and before["captured"] == CAPTURED
    assert before["xmp"] and before["iptc"]  # the original carries everything

    image = MediaFile(path=original, alt_text="Officer Reyes")
    instagram.publish(OutgoingPost(key="k", text="Meet Officer Reyes", media=(image,)))

    [media] = state.media("instagram")
    url = media.extra["image_url"]  # the address the container was created with
    fetched = requests.get(url, timeout=5)
    assert fetched.status_code == 200 and fetched.content == media.data
    assert url.startswith(f"{server.url}/_sandbox/hosted/")
    after = _metadata(fetched.content)
    assert after == {"gps": {}, "serial": None, "captured": None, "xmp": None, "iptc": None}
    for secret in (SERIAL, CAMERA_MARK, CAPTURED, "Springfield", "xmpmeta"):
        assert secret.encode() not in fetched.content
    assert fetched.content != original.read_bytes()


def test_sandbox_serving_the_originals_folder_is_refused_before_any_container(state, tmp_path):
    """The old set-up (the web server publishes media/) must stop the post, not leak the photo."""
    (tmp_path / "media").mkdir()
    original = _officer_photo(tmp_path / "media" / "reyes.jpg")
    # The copy's name serves the original's bytes: what a misconfigured server would answer.
    with SandboxServer(state, media_dir=tmp_path / "media") as wrong:
        ig = InstagramConnector.from_settings(
            Settings(
                workspace=tmp_path,
                instagram={
                    "base_url": wrong.url,
                    "ig_user_id": INSTAGRAM_USER_ID,
                    "access_token": TOKEN,
                    "media_base_url": f"{wrong.url}/_sandbox/hosted/",
                },
            )
        )
        post = OutgoingPost(key="k", text="Meet Officer Reyes", media=(MediaFile(path=original),))
        with pytest.raises(TransientError, match="HTTP 404.*public-media"):
            ig.publish(post)
        [copy] = (tmp_path / "public-media").glob("*.jpg")
        (tmp_path / "media" / copy.name).write_bytes(original.read_bytes())
        with pytest.raises(Rejected, match="does not serve the metadata-free copy"):
            ig.publish(post)
    assert state.containers == {} and state.media("instagram") == []


def test_container_in_progress_is_polled_until_finished(instagram, state, server, hosted):
    state.extras["graph.container_reads_in_progress"] = 2
    sleeps: list[float] = []
    instagram._sleep = sleeps.append
    image = hosted_image(server, hosted, "a.jpg")
    instagram.publish(OutgoingPost(key="k", text="Academy class of 2026", media=(image,)))
    assert len(sleeps) == 2
    assert len(state.posts("instagram")) == 1


def test_carousel(instagram, state, server, hosted):
    images = tuple(hosted_image(server, hosted, f"{n}.jpg") for n in range(3))
    instagram.publish(OutgoingPost(key="k", text="Graduation day", media=images))
    [stored] = state.posts("instagram")
    assert len(stored.media) == 3 and stored.extra["media_type"] == "CAROUSEL_ALBUM"
    assert len(state.containers) == 4  # three items and the carousel


@pytest.mark.parametrize(
    "name,size,match",
    [("missing.jpg", None, "media file not found"), ("wide.jpg", (1000, 400), "aspect ratio")],
    ids=["no such file", "bad aspect ratio"],
)
def test_images_instagram_would_refuse(instagram, server, hosted, name, size, match):
    image = hosted_image(server, hosted, name, size=size) if size else MediaFile(path=hosted / name)
    with pytest.raises(Rejected, match=match):
        instagram.publish(OutgoingPost(key="k", text="x", media=(image,)))


def test_publishing_quota(instagram, state, server, hosted):
    for n in range(50):
        state.add_post("instagram", INSTAGRAM_USER_ID, f"earlier {n}")
        state.clock.advance(timedelta(minutes=10))
    image = hosted_image(server, hosted, "a.jpg")
    post = OutgoingPost(key="k", text="One too many", media=(image,))
    with pytest.raises(RateLimited) as caught:
        instagram.publish(post)
    assert caught.value.reset_at == START + timedelta(hours=24)
    assert state.containers == {}  # refused before creating anything
    state.clock.advance(timedelta(hours=16))
    instagram.publish(post)
    assert state.times_posted("instagram", "One too many") == 1


def test_publish_lost_reply_then_reconcile_with_the_container(instagram, state, server, hosted):
    saved: list[dict[str, str]] = []
    instagram.on_resume = lambda post, resume: saved.append(resume)
    state.faults.configure(
        FaultPlan(created_but_500_rate=1.0, path_pattern="/media_publish$", max_faults=1)
    )
    image = hosted_image(server, hosted, "a.jpg")
    post = OutgoingPost(key="k", text="Ride along with us", media=(image,))
    with pytest.raises(OutcomeUnknown) as caught:
        instagram.publish(post)
    assert caught.value.resume == saved[0]
    resumed = OutgoingPost(key="k", text=post.text, media=post.media, resume=saved[0])
    found = instagram.find_published(resumed, START - timedelta(minutes=1))
    again = instagram.publish(resumed)  # a blind retry would not post twice either
    assert found is not None and again.platform_id == found.platform_id
    assert state.times_posted("instagram", "Ride along with us") == 1


def test_metrics_and_comments(instagram, state, server, hosted):
    image = hosted_image(server, hosted, "a.jpg")
    published = instagram.publish(
        OutgoingPost(key="k", text="Testimonial: Officer Diaz on her first year", media=(image,))
    )
    state.clock.advance(timedelta(days=2))
    [snapshot] = instagram.fetch_metrics([published.platform_id])
    figures = state.metrics("instagram", published.platform_id)
    assert (snapshot.views, snapshot.reach, snapshot.saves) == (
        figures["views"],
        figures["reach"],
        figures["saves"],
    )
    assert snapshot.reactions == figures["likes"]
    comments = instagram.fetch_comments(published.platform_id, None)
    truth = state.comments("instagram", published.platform_id)
    assert sorted(c.platform_id for c in comments) == sorted(c.id for c in truth)
    assert snapshot.replies == len(truth)


def test_retired_instagram_metric_answers_code_100(server, state):
    post = state.add_post("instagram", INSTAGRAM_USER_ID, "x")
    reply = requests.get(
        f"{server.url}/v25.0/{post.id}/insights",
        params={"metric": "impressions,reach", "access_token": TOKEN},
        timeout=5,
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == 100
    assert "metric" in reply.json()["error"]["message"]


def _graph(server: SandboxServer, method: str, path: str, **params: str) -> requests.Response:
    params["access_token"] = TOKEN
    if method == "GET":
        return requests.get(f"{server.url}/v25.0/{path}", params=params, timeout=5)
    return requests.post(f"{server.url}/v25.0/{path}", data=params, timeout=5)


def test_container_lifecycle_follows_simulated_time(server, state, hosted):
    state.extras["graph.container_processing_seconds"] = 30
    jpeg(hosted / "a.jpg")
    created = _graph(
        server,
        "POST",
        f"{INSTAGRAM_USER_ID}/media",
        image_url=f"{server.url}/_sandbox/hosted/a.jpg",
        caption="Lifecycle",
    ).json()

    def status() -> str:
        return _graph(server, "GET", created["id"], fields="status_code").json()["status_code"]

    assert status() == "IN_PROGRESS"
    early = _graph(server, "POST", f"{INSTAGRAM_USER_ID}/media_publish", creation_id=created["id"])
    assert early.status_code == 400 and early.json()["error"]["error_subcode"] == 2207027
    state.clock.advance(timedelta(seconds=31))
    assert status() == "FINISHED"
    state.clock.advance(timedelta(hours=24))
    assert status() == "EXPIRED"


def test_publishing_limit_counts_the_rolling_day(server, state, hosted):
    def usage() -> dict:
        reply = _graph(
            server,
            "GET",
            f"{INSTAGRAM_USER_ID}/content_publishing_limit",
            fields="quota_usage,config",
        )
        return reply.json()["data"][0]

    assert usage() == {"quota_usage": 0, "config": {"quota_total": 50, "quota_duration": 86400}}
    jpeg(hosted / "a.jpg")
    for n in range(3):
        created = _graph(
            server,
            "POST",
            f"{INSTAGRAM_USER_ID}/media",
            image_url=f"{server.url}/_sandbox/hosted/a.jpg",
            caption=f"post {n}",
        ).json()
        published = _graph(
            server, "POST", f"{INSTAGRAM_USER_ID}/media_publish", creation_id=created["id"]
        )
        assert published.status_code == 200
        state.clock.advance(timedelta(hours=10))
    assert usage()["quota_usage"] == 2  # the first left the 24-hour window
    again = _graph(server, "POST", f"{INSTAGRAM_USER_ID}/media_publish", creation_id=created["id"])
    assert again.status_code == 400 and again.json()["error"]["code"] == 9007


# -- comments of many posts per request (field expansion on the multi-id read) -------------
def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)  # Graph gives times to the second


def _graph_reads(state: SandboxState, mark: int) -> tuple[list, list]:
    """(multi-id reads, edge reads) the sandbox answered since request ``mark``."""
    log = state.request_log[mark:]
    return (
        [r for r in log if r.path.rstrip("/").count("/") == 1],
        [r for r in log if r.path.endswith(("/comments", "/replies"))],
    )


def test_facebook_comments_of_sixty_posts_in_two_requests_plus_paging(facebook, state):
    posts = [
        state.add_post("facebook", FACEBOOK_PAGE_ID, f"Why I serve, part {n}") for n in range(60)
    ]
    busy = posts[0].id
    for n in range(60):  # more than one expanded page (50) on one post
        state.clock.advance(timedelta(minutes=1))
        state.add_comment("facebook", busy, "Pat Q", f"How do I apply? ({n})", author_id="77")
    state.clock.advance(timedelta(days=2))

    mark = len(state.request_log)
    every = facebook.fetch_comments_batch({p.id: None for p in posts})
    batch_reads, edge_reads = _graph_reads(state, mark)
    assert len(batch_reads) == 2  # ceil(60 / 50)
    assert edge_reads and all(r.path.endswith(f"/{busy}/comments") for r in edge_reads)
    assert set(every) == {p.id for p in posts}
    for p in posts:
        truth = state.comments("facebook", p.id)
        assert {c.platform_id for c in every[p.id]} == {t.id for t in truth}, p.id
        parents = {t.id: t.parent_id for t in truth}
        assert all(c.parent_id == parents[c.platform_id] for c in every[p.id])
    assert len(every[busy]) > 60
    assert any(c.parent_id for cs in every.values() for c in cs), "stream includes replies"

    # With a cursor near the newest comment the first page reaches back past it: no paging.
    cursor = every[busy][-10].created_at
    mark = len(state.request_log)
    newer = facebook.fetch_comments_batch({busy: cursor, posts[1].id: None})
    batch_reads, edge_reads = _graph_reads(state, mark)
    assert (len(batch_reads), len(edge_reads)) == (1, 0)
    truth = state.comments("facebook", busy)
    assert {c.platform_id for c in newer[busy]} == {
        t.id for t in truth if _seconds(t.created_at) >= cursor
    }
    assert {c.platform_id for c in newer[posts[1].id]} == {
        t.id for t in state.comments("facebook", posts[1].id)
    }


def test_facebook_batch_with_a_deleted_post_reads_the_others_one_by_one(facebook, state):
    posts = [state.add_post("facebook", FACEBOOK_PAGE_ID, f"Ride-along {n}") for n in range(3)]
    state.clock.advance(timedelta(days=1))
    state.delete_post("facebook", posts[1].id)
    mark = len(state.request_log)
    got = facebook.fetch_comments_batch({p.id: None for p in posts})
    assert set(got) == {posts[0].id, posts[2].id}
    assert {c.platform_id for c in got[posts[2].id]} == {
        t.id for t in state.comments("facebook", posts[2].id)
    }
    statuses = [r.status for r in state.request_log[mark:]]
    assert statuses == [400, 200, 400, 200]  # the batch (803), then each post on its own


def test_instagram_comments_batch_pulls_replies_to_replies(instagram, state):
    media = [state.add_post("instagram", INSTAGRAM_USER_ID, f"Meet Officer {n}") for n in "ABC"]
    target = media[0].id
    state.clock.advance(timedelta(hours=3))
    top = state.add_comment("instagram", target, "ana", "Is the academy paid?")
    state.clock.advance(timedelta(minutes=5))
    reply = state.add_comment("instagram", target, "rpd", "Yes, from day one.", parent_id=top.id)
    state.clock.advance(timedelta(minutes=5))
    deeper = state.add_comment("instagram", target, "ana", "Thanks!", parent_id=reply.id)

    mark = len(state.request_log)
    got = instagram.fetch_comments_batch({m.id: None for m in media})
    batch_reads, edge_reads = _graph_reads(state, mark)
    assert (len(batch_reads), len(edge_reads)) == (1, 0)
    by_id = {c.platform_id: c for c in got[target]}
    assert {top.id, reply.id, deeper.id} <= set(by_id)
    # Instagram adds a reply to a reply to the top-level comment's thread.
    assert by_id[reply.id].parent_id == top.id and by_id[deeper.id].parent_id == top.id
    for m in media:
        truth = state.comments("instagram", m.id)
        assert {c.platform_id for c in got[m.id]} == {t.id for t in truth}

    cursor = by_id[reply.id].created_at
    newer = instagram.fetch_comments_batch({target: cursor})
    assert {c.platform_id for c in newer[target]} == {
        t.id for t in state.comments("instagram", target) if _seconds(t.created_at) >= cursor
    }
    assert top.id not in {c.platform_id for c in newer[target]}


def test_expanded_comments_page_on_through_the_edge(server, state):
    post = state.add_post("instagram", INSTAGRAM_USER_ID, "Academy open house")
    for n in range(5):
        state.clock.advance(timedelta(minutes=1))
        state.add_comment("instagram", post.id, f"user{n}", f"comment {n}")
    fields = "comments.limit(2){id,text,timestamp,replies{id,text}}"
    reply = requests.get(
        f"{server.url}/v25.0/",
        params={"ids": post.id, "fields": fields, "access_token": TOKEN},
        timeout=5,
    )
    assert reply.status_code == 200
    first = reply.json()[post.id]["comments"]
    assert [c["text"] for c in first["data"]] == ["comment 4", "comment 3"]  # newest first
    assert set(first["paging"]["cursors"]) == {"before", "after"}
    rest = requests.get(first["paging"]["next"], timeout=5).json()
    assert [c["text"] for c in rest["data"]] == ["comment 2", "comment 1"]
    last = requests.get(rest["paging"]["next"], timeout=5).json()
    assert [c["text"] for c in last["data"]] == ["comment 0"] and "next" not in last["paging"]
