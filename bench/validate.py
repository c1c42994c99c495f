"""Benchmark: validate and plan 200 generated campaign files (about 10,000 deliveries).

Prints the time for ``load_campaigns`` + ``deliveries()`` and its ratio to the floor: merely
reading and parsing the same files with PyYAML's C loader (``yaml.CSafeLoader``).

    .venv/bin/python bench/validate.py [--files 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from PIL import Image

from campaigns import ValidationOptions, load_campaigns, yamlsource
from connectors.limits import LIMITS

TEMPLATE = """\
version: 1
campaign:
  id: bench-{n:03d}
  name: Bench campaign {n}
  timezone: {zone}
  window: {{start: 2027-03-01, end: 2027-05-31}}
  platforms: [x, facebook, instagram]
  approved_by: Lt. Bench
partners:
  school-{n:03d}:
    name: Springfield High School {n}
    link: https://school{n}.example.org
    handles: {{x: School{n:03d}, instagram: school.{n:03d}}}
defaults:
  hashtags: [JoinSPD, SpringfieldPD]
  link: https://springfieldpd.example.org/careers
posts:
  - id: weekly-{n:03d}
    kind: announcement
    repeat:
      rule: FREQ=WEEKLY;BYDAY={day};UNTIL=20270531
      time: "12:00"
    text: >
      Questions about applying to Springfield PD? Ask them here: a recruiter answers
      every comment today.
    media:
      - file: ../media/poster.jpg
        alt: Poster reading "Questions about applying? Ask us here."
  - id: testimonial-{n:03d}
    kind: testimonial
    officer: {{name: Officer {n}, rank: Officer, years: {years}}}
    quote: I grew up four blocks from the station I work out of now.
    consent_expires: 2028-01-01
    at: 2027-03-{day_of_month:02d} 10:00
    media:
      - file: ../media/portrait.jpg
        alt: Portrait of Officer {n} in uniform.
  - id: fair-{n:03d}
    kind: event
    partner: school-{n:03d}
    event:
      name: Career Fair {n}
      starts: 2027-04-{day_of_month:02d} 10:00
      ends: 2027-04-{day_of_month:02d} 14:00
      location: Springfield High School gym
    at: 2027-03-{day_of_month:02d} 12:00
    text: >
      Meet our officers at the {{event.name}} with {{partner}},
      {{event.starts:%A, %B %-d at %-I %p}}.
    reminders: [-7d, -1d]
    media:
      - file: ../media/poster.jpg
        alt: Career fair poster.
"""
ZONES = [
    "America/Chicago",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
]
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def generate(root: Path, count: int) -> list[Path]:
    media = root / "media"
    media.mkdir()
    Image.new("RGB", (800, 800), (20, 40, 80)).save(media / "poster.jpg", quality=80)
    Image.new("RGB", (800, 1000), (200, 180, 160)).save(media / "portrait.jpg", quality=80)
    folder = root / "campaigns"
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"campaign-{n:03d}.yaml"
        path.write_text(
            TEMPLATE.format(
                n=n,
                zone=ZONES[n % len(ZONES)],
                day=DAYS[n % 5],
                years=1 + n % 20,
                day_of_month=2 + n % 25,
            )
        )
        paths.append(path)
    return paths


def _clear_caches() -> None:
    from campaigns import compose, counting, media, timing

    counting.measure.cache_clear()
    compose.tag_link.cache_clear()
    timing._compiled.cache_clear()
    media._cache.clear()


def best_of(repeat: int, func) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.files)
        opts = ValidationOptions(limits=LIMITS, media_root=Path(tmp) / "media")
        folder = paths[0].parent

        def floor():
            return [yaml.load(p.read_text(), Loader=yaml.CSafeLoader) for p in paths]

        def validate_and_plan():
            _clear_caches()  # every run starts cold, as a fresh `beatpost validate` does
            cs = load_campaigns([folder], opts)
            return cs, cs.deliveries()

        floor_time, _ = best_of(args.repeat, floor)
        run_time, (cs, deliveries) = best_of(args.repeat, validate_and_plan)
    if cs.errors:
        raise SystemExit(f"generated files have errors: {cs.errors[:3]}")
    parser_name = "libyaml (ruamel.yaml.clib)" if yamlsource._CLoader else "pure Python"
    print(f"files:                {cs.file_count}")
    print(f"deliveries:           {len(deliveries)}")
    print(f"YAML parser:          {parser_name}")
    print(
        f"validate + plan:      {run_time * 1000:8.1f} ms "
        f"({run_time / cs.file_count * 1000:.2f} ms per file)"
    )
    print(f"PyYAML C parse floor: {floor_time * 1000:8.1f} ms")
    print(f"ratio to floor:       {run_time / floor_time:8.1f}x")


if __name__ == "__main__":
    main()
