"""The sandbox's LinkedIn answers as LinkedIn's reference shows: headers, status codes and
bodies of the Posts, Images, Organization Share Statistics and Comments APIs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
from PIL import Image

from connectors.sandbox import EXPIRED_TOKEN, SandboxServer, SandboxState, SimClock
from connectors.sandbox.linkedin_api import ORGANIZATION

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
HEADERS = {
    "Authorization": "Bearer sandbox-token",
    "Linkedin-Version": "202603",
    "X-Restli-Protocol-Version": "2.0.0",
}


@pytest.fixture
def api():
    state = SandboxState(seed=3, clock=SimClock(START))
    with SandboxServer(state) as server:
        yield state, server.url


def _post(url: str, text: str, **extra) -> requests.Response:
    body = {
        "author": ORGANIZATION,
        "commentary": text,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        **extra,
    }
    return requests.post(f"{url}/rest/posts", json=body, headers=HEADERS, timeout=5)


def test_create_answers_201_with_the_urn_in_x_restli_id_and_no_body(api):
    state, url = api
    response = _post(url, r"Join us \(Saturday\) \#JoinSPD")
    assert response.status_code == 201
    assert response.content == b""
    urn = response.headers["x-restli-id"]
    assert urn.startswith("urn:li:share:")
    [post] = state.posts("linkedin")
    assert (post.id, post.text, post.account) == (urn, "Join us (Saturday) #JoinSPD", ORGANIZATION)


def test_requests_without_version_or_with_an_expired_token_are_refused(api):
    state, url = api
    no_version = {k: v for k, v in HEADERS.items() if k != "Linkedin-Version"}
    response = requests.get(f"{url}/rest/posts?q=author", headers=no_version, timeout=5)
    assert response.status_code == 400 and response.json()["code"] == "VERSION_MISSING"
    expired = {**HEADERS, "Authorization": f"Bearer {EXPIRED_TOKEN}"}
    response = requests.get(f"{url}/rest/posts?q=author", headers=expired, timeout=5)
    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "serviceErrorCode": 65600,
        "code": "INVALID_ACCESS_TOKEN",
        "message": "Invalid access token",
    }


def test_commentary_over_3000_characters_is_422_and_creates_nothing(api):
    state, url = api
    response = _post(url, "e" * 3001)
    assert response.status_code == 422
    assert "3000" in response.json()["message"]
    assert state.posts("linkedin") == []


def test_image_upload_then_post_references_the_image_with_its_alt_text(api):
    state, url = api
    init = requests.post(
        f"{url}/rest/images?action=initializeUpload",
        json={"initializeUploadRequest": {"owner": ORGANIZATION}},
        headers=HEADERS,
        timeout=5,
    )
    assert init.status_code == 200
    value = init.json()["value"]
    assert set(value) == {"uploadUrlExpiresAt", "uploadUrl", "image"}
    image = value["image"]
    assert image.startswith("urn:li:image:")
    # Not uploaded yet: the post cannot use it.
    content = {"media": {"id": image, "altText": "Officer Ruiz"}}
    assert _post(url, "too early", content=content).status_code == 422

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    put = requests.put(value["uploadUrl"], data=buffer.getvalue(), headers=HEADERS, timeout=5)
    assert put.status_code == 201
    assert _post(url, "with a photo", content=content).status_code == 201
    media = state.get_media("linkedin", image)
    assert media is not None and media.mime_type == "image/jpeg"
    assert media.alt_text == "Officer Ruiz"


def test_posts_by_author_newest_first_with_paging(api):
    state, url = api
    for n in range(3):
        _post(url, f"post {n}")
        state.clock.advance(timedelta(minutes=1))
    author = quote(ORGANIZATION, safe="")
    page = requests.get(
        f"{url}/rest/posts?q=author&author={author}&count=2&start=0", headers=HEADERS, timeout=5
    ).json()
    assert page["paging"]["total"] == 3
    assert [p["commentary"] for p in page["elements"]] == ["post 2", "post 1"]
    element = page["elements"][0]
    assert element["author"] == ORGANIZATION and element["lifecycleState"] == "PUBLISHED"
    assert isinstance(element["createdAt"], int)


def test_share_statistics_and_comments_have_the_reference_shape(api):
    state, url = api
    urn = _post(url, "Recruiting day Saturday: questions welcome").headers["x-restli-id"]
    state.clock.advance(timedelta(days=2))
    org, share = quote(ORGANIZATION, safe=""), quote(urn, safe="")
    stats = requests.get(
        f"{url}/rest/organizationalEntityShareStatistics?q=organizationalEntity"
        f"&organizationalEntity={org}&shares=List({share})",
        headers=HEADERS,
        timeout=5,
    ).json()
    [element] = stats["elements"]
    assert element["share"] == urn and element["organizationalEntity"] == ORGANIZATION
    assert set(element["totalShareStatistics"]) == {
        "uniqueImpressionsCount",
        "shareCount",
        "engagement",
        "clickCount",
        "likeCount",
        "impressionCount",
        "commentCount",
    }
    comments = requests.get(
        f"{url}/rest/socialActions/{share}/comments", headers=HEADERS, timeout=5
    ).json()
    truth = state.comments("linkedin", urn)
    assert comments["paging"]["total"] == len(truth) > 0
    first = comments["elements"][0]
    assert first["id"] == truth[0].id
    assert first["message"] == {"attributes": [], "text": truth[0].text}
    assert first["commentUrn"].startswith("urn:li:comment:(urn:li:activity:")
    assert element["totalShareStatistics"]["commentCount"] == len(truth)
