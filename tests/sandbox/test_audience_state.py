"""The synthetic audience and the sandbox's memory: deterministic, time-shaped, inspectable."""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from connectors.sandbox import phrases
from connectors.sandbox.audience import attention_share, infer_kind
from connectors.sandbox.clock import SimClock
from connectors.sandbox.state import FACEBOOK_PAGE_ID, X_USER_ID, SandboxState

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
TESTIMONIAL = (
    'Meet Officer Dana Ruiz: "I joined because my grandfather walked this beat for thirty '
    'years." #JoinSPD'
)
EVENT = "Career fair Saturday 10am at the training center, join us! https://spd.example/jobs"
ANNOUNCEMENT = "Applications for the spring academy class are open through January 15."
AGES = [timedelta(hours=h) for h in (1, 6, 24, 72, 168, 720)]


def _state(seed: int = 7, **kwargs) -> SandboxState:
    return SandboxState(seed=seed, clock=SimClock(START), **kwargs)


def _metrics_at(state: SandboxState, platform: str, post_id: str) -> list[dict[str, int]]:
    created = state.get_post(platform, post_id).created_at  # type: ignore[union-attr]
    return [state.metrics(platform, post_id, at=created + age) for age in AGES]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (TESTIMONIAL, "testimonial"),
        ("Why I serve: Sgt. Lee on 14 years with the department", "testimonial"),
        ("In her own words: Detective Amy Cho on her first year", "testimonial"),
        (EVENT, "event"),
        ("Info session Tuesday 6:30 pm at the library. RSVP at the link", "event"),
        ("Ride-alongs are open to applicants this month", "event"),
        (ANNOUNCEMENT, "announcement"),
        ("Starting pay for new officers is now $62,000.", "announcement"),
    ],
)
def test_kind_is_inferred_from_text(text: str, kind: str) -> None:
    assert infer_kind(text) == kind


def test_attention_rises_then_decays() -> None:
    shares = [attention_share(h, tau_hours=2.0) for h in range(0, 200)]
    assert shares[0] == 0.0 and all(b >= a for a, b in zip(shares, shares[1:], strict=False))
    increments = [b - a for a, b in zip(shares, shares[1:], strict=False)]
    peak = increments.index(max(increments))
    assert 0 < peak < 6  # the busiest hour comes soon after posting...
    assert increments[48] < increments[peak] / 20  # ...and two days later it is a trickle
    assert shares[-1] > 0.95


@pytest.mark.parametrize("platform", ["x", "facebook", "instagram"])
def test_metrics_grow_with_age_and_never_go_down(platform: str) -> None:
    state = _state()
    post = state.add_post(platform, "acct", TESTIMONIAL, media=["m1"])
    series = _metrics_at(state, platform, post.id)
    for key in series[0]:
        values = [m[key] for m in series]
        assert values == sorted(values), (key, values)
    assert series[0]["views"] > 0 and series[-1]["views"] > series[0]["views"]
    assert series[-1]["reach"] <= series[-1]["views"]
    # most of the attention arrives in the first day
    assert series[2]["views"] > 0.7 * series[-1]["views"]


def test_before_the_post_existed_there_is_nothing() -> None:
    state = _state()
    post = state.add_post("x", X_USER_ID, TESTIMONIAL)
    before = state.metrics("x", post.id, at=START - timedelta(hours=1))
    assert set(before.values()) == {0}


def test_platform_ids_do_not_depend_on_the_other_platforms() -> None:
    """Lanes publish to each platform in parallel: a Facebook post's id (and so its link in the
    digest) must not depend on how many X or Instagram requests got in before it."""
    quiet, busy = _state(), _state()
    busy.add_post("x", X_USER_ID, "first on X")
    busy.add_media("instagram", b"img", "image/jpeg")
    for state in (quiet, busy):
        state.add_post("facebook", FACEBOOK_PAGE_ID, ANNOUNCEMENT)
    assert [p.id for p in quiet.posts("facebook")] == [p.id for p in busy.posts("facebook")]


def test_sandbox_speed_ages_the_audience_not_the_clock() -> None:
    """At audience speed 60, an hour of the clock shows a post's first 60 hours, and every
    comment carries a time the clock has reached (never one from the daemon's future)."""
    normal, fast = _state(), _state(audience_speed=60)
    for state in (normal, fast):
        state.add_post("facebook", FACEBOOK_PAGE_ID, EVENT)
    [slow_post], [fast_post] = normal.posts("facebook"), fast.posts("facebook")
    fast.clock.advance(timedelta(hours=1))
    normal.clock.advance(timedelta(hours=60))
    assert fast.now() == START + timedelta(hours=1)
    fast_metrics = fast.metrics("facebook", fast_post.id)
    assert fast_metrics == normal.metrics("facebook", slow_post.id)
    fast_comments = fast.comments("facebook", fast_post.id)
    slow_comments = normal.comments("facebook", slow_post.id)
    assert fast_comments and all(c.created_at <= fast.now() for c in fast_comments)
    # The same conversation, written 60 times faster (give or take the rounding at the end).
    assert abs(len(fast_comments) - len(slow_comments)) <= 1
    assert [c.text for c in fast_comments][:-1] == [c.text for c in slow_comments][:-1]
    year = START + timedelta(days=365)
    fast_all = fast.comments("facebook", fast_post.id, until=year)
    slow_all = normal.comments("facebook", slow_post.id, until=year)
    assert [c.created_at - START for c in fast_all] == [
        timedelta(seconds=int((c.created_at - START).total_seconds() / 60)) for c in slow_all
    ]


def test_same_seed_same_week_other_seed_other_week() -> None:
    def week(seed: int) -> tuple[list[dict[str, int]], list[tuple[str, str, datetime]]]:
        state = _state(seed)
        post = state.add_post("facebook", FACEBOOK_PAGE_ID, EVENT)
        until = START + timedelta(days=7)
        comments = [
            (c.author, c.text, c.created_at)
            for c in state.comments("facebook", post.id, until=until)
        ]
        return _metrics_at(state, "facebook", post.id), comments

    assert week(7) == week(7)
    assert week(7) != week(8)


def test_testimonials_and_events_draw_differently() -> None:
    state = _state()
    late = START + timedelta(days=30)
    rows: dict[str, list[dict[str, int]]] = {"testimonial": [], "event": []}
    for i in range(40):
        for kind, text in (("testimonial", TESTIMONIAL), ("event", EVENT)):
            post = state.add_post("facebook", FACEBOOK_PAGE_ID, f"{text} ({i})")
            assert post.kind == kind
            rows[kind].append(state.metrics("facebook", post.id, at=late))

    def rate(kind: str, key: str) -> float:
        return statistics.mean(m[key] / m["reach"] for m in rows[kind])

    assert rate("testimonial", "likes") > 1.5 * rate("event", "likes")
    assert rate("event", "link_clicks") > 2 * rate("testimonial", "link_clicks")
    assert rate("event", "shares") > 1.5 * rate("testimonial", "shares")


def test_kind_hint_overrides_the_guess() -> None:
    state = _state()
    post = state.add_post("x", X_USER_ID, ANNOUNCEMENT, kind="event")
    assert post.kind == "event"


def test_comments_are_mixed_realistic_and_arrive_over_time() -> None:
    state = _state()
    categories: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    texts: list[str] = []
    for i in range(30):
        for text in (TESTIMONIAL, EVENT, ANNOUNCEMENT):
            post = state.add_post("x", X_USER_ID, f"{text} {i}")
            everything = state.comments("x", post.id, until=START + timedelta(days=30))
            assert everything, "every post gets a conversation"
            first_hour = state.comments("x", post.id, until=START + timedelta(hours=1))
            assert len(first_hour) < len(everything)
            assert all(c.created_at > post.created_at for c in everything)
            assert [c.created_at for c in everything] == sorted(c.created_at for c in everything)
            categories.update(c.category for c in everything)
            topics.update(c.topic for c in everything if c.category == "question")
            texts.extend(c.text for c in everything)
    assert set(categories) == {"question", "praise", "hostile", "partner", "neutral"}
    assert {"pay", "requirements", "age", "event"} <= set(topics)
    assert len(set(texts)) > 0.6 * len(texts), "comments should rarely repeat word for word"
    assert not any(re.search(r"[<>\x1b]|\[link=", t) for t in texts), "unsafe content is opt-in"


def test_replies_metric_counts_the_visible_comments() -> None:
    state = _state()
    post = state.add_post("instagram", "17841400000000001", TESTIMONIAL, media=["m"])
    for hours in (1, 5, 48):
        at = START + timedelta(hours=hours)
        assert state.metrics("instagram", post.id, at=at)["replies"] == len(
            state.comments("instagram", post.id, until=at)
        )


def test_some_comments_answer_earlier_ones() -> None:
    state = _state()
    replies = []
    for i in range(20):
        post = state.add_post("facebook", FACEBOOK_PAGE_ID, f"{EVENT} {i}")
        found = state.comments("facebook", post.id, until=START + timedelta(days=10))
        ids = {c.id for c in found}
        replies += [c for c in found if c.parent_id]
        assert all(c.parent_id in ids for c in found if c.parent_id)
    assert replies


def test_unsafe_comments_appear_when_asked_for() -> None:
    state = _state(unsafe_comment_rate=1.0)
    hostile = []
    for i in range(100):
        post = state.add_post("x", X_USER_ID, f"{ANNOUNCEMENT} {i}")
        hostile += [
            c.text
            for c in state.comments("x", post.id, until=START + timedelta(days=10))
            if c.category == "hostile"
        ]
    assert hostile
    assert all(any(p in t for p in phrases.UNSAFE_PAYLOADS) for t in hostile)
    joined = " ".join(hostile)
    assert "<script>" in joined and "[link=" in joined and "\x1b[" in joined


@pytest.mark.parametrize(
    ("platform", "account", "shape"),
    [
        ("x", X_USER_ID, r"^\d{18,19}$"),
        ("facebook", FACEBOOK_PAGE_ID, rf"^{FACEBOOK_PAGE_ID}_\d+$"),
        ("instagram", "17841400000000001", r"^\d{17}$"),
    ],
)
def test_post_ids_look_like_the_platforms(platform: str, account: str, shape: str) -> None:
    state = _state()
    ids = [state.add_post(platform, account, f"post {i}").id for i in range(3)]
    assert all(re.match(shape, i) for i in ids), ids
    assert len(set(ids)) == 3


def test_x_ids_carry_their_creation_time_like_snowflakes() -> None:
    state = _state()
    post = state.add_post("x", X_USER_ID, "hello")
    ms = (int(post.id) >> 22) + 1288834974657
    assert datetime.fromtimestamp(ms / 1000, UTC) == START


def test_posts_delete_count_and_reset() -> None:
    state = _state()
    a = state.add_post("x", X_USER_ID, "same text")
    state.clock.advance(timedelta(minutes=1))
    b = state.add_post("x", X_USER_ID, "same text")
    state.add_post("facebook", FACEBOOK_PAGE_ID, "same text")
    assert [p.id for p in state.posts("x")] == [a.id, b.id]
    assert state.times_posted("x", "same text") == 2
    assert state.duplicates() == {("x", "same text"): 2}
    assert state.delete_post("x", a.id) and not state.delete_post("x", a.id)
    assert state.times_posted("x", "same text") == 1
    assert state.duplicates() == {}
    assert [p.id for p in state.posts("x", include_deleted=True)] == [a.id, b.id]
    assert len(state.posts()) == 2
    state.reset()
    assert state.posts() == [] and state.request_log == []
    assert state.clock.now() == START + timedelta(minutes=1)


def test_media_keeps_bytes_and_alt_text() -> None:
    state = _state()
    item = state.add_media("x", b"\xff\xd8jpeg", "image/jpeg")
    assert state.set_alt_text("x", item.id, "Officer Ruiz at the academy")
    stored = state.get_media("x", item.id)
    assert stored is not None and stored.data == b"\xff\xd8jpeg"
    assert stored.alt_text == "Officer Ruiz at the academy"
    assert not state.set_alt_text("x", "nope", "alt")


def test_unknown_post_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no x post 42"):
        _state().metrics("x", "42")


def test_rate_window_counts_and_resets_in_simulated_time() -> None:
    state = _state()
    window = timedelta(minutes=15)
    statuses = [state.rate_window("tweets", 3, window) for _ in range(4)]
    assert [s.remaining for s in statuses] == [2, 1, 0, 0]
    assert [s.exceeded for s in statuses] == [False, False, False, True]
    assert statuses[-1].reset_at == START + window
    state.clock.advance(window)
    assert state.rate_window("tweets", 3, window).remaining == 2


def test_concurrent_posting_keeps_every_post_with_a_unique_id() -> None:
    state = _state()

    def post_many(n: int) -> None:
        for i in range(50):
            state.add_post("x", X_USER_ID, f"thread {n} post {i}")
            state.log_request("POST", "/2/tweets", 201)

    threads = [threading.Thread(target=post_many, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    posts = state.posts("x")
    assert len(posts) == 400 and len({p.id for p in posts}) == 400
    assert sorted(p.ordinal for p in posts) == list(range(1, 401))
    assert len(state.requests("POST", "/2/tweets")) == 400


def test_the_audience_sleeps_at_night() -> None:
    # 2 am and noon in Springfield (America/Chicago, CST = UTC-6 in November).
    night, noon = datetime(2026, 11, 3, 8, 0, tzinfo=UTC), datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
    views = {}
    comment_hours: Counter[int] = Counter()
    for label, moment in (("night", night), ("noon", noon)):
        state = SandboxState(seed=7, clock=SimClock(moment))
        post = state.add_post("facebook", FACEBOOK_PAGE_ID, TESTIMONIAL)
        views[label] = state.metrics("facebook", post.id, at=moment + timedelta(hours=3))["views"]
        for i in range(40):
            other = state.add_post("facebook", FACEBOOK_PAGE_ID, f"{EVENT} {label} {i}")
            for c in state.comments("facebook", other.id, until=moment + timedelta(days=5)):
                comment_hours[(c.created_at.hour - 6) % 24] += 1  # local hour
    assert views["noon"] > 3 * views["night"]
    small_hours = sum(comment_hours[h] for h in (2, 3, 4))
    evening = sum(comment_hours[h] for h in (18, 19, 20))
    assert evening > 5 * small_hours


def test_active_hours_round_trip() -> None:
    from connectors.sandbox.audience import ActivityCycle

    cycle = ActivityCycle("America/Chicago")
    assert cycle.active_hours(START, START + timedelta(days=7)) == pytest.approx(168, rel=0.01)
    for active in (0.1, 3.0, 30.0, 2000.0):
        end = cycle.after(START, active)
        assert cycle.active_hours(START, end) == pytest.approx(active, rel=1e-6)


def test_kind_hints_beat_the_guess() -> None:
    state = _state()
    state.hint_kind("spring academy", "event")
    assert state.add_post("x", X_USER_ID, ANNOUNCEMENT).kind == "event"
    assert state.add_post("x", X_USER_ID, TESTIMONIAL).kind == "testimonial"
    with pytest.raises(ValueError, match="unknown post kind"):
        state.hint_kind("x", "party")  # type: ignore[arg-type]


@pytest.mark.parametrize("platform", ["x", "facebook", "instagram"])
def test_added_comments_join_the_thread_with_their_own_ids(platform: str) -> None:
    state = _state()
    post = state.add_post(platform, "acct", TESTIMONIAL, media=["m"])
    state.clock.advance(timedelta(days=2))
    audience = state.comments(platform, post.id)
    reply = state.add_comment(platform, post.id, "SpringfieldPD", "Pay starts at $62,000!")
    thread = state.comments(platform, post.id)
    assert thread[-1] == reply and len(thread) == len(audience) + 1
    assert len({c.id for c in thread}) == len(thread)
    assert state.metrics(platform, post.id)["replies"] == len(thread)
