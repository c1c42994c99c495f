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
    for i, block in enumerate(full):
        path = tmp_path / f"doc-{i}.yaml"
        path.write_text(block, encoding="utf-8")
        cs = load_campaigns([path], options())
        problems = [d.message for d in cs.errors + cs.warnings
                    if "file not found" not in d.message]
        assert problems == [], block


def test_post_snippets_parse_as_posts(load_text):
    """Each snippet that starts with a post item is a valid post under a standard header."""
    snippets = [b for b in _yaml_blocks() if b.lstrip().startswith("- id:")]
    assert snippets
    for snippet in snippets:
        cs = load_text(snippet)
        problems = [d for d in cs.errors
                    if "file not found" not in d.message and "unknown partner" not in d.message
                    and "is not set" not in d.message and "outside" not in d.message]
        assert not [d for d in problems if "YAML" in d.message or "unknown field" in d.message], \
            (snippet, problems)


def test_every_snippet_is_valid_yaml():
    from campaigns.yamlsource import parse

    for block in _yaml_blocks():
        _node, problem = parse(block)
        assert problem is None, (block, problem)
