"""Importing a county-wide agency's year of applicants, and rebuilding their attribution.

A NEOGOV-shaped CSV export of ``--rows`` applications (names, emails, phones and the other
columns an applicant list carries; 45% with a tagged referral URL of the example campaign's
posts or partners, 40% with only a "how did you hear" answer, the rest with neither) is
imported into a fresh SQLite store holding the example campaign's deliveries, with
``beatpost.outcomes.import_applications`` (read, privacy filter, keyed hash, attribution,
insert). Then the same file again (idempotent: nothing changes), then
``rebuild_attribution`` over every stored row.

Printed: seconds for each step, and the process's peak resident set before the import,
after it and at the end.

    .venv/bin/python bench/outcomes.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import machine, print_table

from beatpost.outcomes import import_applications, rebuild_attribution
from beatpost.validation import validation_options
from beatpost.workspace import create_workspace
from campaigns import load_campaigns
from config import Settings
from store import make_engine, sync_plans, upgrade

ANSWERS = (
    "Instagram",
    "IG",
    "Facebook",
    "saw it on FB",
    "Twitter",
    "a flyer at Springfield High",
    "Springfield Community College career fair",
    "a friend",
    "Indeed",
    "my uncle is an officer",
    "radio ad",
    "@SpringfieldHS on insta",
)
HEADERS = (
    "Application ID",
    "Person ID",
    "First Name",
    "Last Name",
    "Email Address",
    "Primary Phone",
    "Address 1",
    "City",
    "State",
    "Zip",
    "Job Title",
    "Application Date",
    "Status",
    "Referral Source",
    "Referral URL",
)


def write_export(path: Path, rows: int, posts: list[tuple[str, str, str]], seed: int) -> None:
    rng = random.Random(seed)
    start = date(2027, 1, 4)
    sources = ("springfield-high", "springfield-cc")
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for n in range(rows):
            roll = rng.random()
            url = answer = ""
            if roll < 0.45:
                platform, campaign, post = rng.choice(posts)
                source = rng.choice(sources) if rng.random() < 0.1 else platform
                url = (
                    f"https://springfieldpd.example.org/careers?utm_source={source}"
                    f"&utm_medium=social&utm_campaign={campaign}&utm_content={post}"
                )
            elif roll < 0.85:
                answer = rng.choice(ANSWERS)
            status = rng.choices(("Received", "Passed Written Exam", "Hired"), (80, 17, 3))[0]
            day = start + timedelta(days=rng.randrange(364))
            out.writerow(
                (
                    f"A-{n:07d}",
                    10_000_000 + n,
                    f"First{n}",
                    f"Last{n}",
                    f"applicant{n}@example.test",
                    f"555-{n % 10_000:04d}",
                    f"{n} Main St",
                    "Springfield",
                    "IL",
                    "62701",
                    "Police Officer Recruit",
                    f"{day:%m/%d/%Y}",
                    status,
                    answer,
                    url,
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="beatpost-bench-outcomes-"))
    try:
        create_workspace(folder, force=True)  # the example campaign, as `beatpost init`
        settings = Settings(workspace=folder)
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        now = datetime(2027, 1, 1, tzinfo=UTC)
        found = load_campaigns([settings.campaigns_path], validation_options(settings, None))
        plans = found.deliveries()
        if not plans:
            raise SystemExit(f"the example campaign plans nothing: {found.errors}")
        sync_plans(
            engine, plans, valid_files=[str(settings.campaigns_path)], now=now, actor="bench"
        )
        posts = sorted({(p.platform, p.campaign_id, p.post_id) for p in plans})
        export = folder / "applicants.csv"
        write_export(export, args.rows, posts, args.seed)
        size_mb = export.stat().st_size / 2**20

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        first = import_applications(settings, engine, export, None)
        t_import = time.perf_counter() - t0
        rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        again = import_applications(settings, engine, export, None)
        t_again = time.perf_counter() - t0
        t0 = time.perf_counter()
        changed = rebuild_attribution(settings, engine)
        t_rebuild = time.perf_counter() - t0
        engine.dispose()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        print(
            f"Outcomes import: {args.rows:,} rows ({size_mb:.1f} MB NEOGOV-shaped CSV), "
            f"{len(posts)} tagged posts, SQLite"
        )
        print(machine())
        print_table(
            [
                (
                    "import (read, hash, attribute, insert)",
                    f"{t_import:.2f} s",
                    f"{first.counts.added:,} added, {first.attributed:,} attributed",
                ),
                (
                    "re-import of the same file",
                    f"{t_again:.2f} s",
                    f"{again.counts.added} added, {again.counts.updated} updated, "
                    f"{again.counts.unchanged:,} unchanged",
                ),
                (
                    "rebuild attribution (all rows)",
                    f"{t_rebuild:.2f} s",
                    f"{changed[0]} applications changed",
                ),
            ],
            ("step", "time", "result"),
        )
        print(
            f"peak resident set: {rss_before:.0f} MiB before the import, {rss_import:.0f} MiB "
            f"after it, {rss:.0f} MiB at the end"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
