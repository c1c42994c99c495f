"""``beatpost rescore``: stored comments get the triage's stance, flags and language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.daemon.test_cli import (  # noqa: F401 - the shared CLI fixture
    _add_comments,
    run,
    workspace,
)


def test_rescore_fills_stance_flags_and_language(workspace, capsys):  # noqa: F811
    from sqlmodel import select

    from store import make_engine
    from store.engine import read_session, write_session
    from store.metrics_models import CommentRecord

    run(workspace, capsys, "sync")
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    texts = [
        "Where was this photo taken? Looks like Riverside Park",
        "¿Necesito ser ciudadano para aplicar?",
        "Enjoy your last shift, officer. We'll be watching.",
    ]
    with write_session(engine) as session:
        for n, text in enumerate(texts):
            session.add(
                CommentRecord(
                    platform="x",
                    platform_comment_id=f"c{n}",
                    delivery_id=1,
                    post_platform_id="1",
                    author=f"@resident{n}",
                    text=text,
                    created_at=datetime.now(UTC) - timedelta(hours=1),
                    flags=[],  # scored before triage existed
                )
            )
    code, out, _ = run(workspace, capsys, "rescore", "--no-progress")
    assert code == 0 and "re-scored 3 comments" in out
    with read_session(engine) as session:
        rows = session.exec(select(CommentRecord).order_by(CommentRecord.id)).all()
        got = [(r.lang, r.stance, set(r.flags)) for r in rows]
    engine.dispose()
    # what was stored is the triage's own answer for each text (the Riverside Park comment's
    # stance is a known misread of the learned layer, docs/sentiment.md, so it is not fixed here)
    from analysis.triage import triage

    want = [(t.lang, t.stance, set(t.flags)) for t in triage(texts)]
    assert [(lang, stance, flags - {"negative"}) for lang, stance, flags in got] == want
    assert [(lang, flags & {"safety", "needs_reply", "hostile"}) for lang, _, flags in got] == [
        ("en", {"safety"}),
        ("es", {"needs_reply"}),
        ("en", {"hostile"}),
    ]
    assert got[2][1] == "critical" and "negative" in got[2][2]


def test_status_puts_safety_comments_first_with_review_now(workspace, capsys):  # noqa: F811
    import json

    from store import make_engine
    from store.engine import write_session
    from store.metrics_models import CommentRecord

    run(workspace, capsys, "sync")
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    with write_session(engine) as session:
        session.add(
            CommentRecord(
                platform="x",
                platform_comment_id="c1",
                delivery_id=1,
                post_platform_id="1",
                author="@someone",
                text="What's the name of the officer on the left?",
                created_at=datetime.now(UTC) - timedelta(days=3),
                flags=["safety"],
            )
        )
    engine.dispose()
    code, out, _ = run(workspace, capsys, "status")
    # First on the screen, over the same comments as the replies list (written since the
    # Monday of the latest digest's week, or --since), and saying so.
    assert out.startswith("Officer safety — review now (1, since "), out
    assert out.splitlines()[1].endswith("@someone: What's the name of the officer on the left?")
    yesterday = str((datetime.now(UTC) - timedelta(days=1)).date())
    code, out, _ = run(workspace, capsys, "status", "--since", yesterday)
    assert code == 0, out
    assert "Officer safety" not in out and "officer on the left" not in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    [comment] = json.loads(out)["safety"]
    assert comment["author"] == "@someone"


def test_a_missing_model_file_is_a_clear_error_naming_it(workspace, capsys, monkeypatch):  # noqa: F811
    """ModelFileError's own message named the file, but the command line wrapped it in "This is
    a bug in beatpost; run again with --traceback"."""
    from pathlib import Path

    import beatpost.pull.ingest
    from analysis.sentiment_models.linear import ModelFileError

    def broken(model):
        def score(texts):
            raise ModelFileError(Path("/opt/beatpost/default.npz"), "the file is missing")

        return score

    monkeypatch.setattr(beatpost.pull.ingest, "sentiment_scorer", broken)
    run(workspace, capsys, "sync")
    _add_comments(workspace, ("How do I apply?", [], datetime.now(UTC))).dispose()
    code, _, err = run(workspace, capsys, "rescore", "--no-progress")
    assert code == 1
    assert "cannot load model file /opt/beatpost/default.npz: the file is missing" in err
    assert "bug in beatpost" not in err and "ModelFileError" not in err
