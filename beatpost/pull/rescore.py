"""Re-score stored comments with the current models (after an upgrade of beatpost)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from beatpost.pull.ingest import Scorer
from store import metrics as store_metrics
from store.engine import read_session, write_session

BATCH = 500


def rescore_comments(
    engine: Engine, scorer: Scorer, progress: Callable[[int, int], None] | None = None
) -> int:
    """Score every stored comment again, one transaction per batch; returns how many."""
    with read_session(engine) as session:
        total = store_metrics.count_comments(session)
    done, after = 0, 0
    if progress:
        progress(0, total)
    while True:
        with read_session(engine) as session:
            batch = store_metrics.comment_texts_after(session, after, BATCH)
        if not batch:
            return done
        scored = scorer([text for _, text in batch])
        with write_session(engine) as session:
            store_metrics.update_comment_scores(
                session,
                [(cid, s.stored()) for (cid, _), s in zip(batch, scored, strict=True)],
            )
        done += len(batch)
        after = batch[-1][0]
        if progress:
            progress(done, max(total, done))
