"""The pull job against a scripted in-memory connector: schedule, batching, comments, budgets,
rate limits and failures mid-pull."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from beatpost.pull import run_pull
from connectors.base import Capabilities
from connectors.errors import AuthError, RateLimited, Rejected, TransientError
from store import metrics as store_metrics
from store.engine import read_session, write_session
from store.metrics_models import (
    CommentRecord,
    MetricSnapshotRecord,
    PullCursor,
)

from .conftest import T0, FakeConnector, add_delivery, factory, run_every, settings, simple_scorer

H = timedelta(hours=1)
D = timedelta(days=1)


def pull(engine, clock, *connectors, config=None, **kwargs):
    return run_pull(
        config or settings(),
        engine,
        factory(*connectors),
        clock.now,
        scorer=simple_scorer,
        **kwargs,
    )


def slots_of(engine, delivery_id):
    with read_session(engine) as session:
        return [(s.slot, s.age_seconds) for s in store_metrics.snapshots_of(session, delivery_id)]


def cursor_of(engine, delivery_id) -> PullCursor:
    with read_session(engine) as session:
        return session.get(PullCursor, delivery_id)


def count(engine, model):
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_week_of_pulls_measures_each_scheduled_age_once(engine, clock):
    fb = FakeConnector("facebook", clock)
    ids = {}
    for n, offset in enumerate([timedelta(0), 5 * H + timedelta(minutes=7), 2 * D]):
        pid = f"fb{n}"
        fb.posts[pid] = T0 + offset
        ids[pid] = add_delivery(
            engine, platform="facebook", platform_id=pid, published_at=T0 + offset
        )
    run_every(lambda: pull(engine, clock, fb), clock, T0 + 10 * D)

    interval = 15 * 60
    for pid, delivery_id in ids.items():
        taken = slots_of(engine, delivery_id)
        age = clock.now() - fb.posts[pid]
        expected = [
            s
            for s, a in [("1h", H), ("6h", 6 * H), ("24h", D), ("3d", 3 * D), ("7d", 7 * D)]
            if a <= age - timedelta(minutes=15)
        ]
        assert [slot for slot, _ in taken] == expected
        for (slot, seconds), nominal in zip(taken, [1, 6, 24, 72, 168], strict=False):
            # each taken on the first pull at or after its due time
            assert nominal * 3600 <= seconds < nominal * 3600 + interval, slot
    assert cursor_of(engine, ids["fb0"]).next_metrics_slot == "30d"


def test_requests_are_batched_to_the_platform_maximum(engine, clock):
    x = FakeConnector("x", clock).with_batch(2)
    for n in range(5):
        x.posts[f"{n}"] = T0
        add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0)
    clock.advance(H)
    report = pull(engine, clock, x)
    rep = report.platforms["x"]
    assert rep.metrics_requests == math.ceil(5 / 2) == len(x.metric_calls)
    assert [len(c) for c in x.metric_calls] == [2, 2, 1]
    assert rep.snapshots == 5
    assert rep.comments_requests == 5
    assert rep.requests == 8
    assert report.ok


def test_nothing_due_makes_no_requests(engine, clock):
    x = FakeConnector("x", clock)
    x.posts["1"] = T0
    add_delivery(engine, platform="x", platform_id="1", published_at=T0)
    report = pull(engine, clock, x)
    assert report.platforms["x"].requests == 0 and x.metric_calls == []
    assert cursor_of(engine, _only_id(engine)).next_due_at == T0 + H


def _only_id(engine):
    with read_session(engine) as session:
        return session.execute(select(PullCursor.delivery_id)).scalar_one()


def test_comments_deduplicated_scored_and_cursor_honoured(engine, clock):
    fb = FakeConnector("facebook", clock, ignore_since=True)  # returns everything every time
    fb.posts["p"] = T0
    did = add_delivery(engine, platform="facebook", platform_id="p", published_at=T0)
    first = fb.add_comment("p", T0 + timedelta(minutes=20), "How do I apply?")
    fb.add_comment("p", T0 + timedelta(minutes=40), "Proud of our officers")
    clock.advance(H)
    one = pull(engine, clock, fb).platforms["facebook"]
    assert (one.new_comments, one.duplicate_comments) == (2, 0)

    fb.add_comment("p", T0 + 3 * H, "bad idea")
    clock.advance(5 * H)
    two = pull(engine, clock, fb).platforms["facebook"]
    assert (two.new_comments, two.duplicate_comments) == (1, 2)
    assert fb.comment_calls == [("p", None), ("p", T0 + timedelta(minutes=40))]

    with read_session(engine) as session:
        stored = store_metrics.comments_of(session, did)
    assert [c.platform_comment_id for c in stored] == [first.platform_id, "c2", "c3"]
    assert stored[0].flags == ["needs_reply"] and stored[0].sentiment_label == "positive"
    assert stored[2].sentiment_label == "negative" and stored[2].sentiment_score == -0.5
    assert cursor_of(engine, did).comments_since == T0 + 3 * H


def test_x_stops_comments_at_its_search_window_and_metrics_before_private_ones_vanish(
    engine, clock
):
    x = FakeConnector("x", clock)
    x.posts["1"] = T0
    did = add_delivery(engine, platform="x", platform_id="1", published_at=T0)
    run_every(lambda: pull(engine, clock, x), clock, T0 + 8 * D, step=timedelta(minutes=30))
    # 1h 6h 24h 3d, and 7d taken an hour early, inside X's 7-day search window
    assert [t - T0 for t in x.comment_call_times] == [H, 6 * H, D, 3 * D, 7 * D - H]
    clock.set(T0 + 30 * D - timedelta(minutes=50))
    pull(engine, clock, x)
    assert slots_of(engine, did)[-1][0] == "30d"
    assert slots_of(engine, did)[-1][1] < 30 * 86400  # before X withholds private metrics
    cursor = cursor_of(engine, did)
    assert cursor.next_due_at is None and cursor.next_comments_slot is None


def test_downtime_takes_latest_due_slot_and_counts_missed(engine, clock):
    fb = FakeConnector("facebook", clock)
    fb.posts["p"] = T0
    did = add_delivery(engine, platform="facebook", platform_id="p", published_at=T0)
    clock.advance(2 * D)  # daemon was down through the 1h and 6h slots
    report = pull(engine, clock, fb).platforms["facebook"]
    assert [s for s, _ in slots_of(engine, did)] == ["24h"]
    assert report.missed_slots == 4  # 1h and 6h on both tracks
    assert cursor_of(engine, did).missed_slots == 4


def test_budget_short_serves_young_posts_first_and_defers_the_rest(engine, clock):
    config = settings(x={"reads_per_day": 8})
    x = FakeConnector("x", clock)
    old = []
    for n in range(4):  # four posts three days old: their 3d slot is due
        x.posts[f"old{n}"] = T0 - 3 * D
        old.append(
            add_delivery(
                engine,
                platform="x",
                platform_id=f"old{n}",
                published_at=T0 - 3 * D,
                campaign_id="winter",
            )
        )
    # the old posts were measured through 24h already
    with write_session(engine) as session:
        for did in old:
            session.add(
                PullCursor(
                    delivery_id=did,
                    platform="x",
                    next_metrics_slot="3d",
                    next_metrics_at=T0,
                    next_comments_slot="3d",
                    next_comments_at=T0,
                    next_due_at=T0,
                )
            )
    for n in range(2):
        x.posts[f"new{n}"] = T0 - H
        add_delivery(engine, platform="x", platform_id=f"new{n}", published_at=T0 - H)
    rep = pull(engine, clock, x, config=config).platforms["x"]
    # 8 reads, reserve ceil(8 / 4) = 2. The new posts' metrics and comments go first (4 reads);
    # the old posts' 3d work (slot index 3) may only spend down to the reserve: 2 more items,
    # old0's metrics and comments. The other 6 old items wait.
    assert rep.snapshots == 2 + 1 and rep.comments_requests == 3
    assert rep.skipped_for_budget == 6
    assert {c for c in x.metric_calls[0]} >= {"new0", "new1"}
    assert report_is_graceful(rep)
    # The next UTC day the budget is back and the deferred work is done
    clock.advance(D)
    rep2 = pull(engine, clock, x, config=config).platforms["x"]
    assert rep2.snapshots >= 1 and not rep2.errors


def report_is_graceful(rep):
    return not rep.errors and rep.stopped is None


def test_rate_limited_mid_pull_keeps_earlier_batch_and_waits_for_reset(engine, clock):
    x = FakeConnector("x", clock).with_batch(2)
    for n in range(4):
        x.posts[f"{n}"] = T0
        add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0)
    clock.advance(H)
    reset = clock.now() + timedelta(minutes=10)
    x.failures[("metrics", 2)] = RateLimited("Too Many Requests", reset_at=reset, platform="x")
    rep = pull(engine, clock, x).platforms["x"]
    assert rep.snapshots == 2 and rep.rate_limited_until == reset
    assert "rate limited" in rep.stopped and rep.not_attempted == 2 + 4  # batch 2 + comments
    assert count(engine, MetricSnapshotRecord) == 2

    clock.advance(timedelta(minutes=5))
    calls = len(x.metric_calls)
    again = pull(engine, clock, x).platforms["x"]
    assert len(x.metric_calls) == calls and "earlier pull" in again.stopped

    clock.advance(timedelta(minutes=10))
    after = pull(engine, clock, x).platforms["x"]
    assert after.snapshots == 2 and after.comments_requests == 4 and not after.errors
    assert count(engine, MetricSnapshotRecord) == 4


def test_expired_token_mid_pull_leaves_earlier_data_and_says_so(engine, clock):
    x = FakeConnector("x", clock).with_batch(1)
    fb = FakeConnector("facebook", clock)
    for n in range(3):
        x.posts[f"{n}"] = T0
        add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0)
    fb.posts["f"] = T0
    add_delivery(engine, platform="facebook", platform_id="f", published_at=T0)
    x.failures[("metrics", 2)] = AuthError("Unauthorized", platform="x", code=401)
    clock.advance(H)
    report = pull(engine, clock, x, fb)
    rep = report.platforms["x"]
    assert rep.snapshots == 1
    assert rep.errors == ["metrics: x: Unauthorized (code 401)"]
    assert "expired" in rep.stopped
    assert report.platforms["facebook"].snapshots == 1  # other platforms carry on
    assert not report.ok
    # the failed posts stay due; the stored one is not asked again
    clock.advance(timedelta(minutes=15))
    x.failures.clear()
    x.metric_calls.clear()
    pull(engine, clock, x, fb)
    assert sorted(i for call in x.metric_calls for i in call) == ["1", "2"]


def test_rejected_metrics_stop_metrics_but_comments_continue(engine, clock):
    fb = FakeConnector("facebook", clock).with_batch(1)
    ids = []
    for n in range(2):
        fb.posts[f"{n}"] = T0
        ids.append(add_delivery(engine, platform="facebook", platform_id=f"{n}", published_at=T0))
    fb.failures[("metrics", 1)] = Rejected(
        "(#100) must be a valid insights metric", platform="facebook", code=100
    )
    clock.advance(H)
    rep = pull(engine, clock, fb).platforms["facebook"]
    assert len(fb.metric_calls) == 1 and rep.snapshots == 0
    assert rep.comments_requests == 2 and rep.stopped is None
    assert "valid insights metric" in rep.errors[0]
    first, second = (cursor_of(engine, i) for i in ids)
    assert "valid insights metric" in first.last_error
    assert first.next_metrics_slot == "1h"  # still due: retried next pull
    assert second.next_comments_slot == "6h"


def test_a_retired_figure_is_reported_and_the_rest_stored(engine, clock):
    fb = FakeConnector("facebook", clock)
    fb.posts["p"] = T0
    did = add_delivery(engine, platform="facebook", platform_id="p", published_at=T0)
    clock.advance(H)
    pull(engine, clock, fb)
    fb.drop_fields = {"views"}
    clock.advance(5 * H)
    rep = pull(engine, clock, fb).platforms["facebook"]
    assert rep.snapshots == 1
    assert any("'views' no longer given for 1 post" in w for w in rep.warnings)
    with read_session(engine) as session:
        first, second = store_metrics.snapshots_of(session, did)
    assert first.views == 100 and second.views is None and second.reactions == 18


def test_transient_errors_retry_next_pull_and_stop_after_three(engine, clock):
    fb = FakeConnector("facebook", clock).with_batch(1)
    for n in range(5):
        fb.posts[f"{n}"] = T0
        add_delivery(engine, platform="facebook", platform_id=f"{n}", published_at=T0)
    for call in (1, 2, 3):
        fb.failures[("metrics", call)] = TransientError("try again", platform="facebook")
    clock.advance(H)
    rep = pull(engine, clock, fb).platforms["facebook"]
    assert len(rep.errors) == 3 and "failed requests" in rep.stopped
    assert rep.snapshots == 0 and rep.not_attempted == 5 + 5
    fb.failures.clear()
    clock.advance(timedelta(minutes=15))
    assert pull(engine, clock, fb).platforms["facebook"].snapshots == 5


def test_deleted_post_is_reported_and_its_slot_passed(engine, clock):
    fb = FakeConnector("facebook", clock)
    did = add_delivery(engine, platform="facebook", platform_id="gone", published_at=T0)
    clock.advance(H)
    rep = pull(engine, clock, fb).platforms["facebook"]
    assert rep.missing_posts == 1 and rep.snapshots == 0
    cursor = cursor_of(engine, did)
    assert cursor.next_metrics_slot == "6h" and "deleted" in cursor.last_error


def test_backfill_measures_old_deliveries_off_schedule(engine, clock):
    fb = FakeConnector("facebook", clock)
    fb.posts["old"] = T0 - 60 * D
    did = add_delivery(engine, platform="facebook", platform_id="old", published_at=T0 - 60 * D)
    assert pull(engine, clock, fb).platforms == {}  # beyond the horizon: left alone
    rep = pull(engine, clock, fb, backfill=True).platforms["facebook"]
    assert rep.snapshots == 1 and rep.comments_requests == 1
    assert slots_of(engine, did)[0][0] == "30d"  # its last slot, overdue, taken now


def test_backfill_off_schedule_snapshot_and_since(engine, clock):
    fb = FakeConnector("facebook", clock)
    fb.posts["a"] = T0
    fb.posts["b"] = T0 - 2 * D
    a = add_delivery(engine, platform="facebook", platform_id="a", published_at=T0)
    add_delivery(engine, platform="facebook", platform_id="b", published_at=T0 - 2 * D)
    clock.advance(timedelta(minutes=30))
    rep = pull(engine, clock, fb, backfill=True, since=T0 - H).platforms["facebook"]
    assert rep.tracked == 1 and rep.snapshots == 1
    assert slots_of(engine, a) == [(None, 1800)]
    assert cursor_of(engine, a).next_metrics_slot == "1h"  # the schedule is untouched


def test_disabled_and_unavailable_platforms_are_reported(engine, clock):
    from connectors.errors import ConnectorUnavailable

    add_delivery(engine, platform="x", platform_id="1", published_at=T0)
    add_delivery(engine, platform="instagram", platform_id="2", published_at=T0)
    clock.advance(H)

    def make(platform):
        raise ConnectorUnavailable("missing access token", platform=platform)

    report = run_pull(settings(x={"enabled": False}), engine, make, clock.now, scorer=simple_scorer)
    assert "disabled" in report.platforms["x"].stopped
    assert report.platforms["instagram"].errors == ["connector: instagram: missing access token"]


def test_scorer_failure_keeps_comments_unscored(engine, clock):
    fb = FakeConnector("facebook", clock)
    fb.posts["p"] = T0
    add_delivery(engine, platform="facebook", platform_id="p", published_at=T0)
    fb.add_comment("p", T0 + timedelta(minutes=5), "hello")
    clock.advance(H)

    def broken(texts):
        raise RuntimeError("model file missing")

    report = run_pull(settings(), engine, factory(fb), clock.now, scorer=broken)
    rep = report.platforms["facebook"]
    assert rep.new_comments == 1 and "model file missing" in rep.warnings[0]
    with read_session(engine) as session:
        stored = session.execute(select(CommentRecord)).scalar_one()
    assert stored.sentiment_label is None


def test_progress_counts_every_planned_request(engine, clock):
    x = FakeConnector("x", clock).with_batch(2)
    for n in range(3):
        x.posts[f"{n}"] = T0
        add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0)
    clock.advance(H)
    seen = []
    run_pull(
        settings(),
        engine,
        factory(x),
        clock.now,
        progress=lambda d, t, p: seen.append((d, t)),
        scorer=simple_scorer,
    )
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)  # 2 metrics batches + 3 comment fetches


@pytest.mark.parametrize("platform", ["x", "facebook"])
def test_report_json_is_serialisable(engine, clock, platform):
    import json

    c = FakeConnector(platform, clock)
    c.posts["1"] = T0
    add_delivery(engine, platform=platform, platform_id="1", published_at=T0)
    clock.advance(H)
    data = pull(engine, clock, c).to_json()
    assert json.loads(json.dumps(data))["platforms"][platform]["snapshots"] == 1


class BatchingConnector(FakeConnector):
    """A connector that can fetch the comments of many posts in one request, as X's does."""

    batch_calls: list[dict] = []
    capabilities = Capabilities(batch_comments=True)

    def fetch_comments_batch(self, cursors):
        self.batch_calls.append(dict(cursors))
        return {pid: self.fetch_comments(pid, since) for pid, since in cursors.items()}


def test_comments_of_many_posts_in_one_request_when_the_connector_can(engine, clock):
    x = BatchingConnector("x", clock)
    x.batch_calls = []
    ids = []
    for n in range(3):
        x.posts[f"{n}"] = T0
        ids.append(add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0))
        x.add_comment(f"{n}", T0 + timedelta(minutes=10 + n), f"question {n}?")
    clock.advance(H)
    rep = pull(engine, clock, x).platforms["x"]
    assert rep.comments_requests == 1 and rep.new_comments == 3 and rep.requests == 2
    assert x.batch_calls == [{"0": None, "1": None, "2": None}]
    clock.advance(5 * H)
    pull(engine, clock, x)
    assert x.batch_calls[1] == {f"{n}": T0 + timedelta(minutes=10 + n) for n in range(3)}
    assert [cursor_of(engine, i).next_comments_slot for i in ids] == ["24h"] * 3


def test_a_week_on_a_tight_budget_thins_older_slots_and_never_fails(engine, clock):
    """Two posts an hour for ten hours a day, a week long, two replies each; hourly pulls.
    A read is a post measured or a comment fetched: once the week is under way the schedule
    wants about 20 x (5 measurements + 2 comments) = 140 reads a day; the budget is 90."""
    cap = 90
    config = settings(x={"reads_per_day": cap}, pull={"interval_minutes": 60})
    x = FakeConnector("x", clock)
    ids, reports = [], []
    while clock.now() < T0 + 8 * D:
        now = clock.now()
        if now < T0 + 7 * D and 8 <= now.hour < 18:
            for k in range(2):
                pid = f"{now:%d%H}-{k}"
                x.posts[pid] = now
                ids.append(add_delivery(engine, platform="x", platform_id=pid, published_at=now))
                x.add_comment(pid, now + timedelta(minutes=30), "How do I apply?")
                x.add_comment(pid, now + 2 * H, "Great video")
        reports.append(pull(engine, clock, x, config=config))
        clock.advance(H)
    reps = [(r.started_at.date(), r.platforms["x"]) for r in reports if "x" in r.platforms]
    assert not any(rep.errors or rep.stopped for _, rep in reps)
    assert sum(rep.skipped_for_budget for _, rep in reps) > 0  # the budget did bite
    reads_per_day: dict = {}
    for day, rep in reps:
        reads_per_day[day] = reads_per_day.get(day, 0) + rep.reads
    assert max(reads_per_day.values()) <= cap + 2  # give or take one comments answer

    with read_session(engine) as session:
        slots = [[s.slot for s in store_metrics.snapshots_of(session, d)] for d in ids]
    # every post measured within its first six hours
    assert all({"1h", "6h"} & set(s) for s in slots)
    # and the older the slot, the more of them were passed over
    # posts old enough by the end for the slot to have come due: 3d only for days 0 to 4
    eligible = {"1h": len(ids), "24h": len(ids), "3d": 5 * 20}
    share = {age: sum(age in s for s in slots) / n for age, n in eligible.items()}
    assert share["1h"] > share["3d"] and share["24h"] > share["3d"]
    assert share["3d"] < 0.75


def test_a_platforms_figures_are_the_stores_count_columns() -> None:
    # The pull copies a connector's snapshot into the store by the store's names: a figure
    # added to one and not the other would be dropped without a word.
    import dataclasses

    from connectors.base import MetricSnapshot
    from store.metrics import COUNT_FIELDS

    figures = [f.name for f in dataclasses.fields(MetricSnapshot)]
    assert tuple(n for n in figures if n not in ("platform_id", "taken_at", "extras")) == (
        COUNT_FIELDS
    )
