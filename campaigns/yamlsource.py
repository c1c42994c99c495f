"""YAML text -> a tree of ruamel.yaml nodes, each carrying its line and column.

We compose nodes and never construct Python values from them: the campaign schema decides what
each scalar means (``NO`` stays a word, ``12:00`` stays a time of day, ``2027-03-01`` becomes a
date only where a date is expected). libyaml's parser (``ruamel.yaml.clib``) is used when it is
installed, which makes reading about twenty times faster; the pure-Python parser produces the same
nodes otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, Event, StreamEndEvent
from ruamel.yaml.nodes import Node

from campaigns.bounds import MAX_DEPTH
from campaigns.yamlerrors import explain

try:  # libyaml-based parser; optional
    from ruamel.yaml.cyaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - depends on the platform's wheels
    _CLoader = None

_pure = YAML(typ="safe", pure=True)

_STANDARD_TAG = "tag:yaml.org,2002:"
# Explicit tags a campaign file may carry: the plain types of the format (``!!str 2027``).
PLAIN_TAGS = frozenset(
    _STANDARD_TAG + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


@dataclass(frozen=True)
class SyntaxProblem:
    """Why the text is not YAML, at a 1-based line and column."""

    line: int
    column: int
    message: str


def compose(text: str) -> Node | None:
    """Compose ``text`` into a node tree (None for an empty document). Raises YAMLError."""
    if _CLoader is not None:
        loader = _CLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    return _pure.compose(text)


def _events(text: str) -> Iterator[Event]:
    """The parser's events for ``text``. libyaml's parser keeps its own stack (no recursion),
    so any nesting is safe to scan; composing nodes recurses and is not."""
    if _CLoader is None:
        yield from _pure.parse(text)
        return
    loader = _CLoader(text)
    try:
        while True:
            event = loader.get_event()
            yield event
            if isinstance(event, StreamEndEvent):
                return
    finally:
        loader.dispose()


def prescan(text: str) -> SyntaxProblem | None:
    """The first nesting deeper than ``MAX_DEPTH`` or tag outside ``PLAIN_TAGS``; the scan stops
    there, so it is cheap however deep the text goes. Raises YAMLError for a syntax error."""
    depth = 0
    for event in _events(text):
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in PLAIN_TAGS:
            mark = event.start_mark
            written = str(tag).replace(_STANDARD_TAG, "!!", 1)
            written = written if len(written) <= 40 else written[:37] + "..."
            return SyntaxProblem(
                mark.line + 1,
                mark.column + 1,
                f"YAML tags like {written!r} are not allowed in campaign "
                "files; write the plain value (put text that starts with ! "
                "in quotes)",
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return SyntaxProblem(
                    mark.line + 1,
                    mark.column + 1,
                    f"lists and fields are nested more than {MAX_DEPTH} levels "
                    "deep here; a campaign file needs about ten (check the "
                    "brackets and the indentation)",
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return None


def parse(text: str) -> tuple[Node | None, SyntaxProblem | None]:
    """Compose ``text``; on failure return where and why in words a PIO can act on.

    The text is scanned first (``prescan``): composing recurses once per level of nesting and
    would crash the process on a file of thousands of nested brackets."""
    try:
        try:
            problem = prescan(text)
        except MarkedYAMLError:
            # The scan stopped at a syntax error, every level above it within MAX_DEPTH, so
            # composing is safe up to there; the composer can fail earlier (an undefined
            # alias) and its error is the one to explain.
            compose(text)
            raise
        if problem is not None:
            return None, problem
        return compose(text), None
    except MarkedYAMLError as exc:
        return None, SyntaxProblem(*explain(exc, text))
    except YAMLError as exc:  # unmarked errors: rare (reader errors on control characters)
        return None, SyntaxProblem(1, 1, f"not valid YAML: {exc}")
