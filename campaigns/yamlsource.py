"""YAML text -> a tree of ruamel.yaml nodes, each carrying its line and column.

We compose nodes and never construct Python values from them: the campaign schema decides what
each scalar means (``NO`` stays a word, ``12:00`` stays a time of day, ``2027-03-01`` becomes a
date only where a date is expected). libyaml's parser (``ruamel.yaml.clib``) is used when it is
installed, which makes reading about twenty times faster; the pure-Python parser produces the same
nodes otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import Node

try:  # libyaml-based parser; optional
    from ruamel.yaml.cyaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - depends on the platform's wheels
    _CLoader = None

_pure = YAML(typ="safe", pure=True)


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


def parse(text: str) -> tuple[Node | None, SyntaxProblem | None]:
    """Compose ``text``; on failure return where and why in words a PIO can act on."""
    try:
        return compose(text), None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return None, SyntaxProblem(line, column, _explain(exc, text, mark))
    except YAMLError as exc:  # unmarked errors: rare (reader errors on control characters)
        return None, SyntaxProblem(1, 1, f"not valid YAML: {exc}")


def _char_at(text: str, mark) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _explain(exc: MarkedYAMLError, text: str, mark) -> str:
    problem = (exc.problem or "").strip()
    char = _char_at(text, mark)
    if "cannot start any token" in problem:
        if char == "\t":
            return "YAML cannot be indented with tabs; use spaces"
        if char == "@":
            return (
                "a YAML value cannot start with @; write the handle without it "
                "(SpringfieldHS) or in quotes (\"@SpringfieldHS\")"
            )
        if char == "`":
            return "a YAML value cannot start with a backtick; put the text in quotes"
        return f"a YAML value cannot start with {char!r}; put the text in quotes"
    if "another document" in problem:
        return "one campaign per file: remove the second '---' document marker"
    if "mapping values are not allowed" in problem:
        return (
            "unexpected ':' here; check the indentation, or put text that contains ': ' "
            "in quotes"
        )
    if "could not find expected ':'" in problem or "expected ':'" in problem:
        return "expected 'key: value' here; check the indentation and quotes above"
    context = (exc.context or "").strip()
    detail = problem or context or "syntax error"
    if context and problem:
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            context += f" started on line {started.line + 1}"
        detail = f"{problem} ({context})"
    return f"not valid YAML: {detail}"
