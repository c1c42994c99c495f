"""Every connector refuses, naming the setting and where it goes, when a required one is missing."""

import pytest

import connectors
from config import Settings
from connectors.errors import ConnectorUnavailable

# (platform, the settings given, the words the refusal must name)
MISSING = [
    ("facebook", {}, "set facebook.page_id (or BEATPOST_FACEBOOK__PAGE_ID)"),
    (
        "facebook",
        {"page_id": "1"},
        "set facebook.page_access_token (BEATPOST_FACEBOOK__PAGE_ACCESS_TOKEN or the secrets file)",
    ),
    ("instagram", {}, "set instagram.ig_user_id (or BEATPOST_INSTAGRAM__IG_USER_ID)"),
    ("threads", {"user_id": "7"}, "threads.access_token (BEATPOST_THREADS__ACCESS_TOKEN or the"),
    ("mastodon", {}, "set mastodon.access_token (BEATPOST_MASTODON__ACCESS_TOKEN or the"),
    ("bluesky", {}, "set bluesky.handle (or BEATPOST_BLUESKY__HANDLE)"),
    ("bluesky", {"handle": "pd.bsky.social"}, "bluesky.app_password (BEATPOST_BLUESKY__APP_PAS"),
    ("linkedin", {}, "linkedin.organization_id (or BEATPOST_LINKEDIN__ORGANIZATION_ID)"),
    ("linkedin", {"organization_id": "5"}, "linkedin.access_token (BEATPOST_LINKEDIN__ACCESS_TO"),
]


@pytest.mark.parametrize(("name", "section", "words"), MISSING)
def test_a_missing_setting_is_named_with_its_place(name, section, words):
    with pytest.raises(ConnectorUnavailable) as caught:
        connectors.create(name, Settings(**{name: section}))
    assert words in str(caught.value)
    assert caught.value.platform == name


@pytest.mark.parametrize("name", ["x", "mastodon", "bluesky", "linkedin"])
def test_a_platform_switched_off_is_not_built(name):
    with pytest.raises(ConnectorUnavailable, match=rf"is disabled in settings \({name}.enabled"):
        connectors.create(name, Settings(**{name: {"enabled": False}}))


def test_a_rest_platform_names_a_base_url_that_is_not_http():
    settings = Settings(mastodon={"base_url": "mastodon.social", "access_token": "t"})
    with pytest.raises(ConnectorUnavailable, match=r"mastodon.base_url 'mastodon.social' is not"):
        connectors.create("mastodon", settings)
