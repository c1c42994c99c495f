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

from campaigns.yamlerrors import explain

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
        return None, SyntaxProblem(*explain(exc, text))
    except YAMLError as exc:  # unmarked errors: rare (reader errors on control characters)
        return None, SyntaxProblem(1, 1, f"not valid YAML: {exc}")

