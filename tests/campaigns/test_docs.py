"""The examples in docs/campaign-format.md are valid campaign YAML."""

from __future__ import annotations

import re

from campaigns import load_campaigns
from tests.campaigns.conftest import REPO, options

DOC = REPO / "docs" / "campaign-format.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_full_examples_validate_except_for_their_missing_images(tmp_path):
    full = [block for block in _yaml_blocks() if block.startswith("version: 1")]
    assert full, "the format reference should show a whole campaign"
    (tmp_path / "campaigns").mkdir()
    for i, block in enumerate(full):
        path = tmp_path / "campaigns" / f"doc-{i}.yaml"  # images in ../media, as in a workspace
        path.write_text(block, encoding="utf-8")
        cs = load_campaigns([path], options(media_root=tmp_path / "media"))
        problems = [d.message for d in cs.errors + cs.warnings if "file not found" not in d.message]
        assert problems == [], block


def test_post_snippets_parse_as_posts(load_text):
    """Each snippet that starts with a post item is a valid post under a standard header."""
    snippets = [b for b in _yaml_blocks() if b.lstrip().startswith("- id:")]
    assert snippets
    for snippet in snippets:
        cs = load_text(snippet)
        problems = [
            d
            for d in cs.errors
            if "file not found" not in d.message
            and "unknown partner" not in d.message
            and "is not set" not in d.message
            and "outside" not in d.message
        ]
        assert not [d for d in problems if "YAML" in d.message or "unknown field" in d.message], (
            snippet,
            problems,
        )


def test_every_snippet_is_valid_yaml():
    from campaigns.yamlsource import parse

    for block in _yaml_blocks():
        _node, problem = parse(block)
        assert problem is None, (block, problem)


def test_limits_section_states_every_bound():
    from campaigns import bounds

    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Limits") : text.index("## `plan`")]
    values = [
        f"{bounds.MAX_FILE_BYTES // (1024 * 1024)} MB",
        f"{bounds.MAX_DEPTH} levels",
        f"{bounds.MAX_POSTS:,}",
        f"{bounds.MAX_DELIVERIES:,}",
        f"{bounds.MIN_YEAR} to {bounds.MAX_YEAR}",
        f"{bounds.MAX_REMINDER_DAYS} days",
        f"| {bounds.MAX_FORMAT_WIDTH} |",
        f"{bounds.MAX_IMAGE_SIDE:,} pixels",
        f"{bounds.MAX_IMAGE_PIXELS // 1_000_000} megapixels",
        f"| {bounds.MAX_IMAGE_FRAMES} |",
        f"| {options().max_occurrences_per_post:,} |",
    ]
    assert [v for v in values if v not in section] == []
