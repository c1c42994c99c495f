"""Typed reading of YAML nodes, collecting every problem as a Diagnostic with its location.

Each ``Reader`` serves one file. Its methods never raise for bad input: they record a
diagnostic and return None, so one run reports every problem in the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from campaigns.bounds import MAX_YEAR, MIN_YEAR
from campaigns.types import Diagnostic, Severity
from campaigns.urls import url_problem

_STANDARD_TAG = "tag:yaml.org,2002:"
_NULL_TAG = "tag:yaml.org,2002:null"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_WALL_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_COMMENT_RE = re.compile(r"^\s+#")
_OFFSET_SUFFIX_RE = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a campaign file: 1-based line and column, and the field path."""

    line: int
    column: int
    path: str

    def child(self, node: Node, name: str | int) -> Where:
        return at(node, join(self.path, name))


def join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def at(node: Node, path: str) -> Where:
    mark = node.start_mark
    return Where(mark.line + 1, mark.column + 1, path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return f"; did you mean {lowered[word.lower()]!r}?"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def describe(node: Node) -> str:
    """What the PIO wrote, in words, for 'expected X, found Y' messages."""
    if isinstance(node, MappingNode):
        return "a set of fields"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return repr(value)


class Reader:
    """Reads nodes of one file; collects diagnostics instead of raising."""

    def __init__(self, file: str, source: str = ""):
        self.file = file
        self._lines = source.splitlines()
        self.diagnostics: list[Diagnostic] = []
        self._placed: set[int] = set()
        self._reported: set[Diagnostic] = set()

    def set_source(self, source: str) -> None:
        """The file's text, for checks that need to see past the YAML nodes (comments)."""
        self._lines = source.splitlines()

    def source_line(self, line: int) -> str:
        """The text of 1-based ``line`` ('' past the end), for hints about YAML comments."""
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    # -- diagnostics ---------------------------------------------------------------------
    def report(self, where: Where, message: str, severity: Severity = "error") -> None:
        diagnostic = Diagnostic(self.file, where.line, where.column, where.path, message, severity)
        if diagnostic not in self._reported:  # one text rendered for three platforms: one report
            self._reported.add(diagnostic)
            self.diagnostics.append(diagnostic)

    def error(self, where: Where, message: str) -> None:
        self.report(where, message, "error")

    def warning(self, where: Where, message: str) -> None:
        self.report(where, message, "warning")

    def note(self, where: Where, message: str) -> None:
        self.report(where, message, "note")

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    # -- structure -----------------------------------------------------------------------
    @staticmethod
    def _place(key_node: Node, value_node: Node, path: str) -> Where:
        """Where a field's value is: the value itself for a scalar; for a list or a block of
        fields, the key line (problems with the whole block are best shown at its name)."""
        return at(value_node if isinstance(value_node, ScalarNode) else key_node, path)

    def _aliased(self, node: Node, where: Where) -> bool:
        """An alias (``*name``) places one node in two spots; report it where it is reused."""
        key = id(node)
        if key in self._placed:
            self.error(
                where,
                "YAML anchors and aliases (&name, *name) are not supported here; "
                "write the value out (defaults: covers shared hashtags and links)",
            )
            return True
        self._placed.add(key)
        return False

    def _plain_tag(self, node: Node, where: Where) -> bool:
        """False (with a diagnostic) for nodes carrying a YAML tag such as ``!!python/...``."""
        if node.tag and not node.tag.startswith(_STANDARD_TAG):
            self.error(where, f"YAML tags like {node.tag!r} are not allowed in campaign files")
            return False
        return True

    def mapping(
        self,
        node: Node,
        where: Where,
        known: Iterable[str],
        required: Iterable[str] = (),
        what: str = "",
    ) -> dict[str, tuple[Node, Where]] | None:
        """Fields of a mapping node, checking for unknown, duplicate and missing keys."""
        if not self._plain_tag(node, where):
            return None
        if not isinstance(node, MappingNode):
            label = what or where.path or "the file"
            self.error(
                where, f"{label} should be a set of 'name: value' fields, found {describe(node)}"
            )
            return None
        known = tuple(known)
        fields: dict[str, tuple[Node, Where]] = {}
        for key_node, value_node in node.value:
            key_where = at(key_node, where.path)
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                self.error(key_where, "field names must be plain words")
                continue
            key = key_node.value
            if key == "<<":
                self.error(
                    at(key_node, join(where.path, key)),
                    "YAML merge keys (<<) are not supported; use defaults: instead",
                )
                continue
            field_where = at(key_node, join(where.path, key))
            if key in fields:
                first = fields[key][1]
                self.error(field_where, f"{key!r} is given twice (first on line {first.line})")
                continue
            if key not in known:
                hint = did_you_mean(key, known)
                if not hint:
                    hint = f"; allowed here: {', '.join(known)}"
                self.error(field_where, f"unknown field {key!r}{hint}")
                continue
            if self._aliased(value_node, field_where):
                continue
            fields[key] = (value_node, self._place(key_node, value_node, join(where.path, key)))
        for key in required:
            if key not in fields:
                self.error(where, f"missing required field {key!r}")
        return fields

    def sequence(self, node: Node, where: Where, what: str = "") -> list[tuple[Node, Where]] | None:
        if not self._plain_tag(node, where):
            return None
        if not isinstance(node, SequenceNode):
            self.error(where, f"{what or where.path} should be a list, found {describe(node)}")
            return None
        out = []
        for i, item in enumerate(node.value):
            item_where = at(item, join(where.path, i))
            if not self._aliased(item, item_where):
                out.append((item, item_where))
        return out

    def items(self, node: Node, where: Where) -> Iterator[tuple[str, Node, Where, Where]]:
        """Entries of a mapping whose keys are free-form (ids): (key, value, key_at, value_at)."""
        if not self._plain_tag(node, where):
            return
        if not isinstance(node, MappingNode):
            self.error(
                where,
                f"{where.path} should be a set of 'name: value' entries, found {describe(node)}",
            )
            return
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                self.error(at(key_node, where.path), "names must be plain words")
                continue
            key = key_node.value
            key_where = at(key_node, join(where.path, key))
            if key in seen:
                self.error(key_where, f"{key!r} is given twice (first on line {seen[key]})")
                continue
            seen[key] = key_where.line
            if self._aliased(value_node, key_where):
                continue
            yield (
                key,
                value_node,
                key_where,
                self._place(key_node, value_node, join(where.path, key)),
            )

    # -- scalars -------------------------------------------------------------------------
    def scalar(self, node: Node, where: Where, what: str) -> str | None:
        """The raw text of a scalar; None (with a diagnostic) for lists, maps and nulls."""
        if not self._plain_tag(node, where):
            return None
        if not isinstance(node, ScalarNode):
            hint = ""
            if getattr(node, "flow_style", False):  # text: {event.name}, text: [Update]
                hint = (
                    "; a value that starts with { or [ is read as YAML: put text in quotes "
                    '("{event.name} is on Saturday")'
                )
            self.error(where, f"expected {what}, found {describe(node)}{hint}")
            return None
        if node.tag == _NULL_TAG and not node.style:
            self.error(where, f"expected {what}, found nothing")
            return None
        return node.value

    def text(self, node: Node, where: Where, what: str = "text") -> str | None:
        value = self.scalar(node, where, what)
        if value is None:
            return None
        self._check_trailing_comment(node, where)
        if not value.strip():
            self.error(where, f"{what} is empty")
            return None
        return value

    def _check_trailing_comment(self, node: Node, where: Where) -> None:
        """``text: Join us #JoinSPD`` posts 'Join us': in YAML, ' #' starts a comment."""
        if node.style or not self._lines:  # quoted and block scalars keep their '#'
            return
        end = node.end_mark
        if end is None or end.line >= len(self._lines):
            return
        rest = self._lines[end.line][end.column :]
        if _COMMENT_RE.match(rest):
            column = end.column + len(rest) - len(rest.lstrip()) + 1
            self.warning(
                Where(end.line + 1, column, where.path),
                "everything from ' #' to the end of this line is a YAML comment, not "
                "part of the text; put the text in quotes to keep hashtags in it",
            )

    def optional_text(self, node: Node, where: Where) -> str | None:
        """Text that may be deliberately empty (``signature: ""``); returns '' then."""
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG and not node.style:
            if self._plain_tag(node, where):
                return ""
            return None
        value = self.scalar(node, where, "text")
        if value is not None:
            self._check_trailing_comment(node, where)
        return value

    def identifier(self, node: Node, where: Where, what: str = "an id") -> str | None:
        value = self.scalar(node, where, what)
        if value is None:
            return None
        return value if self.valid_id(value, where, what) else None

    def valid_id(self, value: str, where: Where, what: str) -> bool:
        if ID_RE.match(value):
            return True
        self.error(
            where,
            f"{value!r} is not valid as {what}: use lower-case letters, digits, "
            "'-' and '_' (at most 64), e.g. career-fair-2027",
        )
        return False

    def integer(self, node: Node, where: Where, what: str, minimum: int = 0) -> int | None:
        value = self.scalar(node, where, what)
        if value is None:
            return None
        try:
            number = int(value.strip())
        except ValueError:
            self.error(where, f"expected {what} (a whole number), found {value!r}")
            return None
        if number < minimum:
            self.error(where, f"{what} must be at least {minimum}, found {number}")
            return None
        return number

    def boolean(self, node: Node, where: Where) -> bool | None:
        value = self.scalar(node, where, "true or false")
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        self.error(where, f"expected true or false, found {value!r}")
        return None

    def date(self, node: Node, where: Where, what: str = "a date") -> date | None:
        value = self.scalar(node, where, f"{what} (YYYY-MM-DD)")
        if value is None:
            return None
        try:
            if len(value.strip()) != 10:
                raise ValueError
            day = date.fromisoformat(value.strip())
        except ValueError:
            self.error(where, f"expected {what} as YYYY-MM-DD, found {value!r}")
            return None
        return day if self._in_years(day, where, value) else None

    def _in_years(self, day: date, where: Where, value: str) -> bool:
        """Dates far from now are typing mistakes, and beyond year 9999 nothing can be
        computed at all: years are bounded (campaigns.bounds)."""
        if MIN_YEAR <= day.year <= MAX_YEAR:
            return True
        self.error(
            where,
            f"{value.strip()!r}: campaign dates must fall in the years {MIN_YEAR} to {MAX_YEAR}",
        )
        return False

    def wall_time(self, node: Node, where: Where, what: str = "a date and time") -> datetime | None:
        """A local wall time ``YYYY-MM-DD HH:MM`` (naive; the campaign's zone applies)."""
        value = self.scalar(node, where, f"{what} (YYYY-MM-DD HH:MM)")
        if value is None:
            return None
        raw = value.strip()
        if _OFFSET_SUFFIX_RE.search(raw) and len(raw) > 10:
            self.error(
                where,
                f"write {what} as local time without a UTC offset "
                f"(the campaign's timezone applies), found {value!r}",
            )
            return None
        match = _WALL_RE.match(raw)
        if not match:
            if len(raw) == 10:
                self.error(where, f"{what} needs a time of day too: '{raw} 10:00'")
            else:
                self.error(where, f"expected {what} as YYYY-MM-DD HH:MM (24-hour), found {value!r}")
            return None
        day, hour, minute, second = match.groups()
        try:
            wall = datetime.combine(
                date.fromisoformat(day), time(int(hour), int(minute), int(second or 0))
            )
        except ValueError as exc:
            self.error(where, f"{value!r} is not a real date and time ({exc})")
            return None
        return wall if self._in_years(wall.date(), where, value) else None

    def time_of_day(self, node: Node, where: Where) -> time | None:
        value = self.scalar(node, where, "a time of day (HH:MM)")
        if value is None:
            return None
        match = _TIME_RE.match(value.strip())
        if not match:
            self.error(
                where, f'expected a time of day as HH:MM (24-hour, e.g. "18:30"), found {value!r}'
            )
            return None
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            self.error(where, f"{value!r} is not a time of day")
            return None
        return time(hour, minute)

    def url(self, node: Node, where: Where, what: str = "a web address") -> str | None:
        value = self.scalar(node, where, f"{what} (https://...)")
        if value is None:
            return None
        raw = value.strip()
        problem = url_problem(raw)
        if problem is not None:
            shown = raw if len(raw) <= 80 else raw[:77] + "..."
            self.error(where, f"{shown!r} cannot be used as {what}: {problem}")
            return None
        return raw

    def choice(self, node: Node, where: Where, choices: Iterable[str], what: str) -> str | None:
        options = tuple(choices)
        value = self.scalar(node, where, what)
        if value is None:
            return None
        if value not in options:
            hint = did_you_mean(value, options) or f"; choose from {', '.join(options)}"
            self.error(where, f"unknown {what} {value!r}{hint}")
            return None
        return value

    def string_list(self, node: Node, where: Where, what: str) -> list[tuple[str, Where]] | None:
        """A list of words; a single word is accepted as a list of one."""
        if isinstance(node, ScalarNode) and node.tag != _NULL_TAG:
            value = self.scalar(node, where, what)
            return None if value is None else [(value, where)]
        items = self.sequence(node, where, what)
        if items is None:
            return None
        out: list[tuple[str, Where]] = []
        for item, item_where in items:
            value = self.scalar(item, item_where, what)
            if value is not None:
                out.append((value, item_where))
        return out


def lookup(fields: Mapping[str, tuple[Node, Where]] | None, key: str) -> tuple[Node, Where] | None:
    return None if fields is None else fields.get(key)


T = TypeVar("T")


def read_field(
    fields: Mapping[str, tuple[Node, Where]] | None,
    key: str,
    read: Callable[..., T],
    **options: Any,
) -> T | None:
    """``read(node, where, **options)`` of the field ``key``; None where it is not given."""
    entry = lookup(fields, key)
    return None if entry is None else read(*entry, **options)
