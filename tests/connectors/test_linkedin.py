"""LinkedIn connector: recorded replies shaped as LinkedIn's Community Management reference shows
them (Posts, Images, Organization Share Statistics, Comments APIs), and the sandbox's LinkedIn
for at most once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests
import responses
from PIL import Image

import connectors
from config.settings import Settings
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
from connectors.linkedin import (
    LINKEDIN_VERSION,
    VERSION_SUNSET,
    LinkedInConnector,
    escape_commentary,
    unescape_commentary,
)
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock, settings_overrides

BASE = "https://api.linkedin.com"
TOKEN = "li-token-3f9a7c1e"
ORG = "2414183"
NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
SHARE = "urn:li:share:6844785523593134080"

# Images API, "Initialize Image Upload": the answer to POST /rest/images?action=initializeUpload.
INITIALIZE_UPLOAD = {
    "value": {
        "uploadUrlExpiresAt": 1650567510704,
        "uploadUrl": "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploadedImage/0?ca=vector_ads&cn=uploads&m=AQJbrN86Zm265gAAAWemyz2pxPSgONtBiZdchrgG872QltnfYjnMdb2j3A&app=1953784&sync=0&v=beta&ut=2H-IhpbfXrRow1",
        "image": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
    }
}
# Posts API, "Find Posts by Authors": GET /rest/posts?author=...&q=author.
POSTS_BY_AUTHOR = {
    "paging": {"start": 0, "count": 10, "links": [], "total": 1},
    "elements": [
        {
            "isReshareDisabledByAuthor": False,
            "createdAt": 1661802812753,
            "lifecycleState": "PUBLISHED",
            "lastModifiedAt": 1661802812772,
            "visibility": "PUBLIC",
            "publishedAt": 1661802812753,
            "author": "urn:li:organization:2414183",
            "id": "urn:li:share:6969824397543333888",
            "distribution": {"feedDistribution": "MAIN_FEED", "thirdPartyDistributionChannels": []},
            "commentary": "Sample text Post",
            "lifecycleStateInfo": {"isEditedByAuthor": False},
        }
    ],
}
# Organization Share Statistics, "Retrieve Statistics for Specific Shares".
SHARE_STATISTICS = {
    "paging": {"count": 10, "start": 0, "links": []},
    "elements": [
        {
            "totalShareStatistics": {
                "uniqueImpressionsCount": 0,
                "shareCount": 0,
                "engagement": 0,
                "clickCount": 0,
                "likeCount": 0,
                "impressionCount": 0,
                "commentCount": 0,
            },
            "share": "urn:li:share:1000000",
            "organizationalEntity": "urn:li:organization:2414183",
        }
    ],
}
# Comments API, "Get Comments on Shares": GET /rest/socialActions/{shareUrn}/comments.
COMMENTS = {
    "paging": {"start": 0, "count": 10, "links": [], "total": 1},
    "elements": [
        {
            "actor": "urn:li:person:l4Ie5eT_mY",
            "commentUrn": "urn:li:comment:(urn:li:activity:6636062862760562688,"
            "6636064191406993408)",
            "created": {"actor": "urn:li:person:l4Ie5eT_mY", "time": 1581379693000},
            "id": "6636064191406993408",
            "lastModified": {"actor": "urn:li:person:l4Ie5eT_mY", "time": 1581379693000},
            "message": {"attributes": [], "text": "Comment text"},
            "object": "urn:li:activity:6636062862760562688",
            "$URN": "urn:li:comment:(urn:li:activity:6636062862760562688,6636064191406993408)",
        }
    ],
}


def connector() -> LinkedInConnector:
    return LinkedInConnector(
        base_url=BASE, organization_id=ORG, access_token=TOKEN, clock=lambda: NOW
    )


def photo(tmp_path: Path, alt: str = "Officer Ruiz at the academy") -> MediaFile:
    path = tmp_path / "ruiz.jpg"
    Image.new("RGB", (64, 48), (20, 40, 160)).save(path, "JPEG")
    return MediaFile(path=path, alt_text=alt, mime_type="image/jpeg")


def post(text: str = "Sample text Post", media: tuple[MediaFile, ...] = ()) -> OutgoingPost:
    return OutgoingPost(key="spring/ruiz/linkedin/once", text=text, media=media)


def created(urn: str = SHARE) -> None:
    responses.post(f"{BASE}/rest/posts", status=201, headers={"x-restli-id": urn})


@responses.activate
def test_publish_posts_as_the_organization_with_version_headers_and_reads_x_restli_id():
    created()
    published = connector().publish(post())
    assert published.platform_id == SHARE
    assert published.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    request = responses.calls[0].request
    assert request.headers["Linkedin-Version"] == LINKEDIN_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    body = json.loads(request.body)
    assert body["author"] == "urn:li:organization:2414183"
    assert body["commentary"] == "Sample text Post"
    assert (body["visibility"], body["lifecycleState"]) == ("PUBLIC", "PUBLISHED")
    assert body["distribution"]["feedDistribution"] == "MAIN_FEED"
    assert "content" not in body


def test_the_version_is_a_month_and_its_sunset_comes_after_it():
    assert len(LINKEDIN_VERSION) == 6 and LINKEDIN_VERSION.isdigit()
    released = date(int(LINKEDIN_VERSION[:4]), int(LINKEDIN_VERSION[4:]), 1)
    assert released < VERSION_SUNSET <= released + timedelta(days=400)


@responses.activate
def test_image_is_initialized_put_to_the_upload_url_and_referenced_with_its_alt_text(tmp_path):
    responses.post(f"{BASE}/rest/images", json=INITIALIZE_UPLOAD)
    upload_url = INITIALIZE_UPLOAD["value"]["uploadUrl"]
    responses.put(upload_url.split("?")[0], status=201)
    created()
    connector().publish(post(media=(photo(tmp_path),)))

    init, put, create = (c.request for c in responses.calls)
    assert init.url == f"{BASE}/rest/images?action=initializeUpload"
    assert json.loads(init.body) == {
        "initializeUploadRequest": {"owner": "urn:li:organization:2414183"}
    }
    assert put.method == "PUT" and put.url == upload_url
    assert put.body[:3] == b"\xff\xd8\xff"  # the JPEG's bytes, not a form
    assert json.loads(create.body)["content"] == {
        "media": {
            "id": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
            "altText": "Officer Ruiz at the academy",
        }
    }


def test_little_text_reserved_characters_are_escaped_and_read_back():
    text = "Join us (Saturday) #JoinSPD @ 10 [map] under_score"
    escaped = escape_commentary(text)
    assert escaped == r"Join us \(Saturday\) \#JoinSPD \@ 10 \[map\] under\_score"
    assert unescape_commentary(escaped) == text


@responses.activate
def test_text_over_3000_characters_is_refused_before_any_request():
    with pytest.raises(Rejected, match="3000"):
        connector().publish(post("x" * 3001))
    assert len(responses.calls) == 0


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            401,
            {
                "status": 401,
                "serviceErrorCode": 65600,
                "code": "INVALID_ACCESS_TOKEN",
                "message": "Invalid access token",
            },
            AuthError,
        ),
        (
            403,
            {
                "status": 403,
                "serviceErrorCode": 100,
                "code": "ACCESS_DENIED",
                "message": "Not enough permissions to access: "
                "partnerApiPostsExternal.CREATE.20260301",
            },
            MissingPermission,
        ),
        (
            422,
            {
                "status": 422,
                "message": "ERROR :: /commentary :: length of commentary 3100 exceeds 3000",
            },
            Rejected,
        ),
        (
            422,
            {
                "message": "ERROR :: /commentary :: Content is a duplicate of "
                "urn:li:share:7055283717355548672",
                "status": 422,
            },
            DuplicateContent,
        ),
        (500, {"status": 500, "message": "Internal Server Error"}, OutcomeUnknown),
        (503, {"status": 503, "message": "Service Unavailable"}, OutcomeUnknown),
    ],
)
@responses.activate
def test_post_errors_are_mapped(status, body, error):
    responses.post(f"{BASE}/rest/posts", json=body, status=status)
    with pytest.raises(error) as info:
        connector().publish(post())
    assert body["message"] in str(info.value)
    assert TOKEN not in str(info.value)
    if error is MissingPermission:
        assert info.value.permissions == ("w_organization_social",)


@responses.activate
def test_daily_throttle_waits_until_midnight_utc_or_retry_after():
    throttle = {
        "status": 429,
        "serviceErrorCode": 101,
        "code": "TOO_MANY_REQUESTS",
        "message": "Resource level throttle APPLICATION DAY limit for calls to this resource "
        "is reached.",
    }
    responses.post(f"{BASE}/rest/posts", json=throttle, status=429)
    responses.post(f"{BASE}/rest/posts", json=throttle, status=429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited) as first:
        connector().publish(post())
    assert first.value.reset_at == datetime(2027, 3, 2, tzinfo=UTC)
    with pytest.raises(RateLimited) as second:
        connector().publish(post())
    assert second.value.reset_at == NOW + timedelta(seconds=120)


@responses.activate
def test_timeout_on_the_post_may_have_posted_but_on_a_read_is_transient():
    responses.post(f"{BASE}/rest/posts", body=requests.Timeout("read timed out"))
    with pytest.raises(OutcomeUnknown):
        connector().publish(post())
    responses.get(f"{BASE}/rest/organizationalEntityShareStatistics", status=502, json={})
    with pytest.raises(TransientError):
        connector().fetch_metrics(["urn:li:share:1000000"])


@responses.activate
def test_created_without_x_restli_id_is_an_unknown_outcome():
    responses.post(f"{BASE}/rest/posts", status=201)
    with pytest.raises(OutcomeUnknown, match="x-restli-id"):
        connector().publish(post())


@responses.activate
def test_share_statistics_for_many_posts_in_one_request():
    responses.get(f"{BASE}/rest/organizationalEntityShareStatistics", json=SHARE_STATISTICS)
    [snap] = connector().fetch_metrics(["urn:li:share:1000000", "urn:li:share:1000001"])
    assert snap.platform_id == "urn:li:share:1000000"
    assert (snap.views, snap.reach, snap.reactions, snap.shares, snap.replies) == (0, 0, 0, 0, 0)
    assert snap.taken_at == NOW
    [call] = responses.calls
    url = unquote(call.request.url)
    assert "q=organizationalEntity" in url
    assert "organizationalEntity=urn:li:organization:2414183" in url
    assert "shares=List(urn:li:share:1000000,urn:li:share:1000001)" in url


@responses.activate
def test_comments_come_from_social_actions():
    responses.get(
        f"{BASE}/rest/socialActions/urn%3Ali%3Ashare%3A6844785523593134080/comments", json=COMMENTS
    )
    [comment] = connector().fetch_comments(SHARE, None)
    assert comment.platform_id == "6636064191406993408"
    assert comment.text == "Comment text"
    assert comment.author == "urn:li:person:l4Ie5eT_mY"
    assert comment.created_at == datetime.fromtimestamp(1581379693, tz=UTC)
    assert comment.parent_id is None
    assert connector().fetch_comments(SHARE, NOW) == []


@responses.activate
def test_find_published_matches_the_organizations_post_by_text():
    responses.get(f"{BASE}/rest/posts", json=POSTS_BY_AUTHOR)
    since = datetime.fromtimestamp(1661802800, tz=UTC)
    found = connector().find_published(post("Sample text Post"), since)
    assert found is not None and found.platform_id == "urn:li:share:6969824397543333888"
    assert connector().find_published(post("Another text"), since) is None
    assert "q=author" in responses.calls[0].request.url
    assert "author=urn%3Ali%3Aorganization%3A2414183" in responses.calls[0].request.url


def test_from_settings_names_the_missing_setting(tmp_path):
    settings = Settings(workspace=tmp_path, linkedin={"base_url": BASE})
    with pytest.raises(ConnectorUnavailable, match="linkedin.organization_id"):
        connectors.create("linkedin", settings)
    settings = Settings(workspace=tmp_path, linkedin={"base_url": BASE, "organization_id": ORG})
    with pytest.raises(ConnectorUnavailable, match="BEATPOST_LINKEDIN__ACCESS_TOKEN"):
        connectors.create("linkedin", settings)


# ---- at most once, against the sandbox's LinkedIn --------------------------------------------
@pytest.fixture
def sandbox(tmp_path):
    state = SandboxState(seed=7, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state) as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, TOKEN))
        yield state, connectors.create("linkedin", settings, sleep=lambda s: None)


def test_lost_create_response_is_reconciled_without_a_second_post(sandbox, tmp_path):
    state, conn = sandbox
    delivery = post(
        "Recruiting day Saturday (10am) https://springfield.example/jobs #JoinSPD",
        (photo(tmp_path),),
    )
    state.faults.configure(
        FaultPlan(
            methods=("POST",), path_pattern=r"^/rest/posts$", max_faults=1, created_but_500_rate=1.0
        )
    )
    with pytest.raises(OutcomeUnknown):
        conn.publish(delivery)
    [made] = state.posts("linkedin")  # LinkedIn made it; the answer was lost

    # No idempotency key: after OutcomeUnknown the daemon reconciles instead of retrying.
    found = conn.find_published(delivery, datetime.now(UTC) - timedelta(minutes=5))
    assert found is not None and found.platform_id == made.id
    assert state.times_posted("linkedin", delivery.text) == 1
    assert len(state.posts("linkedin")) == 1


@responses.activate
def test_a_sunset_version_says_beatpost_needs_an_update():
    body = {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version is not active",
    }
    responses.get(f"{BASE}/rest/organizationalEntityShareStatistics", json=body, status=426)
    with pytest.raises(Rejected) as info:
        connector().fetch_metrics(["urn:li:share:1000000"])
    assert LINKEDIN_VERSION in str(info.value) and "needs an update" in str(info.value)
