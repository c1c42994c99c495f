from datetime import timedelta

import pytest
from sqlalchemy import func, select

import store.sync as sync_module
from store import AuditEntry, Delivery, Ledger, State, SyncStopped, Window, sync_plans
from store.engine import read_session, write_session
from tests.ledger_fixtures import T0, plan

SPRING = "campaigns/spring.yaml"
FALL = "campaigns/fall.yaml"


def _sync(engine, plans, *, valid=(SPRING,), invalid=None, now=T0 - timedelta(days=1), **kw):
    return sync_plans(
        engine, plans, valid_files=valid, invalid_files=invalid, now=now, actor="tester", **kw
    )


def _rows(engine):
    with read_session(engine) as s:
        return {r.key: r for r in s.scalars(select(Delivery))}


def _audit_count(engine):
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_new_plans_are_added_as_planned_with_an_audit_entry(engine):
    plans = [plan("p1"), plan("p1", platform="facebook"), plan("p2", at=T0 + timedelta(hours=1))]
    report = _sync(engine, plans)
    assert [c.action for c in report.changes] == ["add"] * 3
    rows = _rows(engine)
    assert set(rows) == {p.key for p in plans}
    row = rows["spring/p1/x/once"]
    assert row.state == State.PLANNED
    assert row.due_at == row.scheduled_at == T0
    assert row.content_hash == plans[0].content_hash
    log = Ledger(engine).audit_log("delivery", str(row.id))
    assert [(e.from_state, e.to_state, e.actor) for e in log] == [(None, "planned", "tester")]


def test_resync_of_unchanged_input_writes_nothing(engine):
    plans = [plan("p1"), plan("p2")]
    _sync(engine, plans, invalid={FALL: [{"message": "bad"}]})
    before_rows = {k: r.updated_at for k, r in _rows(engine).items()}
    before_audit = _audit_count(engine)
    report = _sync(engine, plans, invalid={FALL: [{"message": "bad"}]}, now=T0 - timedelta(hours=2))
    assert report.changes == ()
    assert _audit_count(engine) == before_audit
    assert {k: r.updated_at for k, r in _rows(engine).items()} == before_rows


@pytest.mark.parametrize(
    "change, expected_detail",
    [
        ({"text_": "New text"}, "text"),
        ({"at": T0 + timedelta(minutes=30)}, "scheduled_at"),
        ({"approved_by": None}, "approved_by"),
    ],
)
def test_changed_plan_updates_a_planned_row(engine, change, expected_detail):
    _sync(engine, [plan("p1")])
    report = _sync(engine, [plan("p1", **change)])
    assert [(c.action, c.detail) for c in report.changes] == [("update", expected_detail)]
    row = _rows(engine)["spring/p1/x/once"]
    assert row.content_hash == plan("p1", **change).content_hash
    assert row.due_at == row.scheduled_at


def test_published_rows_never_change(engine):
    _sync(engine, [plan("p1")])
    row = _rows(engine)["spring/p1/x/once"]
    with write_session(engine) as s:
        r = s.get(Delivery, row.id)
        r.state, r.platform_id, r.published_at = State.PUBLISHED, "123", T0
    report = _sync(engine, [plan("p1", text_="edited after posting")])
    assert report.changes == ()
    report = _sync(engine, [])  # and removing it from the file does not cancel history
    assert report.changes == ()
    after = _rows(engine)["spring/p1/x/once"]
    assert (after.state, after.text) == (State.PUBLISHED, row.text)


def test_removed_plan_of_a_valid_file_is_cancelled_and_can_come_back(engine):
    _sync(engine, [plan("p1"), plan("p2")])
    report = _sync(engine, [plan("p1")])
    assert [(c.action, c.key) for c in report.changes] == [("cancel", "spring/p2/x/once")]
    row = _rows(engine)["spring/p2/x/once"]
    assert row.state == State.CANCELLED
    assert row.reason == f"no longer in {SPRING}"
    report = _sync(engine, [plan("p1"), plan("p2")])
    assert [(c.action, c.detail) for c in report.changes] == [("add", "back in file")]
    assert _rows(engine)["spring/p2/x/once"].state == State.PLANNED


def test_invalid_file_keeps_its_last_good_version(engine):
    _sync(engine, [plan("p1"), plan("f1", campaign="fall", source_file=FALL)], valid=(SPRING, FALL))
    diagnostics = [{"file": FALL, "line": 4, "column": 3, "message": "unknown platform 'tiktok'"}]
    # The fall file now fails validation and yields no plans; spring still drops p1.
    report = _sync(engine, [], valid=(SPRING,), invalid={FALL: diagnostics})
    assert [(c.action, c.key) for c in report.changes] == [("cancel", "spring/p1/x/once")]
    assert report.invalid_files == (FALL,)
    assert _rows(engine)["fall/f1/x/once"].state == State.PLANNED
    status = Ledger(engine).status(T0)
    assert [(f.path, f.diagnostics[0]["message"]) for f in status.invalid_files] == [
        (FALL, "unknown platform 'tiktok'")
    ]
    # Fixed again: the file leaves the invalid list.
    _sync(engine, [plan("f1", campaign="fall", source_file=FALL)], valid=(SPRING, FALL))
    assert Ledger(engine).status(T0).invalid_files == ()


def test_deleted_file_rows_are_cancelled_when_the_sync_is_complete(engine):
    _sync(engine, [plan("p1"), plan("f1", campaign="fall", source_file=FALL)], valid=(SPRING, FALL))
    partial = _sync(engine, [plan("p1")], valid=(SPRING,), complete=False)
    assert partial.changes == ()
    report = _sync(engine, [plan("p1")], valid=(SPRING,))
    assert [(c.action, c.detail) for c in report.changes] == [
        ("cancel", f"campaign file {FALL} was removed")
    ]


def test_rows_outside_the_planning_window_are_not_cancelled(engine):
    far = T0 + timedelta(days=200)
    _sync(engine, [plan("p1"), plan("p2", at=far)])
    report = _sync(
        engine, [plan("p1")], window=Window(T0 - timedelta(days=1), T0 + timedelta(days=90))
    )
    assert report.changes == ()
    assert _rows(engine)["spring/p2/x/once"].state == State.PLANNED


def test_dry_run_reports_and_writes_nothing(engine):
    _sync(engine, [plan("p1"), plan("p2")])
    before = _audit_count(engine)
    report = _sync(engine, [plan("p1", text_="changed"), plan("p3")], dry_run=True)
    assert report.dry_run
    assert sorted((c.action, c.key) for c in report.changes) == [
        ("add", "spring/p3/x/once"),
        ("cancel", "spring/p2/x/once"),
        ("update", "spring/p1/x/once"),
    ]
    assert _audit_count(engine) == before
    assert set(_rows(engine)) == {"spring/p1/x/once", "spring/p2/x/once"}
    assert _rows(engine)["spring/p1/x/once"].text == "Join us: p1"


def test_duplicate_key_makes_its_file_invalid_not_the_whole_sync(engine):
    _sync(engine, [plan("p1", source_file=FALL, campaign="fall")], valid=(SPRING, FALL))
    plans = [
        plan("p1"),
        plan("p2"),
        plan("p1", text_="again", source_file=FALL),  # the key of spring's p1
        plan("p9", source_file=FALL, campaign="fall"),
    ]
    report = _sync(engine, plans, valid=(SPRING, FALL))
    assert report.invalid_files == (FALL,)
    rows = _rows(engine)
    # spring synced; fall keeps its last good version (nothing added, nothing cancelled)
    assert set(rows) == {"spring/p1/x/once", "spring/p2/x/once", "fall/p1/x/once"}
    assert rows["fall/p1/x/once"].state == State.PLANNED
    assert rows["spring/p1/x/once"].text == "Join us: p1"


def test_value_longer_than_its_column_makes_its_file_invalid_not_the_whole_sync(engine):
    import dataclasses

    long_name = dataclasses.replace(
        plan("p9", source_file=FALL, campaign="fall"), campaign_name="N" * 401
    )
    report = _sync(engine, [plan("p1"), long_name], valid=(SPRING, FALL))
    assert report.invalid_files == (FALL,)
    assert set(_rows(engine)) == {"spring/p1/x/once"}
    with read_session(engine) as s:
        [bad] = [f for f in s.scalars(select(sync_module.CampaignFile)) if not f.ok]
    assert bad.diagnostics[0]["message"] == (
        "the campaign name is 401 characters long; at most 400 can be stored"
    )


def test_sync_stops_between_batches_and_writes_nothing(engine):
    plans = [plan(f"p{n}", at=T0 + timedelta(minutes=n)) for n in range(1200)]
    asked = []

    def should_stop():  # yes once the first 500 new rows are flushed (the 12th question)
        asked.append(1)
        return len(asked) > 11

    with pytest.raises(SyncStopped):
        _sync(engine, plans, should_stop=should_stop)
    assert len(asked) == 12  # past the first INSERT batch: its rows were rolled back
    assert _rows(engine) == {}
    assert _audit_count(engine) == 0


def test_failed_row_takes_the_corrected_content_but_stays_failed(engine):
    _sync(engine, [plan("p1")])
    row = _rows(engine)["spring/p1/x/once"]
    with write_session(engine) as s:
        r = s.get(Delivery, row.id)
        r.state, r.reason = State.FAILED, "x: media type not allowed"
    report = _sync(engine, [plan("p1", text_="Fixed text")])
    [change] = report.changes
    assert change.action == "update"
    assert change.detail == f"text; still failed, `beatpost retry {row.id}` sends it"
    after = _rows(engine)["spring/p1/x/once"]
    assert (after.state, after.text) == (State.FAILED, "Fixed text")
    assert _sync(engine, [plan("p1", text_="Fixed text")]).changes == ()
    # Published and in-flight rows are never touched.
    for state in (State.PUBLISHED, State.UNKNOWN, State.PUBLISHING):
        with write_session(engine) as s:
            s.get(Delivery, row.id).state = state
        assert _sync(engine, [plan("p1", text_="Third text")]).changes == ()
        assert _rows(engine)["spring/p1/x/once"].text == "Fixed text"


def test_window_add_from_keeps_old_plans_out_but_deferred_rows_alive(engine):
    window = Window(T0 - timedelta(days=30), T0 + timedelta(days=90), add_from=T0)
    old = plan("old", at=T0 - timedelta(hours=2))
    report = _sync(engine, [old, plan("new", at=T0 + timedelta(hours=1))], window=window, now=T0)
    assert [c.key for c in report.changes] == ["spring/new/x/once"]  # "old" would only be skipped

    # A row already in the ledger and deferred past its time (quota) stays while in its file,
    # takes edits without losing its deferral, and is cancelled once removed from the file.
    both = [old, plan("new", at=T0 + timedelta(hours=1))]
    _sync(engine, both, now=T0 - timedelta(days=1))
    with write_session(engine) as s:
        row = s.scalars(select(Delivery).where(Delivery.key == old.key)).one()
        row.due_at = T0 + timedelta(hours=20)
    assert _sync(engine, both, window=window, now=T0).changes == ()
    edited = plan("old", at=T0 - timedelta(hours=2), text_="edited")
    report = _sync(engine, [edited, both[1]], window=window, now=T0)
    assert [(c.action, c.key) for c in report.changes] == [("update", old.key)]
    assert _rows(engine)[old.key].due_at == T0 + timedelta(hours=20)
    report = _sync(engine, [both[1]], window=window, now=T0)
    assert [(c.action, c.key) for c in report.changes] == [("cancel", old.key)]


def test_unchanged_resync_opens_no_write_transaction(engine, monkeypatch):
    plans = [plan("p1"), plan("p2")]
    _sync(engine, plans, invalid={FALL: [{"message": "bad"}]})

    def no_writes(_engine):
        raise AssertionError("an unchanged sync opened a write transaction")

    monkeypatch.setattr("store.sync.write_session", no_writes)
    report = _sync(engine, plans, invalid={FALL: [{"message": "bad"}]})
    assert report.changes == ()


def test_rows_claimed_between_compare_and_write_are_left_alone(engine, monkeypatch):
    # The sync compares without the write lock; a claim may commit before it writes. Rows
    # claimed in between must keep what was claimed: no update, no cancel.
    _sync(engine, [plan("p1"), plan("p2"), plan("p3")])
    ids = {k: r.id for k, r in _rows(engine).items()}
    compare = sync_module._candidates

    def compare_then_claim(*args, **kwargs):
        todo = compare(*args, **kwargs)
        with write_session(engine) as s:
            for key in ("spring/p1/x/once", "spring/p2/x/once"):
                s.get(Delivery, ids[key]).state = State.PUBLISHING
        return todo

    monkeypatch.setattr(sync_module, "_candidates", compare_then_claim)
    edited = [plan("p1", text_="edited"), plan("p3", text_="edited")]  # and p2 removed
    report = _sync(engine, edited)
    assert [(c.action, c.key) for c in report.changes] == [("update", "spring/p3/x/once")]
    rows = _rows(engine)
    assert (rows["spring/p1/x/once"].state, rows["spring/p1/x/once"].text) == (
        State.PUBLISHING,
        "Join us: p1",
    )
    assert rows["spring/p2/x/once"].state == State.PUBLISHING
    assert (rows["spring/p3/x/once"].state, rows["spring/p3/x/once"].text) == (
        State.PLANNED,
        "edited",
    )


def test_a_key_added_between_compare_and_write_is_not_added_twice(engine, monkeypatch):
    # Another daemon's sync (PostgreSQL) may add the same new key in between.
    compare = sync_module._candidates

    def compare_then_add(*args, **kwargs):
        todo = compare(*args, **kwargs)
        monkeypatch.setattr(sync_module, "_candidates", compare)
        _sync(engine, [plan("p1")])
        return todo

    monkeypatch.setattr(sync_module, "_candidates", compare_then_add)
    report = _sync(engine, [plan("p1")])
    assert report.changes == ()
    assert list(_rows(engine)) == ["spring/p1/x/once"]


def test_two_syncs_inserting_the_same_new_key_at_once_both_succeed(engine, monkeypatch):
    # PostgreSQL only: there both transactions can find the key missing and insert it
    # (SQLite's single writer rules that out). The loser's insert meets the unique key,
    # its transaction rolls back, and it starts over once, finding nothing to add.
    if engine.dialect.name != "postgresql":
        pytest.skip("needs two writers at once, which SQLite does not allow")
    add_all = sync_module._add_all
    raced: list[bool] = []

    def add_after_the_other_daemon(session, *args, **kwargs):
        if not raced:
            raced.append(True)
            _sync(engine, [plan("p1"), plan("p2")])  # another daemon, its own transaction
        return add_all(session, *args, **kwargs)

    monkeypatch.setattr(sync_module, "_add_all", add_after_the_other_daemon)
    report = _sync(engine, [plan("p1"), plan("p2"), plan("p3")])
    assert raced == [True]
    assert [(c.action, c.key) for c in report.changes] == [("add", "spring/p3/x/once")]
    assert sorted(_rows(engine)) == ["spring/p1/x/once", "spring/p2/x/once", "spring/p3/x/once"]
    # One audit entry per delivery: nothing of the rolled-back attempt remains.
    with read_session(engine) as s:
        query = select(AuditEntry.entity_id).where(AuditEntry.entity_type == "delivery")
        audited = sorted(s.scalars(query))
    assert len(audited) == 3 and len(set(audited)) == 3


def test_a_second_unique_key_conflict_is_not_retried_forever(engine, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    calls: list[int] = []

    def always_conflicting(*args, **kwargs):
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key value"))

    monkeypatch.setattr(sync_module, "_add_all", always_conflicting)
    with pytest.raises(IntegrityError):
        _sync(engine, [plan("p1")])
    assert len(calls) == 2
    assert _rows(engine) == {}
