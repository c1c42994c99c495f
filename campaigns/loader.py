"""Load campaign files and directories into a CampaignSet: diagnostics and deliveries."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from campaigns.bounds import MAX_FILE_BYTES, size_words
from campaigns.model import Campaign
from campaigns.options import ValidationOptions
from campaigns.planner import plan_campaign
from campaigns.reader import Reader, Where
from campaigns.schema import read_campaign
from campaigns.types import CampaignInfo, DeliveryPlan, Diagnostic, PartnerInfo
from campaigns.yamlsource import parse

SUFFIXES = (".yaml", ".yml")
#: A folder of this name directly inside a searched folder holds example campaigns: they are
#: not read (so never posted) unless moved out of it or named themselves (``validate
#: campaigns/examples``).
EXAMPLES_FOLDER = "examples"

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class FileResult:
    path: str
    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    campaign_id: str | None = None
    is_file: bool = True  # False for a named path that is missing or holds no campaign files


@dataclass
class CampaignSet:
    """What a set of campaign files says: per-file results and the planned deliveries."""

    files: list[FileResult]
    _deliveries: dict[str, list[DeliveryPlan]] = field(default_factory=dict, repr=False)
    _campaigns: dict[str, CampaignInfo] = field(default_factory=dict, repr=False)

    @property
    def campaigns(self) -> dict[str, CampaignInfo]:
        """The campaigns of the files without errors, by campaign id."""
        ok = {result.path for result in self.files if result.ok}
        return {cid: info for cid, info in self._campaigns.items() if info.file in ok}

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "note"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_count(self) -> int:
        """How many campaign files were read."""
        return sum(1 for f in self.files if f.is_file)

    def deliveries(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[DeliveryPlan]:
        """Deliveries of the files without errors, with ``start <= at_utc < end``, sorted by
        time then key."""
        for bound in (start, end):
            if bound is not None and bound.tzinfo is None:
                raise ValueError("deliveries() needs aware datetimes")
        out = [
            d
            for result in self.files
            if result.ok
            for d in self._deliveries.get(result.path, ())
            if (start is None or d.at_utc >= start) and (end is None or d.at_utc < end)
        ]
        out.sort(key=lambda d: (d.at_utc, d.key))
        return out


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Campaign files named by ``paths`` (directories searched recursively), in a stable order.

    A directory's ``examples/`` folder is skipped, with a warning saying so."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            examples = [p for p in found if p.relative_to(path).parts[0] == EXAMPLES_FOLDER]
            if examples:
                found = [p for p in found if p not in examples]
                folder = path / EXAMPLES_FOLDER
                problems.append(
                    Diagnostic(
                        str(folder),
                        1,
                        1,
                        "",
                        f"{_examples(len(examples))} not read, so never posted: move one "
                        f"into {path} to use it; `beatpost validate {folder}` checks them",
                        "warning",
                    )
                )
            if not found and not examples:
                problems.append(
                    Diagnostic(
                        str(path),
                        1,
                        1,
                        "",
                        "no campaign files (*.yaml, *.yml) in this folder",
                        "warning",
                    )
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Diagnostic(str(path), 1, 1, "", "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_campaigns(paths: Sequence[Path | str], opts: ValidationOptions) -> CampaignSet:
    """Read, check and plan every campaign file under ``paths``. Never raises for bad input."""
    files, problems = find_files(Path(p) for p in paths)
    results: list[FileResult] = []
    deliveries: dict[str, list[DeliveryPlan]] = {}
    campaigns: list[tuple[Campaign, Reader]] = []
    for problem in problems:
        results.append(
            FileResult(problem.file, problem.severity != "error", [problem], is_file=False)
        )
    readers: dict[str, Reader] = {}
    for file in files:
        reader = Reader(str(file))
        readers[str(file)] = reader
        campaign = _guarded(reader, _read_file, file, reader, opts)
        if campaign is not None:
            campaigns.append((campaign, reader))
    _check_unique_ids(campaigns)
    for campaign, reader in campaigns:
        # Planned even with errors, to report every problem at once; deliveries() only
        # returns those of files without errors.
        deliveries[reader.file] = _guarded(reader, plan_campaign, campaign, reader, opts) or []
    for file in files:
        reader = readers[str(file)]
        diagnostics = sorted(reader.diagnostics, key=lambda d: (d.line, d.column, d.path))
        campaign_id = next((c.id for c, r in campaigns if r is reader), None)
        results.append(FileResult(reader.file, not reader.has_errors, diagnostics, campaign_id))
    infos = {c.id: _info(c) for c, _reader in campaigns if c.id}
    return CampaignSet(results, deliveries, infos)


def _info(campaign: Campaign) -> CampaignInfo:
    """The campaign's ``CampaignInfo``: its partners and boosts converted, every other field of
    ``CampaignInfo`` the campaign's own of that name."""
    cost = campaign.cost
    converted = {
        "partners": {
            pid: PartnerInfo(p.id, p.name, p.link) for pid, p in campaign.partners.items()
        },
        "boosts_usd": cost.boosts_usd if cost else Decimal(0),
        "platform_boosts_usd": dict(cost.platforms_usd) if cost else {},
    }
    as_is = {
        f.name: getattr(campaign, f.name) for f in fields(CampaignInfo) if f.name not in converted
    }
    return CampaignInfo(**as_is, **converted)


def _guarded(reader: Reader, step: Callable[..., T], *args: object) -> T | None:
    """``step(*args)``, with anything it raises turned into the file's own error: one file,
    however hostile, never stops the others from being read, planned and posted."""
    try:
        return step(*args)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, reported as a diagnostic
        log.debug("checking %s failed", reader.file, exc_info=True)
        what = {MemoryError: "it needs too much memory", RecursionError: "it is nested too deeply"}
        why = what.get(type(exc), f"{type(exc).__name__}: {str(exc)[:200]}")
        reader.error(
            Where(1, 1, ""),
            f"beatpost could not check this file ({why}); undo the "
            "last change, or simplify the part it touched",
        )
        return None


def _read_file(file: Path, reader: Reader, opts: ValidationOptions) -> Campaign | None:
    start = Where(1, 1, "")
    too_big = (
        f"a campaign file may be at most {size_words(MAX_FILE_BYTES)}; split it into "
        "several campaigns"
    )
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            reader.error(start, f"the file is {size_words(size)}; {too_big}")
            return None
        with file.open("rb") as stream:  # read no more than the limit, even if it grows
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reader.error(start, f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        reader.error(start, f"the file is over {size_words(MAX_FILE_BYTES)}; {too_big}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reader.error(Where(line, 1, ""), "the file is not UTF-8 text; save it as UTF-8")
        return None
    reader.set_source(text)
    root, problem = parse(text)
    if problem is not None:
        reader.error(Where(problem.line, problem.column, ""), problem.message)
        return None
    return read_campaign(
        root, reader, file.resolve(), tuple(opts.limits), opts.default_timezone, opts.media_root
    )


def _check_unique_ids(campaigns: list[tuple[Campaign, Reader]]) -> None:
    """Campaign ids and post ids are unique across all files: they make the delivery keys."""
    campaign_ids: dict[str, tuple[str, int]] = {}
    post_ids: dict[str, tuple[str, int]] = {}
    for campaign, reader in campaigns:
        if not campaign.id:
            continue  # an invalid id, already reported
        if campaign.id in campaign_ids:
            file, line = campaign_ids[campaign.id]
            reader.error(
                campaign.id_where, f"campaign id {campaign.id!r} is already used by {file}:{line}"
            )
        else:
            campaign_ids[campaign.id] = (campaign.file, campaign.id_where.line)
        for post in campaign.posts:
            if post.id in post_ids and post_ids[post.id][0] != campaign.file:
                file, line = post_ids[post.id]
                reader.error(post.id_where, f"post id {post.id!r} is already used by {file}:{line}")
            else:
                post_ids.setdefault(post.id, (campaign.file, post.id_where.line))


def _examples(n: int) -> str:
    return "1 example campaign file here is" if n == 1 else f"{n} example campaign files here are"
