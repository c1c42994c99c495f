"""``status`` warns two weeks before a platform's access token expires (LinkedIn's last 60
days), from the section's ``token_expires`` date."""

from datetime import UTC, date, datetime

from beatpost.status import expiring_tokens, gather_status
from config.settings import Settings
from store import make_engine, upgrade

NOW = datetime(2027, 3, 17, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def test_no_warning_until_two_weeks_before_the_linkedin_token_expires():
    assert expiring_tokens(Settings(), TODAY) == []  # no date given: nothing to say
    settings = Settings(linkedin={"token_expires": "2027-04-01"})  # 15 days ahead
    assert expiring_tokens(settings, TODAY) == []


def test_warns_fourteen_days_before_and_after_expiry():
    [soon] = expiring_tokens(Settings(linkedin={"token_expires": date(2027, 3, 31)}), TODAY)
    assert (soon.platform, soon.section, soon.days_left) == ("LinkedIn", "linkedin", 14)
    [gone] = expiring_tokens(Settings(linkedin={"token_expires": date(2027, 3, 16)}), TODAY)
    assert gone.days_left == -1


def test_a_switched_off_platform_is_not_warned_about():
    settings = Settings(linkedin={"enabled": False, "token_expires": date(2027, 3, 20)})
    assert expiring_tokens(settings, TODAY) == []


def test_status_carries_the_warning_in_its_json(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'beatpost.db'}")
    upgrade(engine)
    settings = Settings(linkedin={"token_expires": date(2027, 3, 20)})
    status = gather_status(engine, settings, NOW)
    assert status.to_json()["token_expiry"] == [
        {"platform": "linkedin", "expires": "2027-03-20", "days_left": 3}
    ]
