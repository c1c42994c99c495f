"""The partners named in campaign files, for attributing what they bring back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from campaigns.loader import _guarded, _read_file, find_files
from campaigns.options import ValidationOptions
from campaigns.reader import Reader


@dataclass(frozen=True)
class PartnerEntry:
    campaign_id: str
    partner_id: str
    name: str
    handles: tuple[str, ...]  # without '@', any platform


def campaign_partners(paths: Sequence[Path | str], opts: ValidationOptions) -> list[PartnerEntry]:
    """Every partner of every readable campaign file under ``paths`` (files with errors too:
    a partner's name is still its name)."""
    files, _ = find_files(Path(p) for p in paths)
    found: list[PartnerEntry] = []
    for file in files:
        reader = Reader(str(file))
        campaign = _guarded(reader, _read_file, file, reader, opts)
        if campaign is None:
            continue
        for pid, partner in campaign.partners.items():
            found.append(
                PartnerEntry(campaign.id, pid, partner.name, tuple(partner.handles.values()))
            )
    return found
