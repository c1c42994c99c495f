"""``status`` warns two weeks before a platform's access token expires (LinkedIn's last 60
days), from the section's ``token_expires`` date."""

from datetime import UTC, date, datetime

from beatpost.status import gather_status, token_warnings
from config.settings import Settings
from store import make_engine, upgrade

NOW = datetime(2027, 3, 17, 15, 0, tzinfo=UTC)


def test_no_warning_until_two_weeks_before_the_token_expires():
    assert token_warnings(Settings(), NOW) == []  # no date given: nothing to say
    settings = Settings(linkedin={"token_expires": "2027-04-01"})  # 15 days ahead
    assert token_warnings(settings, NOW) == []


def test_warns_fourteen_days_before_and_after_expiry():
    [soon] = token_warnings(Settings(linkedin={"token_expires": date(2027, 3, 31)}), NOW)
    assert soon.startswith("LinkedIn: the access token stops working on 2027-03-31 (in 14 days)")
    assert "linkedin.token_expires" in soon
    [gone] = token_warnings(Settings(linkedin={"token_expires": date(2027, 3, 16)}), NOW)
    assert "stopped working on 2027-03-16: nothing posts there" in gone


def test_a_switched_off_platform_is_not_warned_about():
    settings = Settings(linkedin={"enabled": False, "token_expires": date(2027, 3, 20)})
    assert token_warnings(settings, NOW) == []


def test_status_carries_the_warning_in_its_json(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'beatpost.db'}")
    upgrade(engine)
    settings = Settings(linkedin={"token_expires": date(2027, 3, 20)})
    status = gather_status(engine, settings, NOW)
    [warning] = status.to_json()["token_warnings"]
    assert "(in 3 days)" in warning
