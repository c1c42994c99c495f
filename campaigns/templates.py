"""Post text templates: Python ``str.format`` syntax over declared fields only.

``{event.name}``, ``{event.starts:%A, %B %-d}``, ``{partner}``, ``{partners[springfield-high]}``,
``{link}``. A template is compiled once into literal and field parts; rendering walks plain
dicts of declared fields and never calls ``getattr``, so a template cannot reach anything the
campaign format does not declare.
"""

from __future__ import annotations

import re
from _string import formatter_field_name_split  # the parser str.format itself uses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from string import Formatter

from campaigns.bounds import MAX_FORMAT_WIDTH
from campaigns.reader import did_you_mean

_formatter = Formatter()
# The standard format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_STANDARD_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?"
    r"(?:\.(?P<precision>\d*))?[a-zA-Z%]?",
    re.DOTALL,
)


class TemplateError(ValueError):
    """A template cannot be compiled or rendered; the message is meant for a PIO."""


@dataclass(frozen=True, slots=True)
class FieldRef:
    path: tuple[str, ...]  # ("event", "starts"), ("partners", "springfield-high")
    spec: str

    @property
    def name(self) -> str:
        head, *rest = self.path
        if head == "partners" and rest:
            return f"partners[{rest[0]}]" + "".join(f".{p}" for p in rest[1:])
        return ".".join(self.path)


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[str | FieldRef, ...]

    @property
    def fields(self) -> tuple[FieldRef, ...]:
        return tuple(p for p in self.parts if isinstance(p, FieldRef))

    def uses(self, head: str) -> bool:
        return any(f.path[0] == head for f in self.fields)


def compile_template(source: str) -> Template:
    """Compile ``source``; raises TemplateError with a message a PIO can act on."""
    parts: list[str | FieldRef] = []
    try:
        parsed = list(_formatter.parse(source))
    except ValueError as exc:
        raise TemplateError(
            f"{exc}; write {{{{ or }}}} for a literal brace, or {{field}} for a value"
        ) from None
    for literal, field_name, spec, conversion in parsed:
        if literal:
            parts.append(literal)
        if field_name is None:
            continue
        if conversion:
            raise TemplateError(
                f"{{{field_name}!{conversion}}}: conversions (!r, !s) are not "
                "supported; write {" + field_name + "}"
            )
        if spec and "{" in spec:
            raise TemplateError(
                f"{{{field_name}:{spec}}}: fields inside a format are not supported"
            )
        _check_width(field_name, spec or "")
        parts.append(FieldRef(_split(field_name), spec or ""))
    return Template(source, tuple(parts))


def _check_width(field_name: str, spec: str) -> None:
    """``{campaign.name:>99999999999}`` would ask for gigabytes of padding."""
    match = _STANDARD_SPEC.fullmatch(spec)
    if match is None:
        return  # not a padding spec (a date format such as %A, %B %-d)
    for part in ("width", "precision"):
        digits = match.group(part) or ""
        if len(digits) > 6 or (digits and int(digits) > MAX_FORMAT_WIDTH):
            raise TemplateError(
                f"{{{field_name}:{spec[:20]}}}: the {part} in a format can be "
                f"at most {MAX_FORMAT_WIDTH}"
            )


def _split(field_name: str) -> tuple[str, ...]:
    if not field_name.strip():
        raise TemplateError(
            "empty {} in the text: name a field, like {event.name} or {link}; "
            "write {{ and }} for literal braces"
        )
    try:
        head, rest = formatter_field_name_split(field_name)
        path = [head]
        for _is_attr, key in rest:
            path.append(str(key))
    except ValueError as exc:
        raise TemplateError(f"{{{field_name}}}: {exc}") from None
    if isinstance(head, int) or not all(re.fullmatch(r"[\w-]+", str(p)) for p in path):
        raise TemplateError(
            f"{{{field_name}}} is not a field name; use names like "
            "{event.name} or {partner.name}"
        )
    return tuple(str(p) for p in path)


# -- values --------------------------------------------------------------------------------


class LocalTime:
    """A local date-time for templates: ``{event.starts:%A, %B %-d}``.

    ``%-d``, ``%-I``, ``%-m``, ``%-H``, ``%-M`` (no leading zero) work on every platform; an
    empty format gives 'Saturday, March 20 at 10:00 AM'.
    """

    __slots__ = ("value",)
    DEFAULT = "%A, %B %-d at %-I:%M %p"

    def __init__(self, value: datetime):
        self.value = value

    def __format__(self, spec: str) -> str:
        def unpadded(match: re.Match[str]) -> str:
            if match.group(1) is None:
                return "%%"
            return str(int(self.value.strftime("%" + match.group(1)))).replace("%", "%%")

        return self.value.strftime(_NO_PAD.sub(unpadded, spec or self.DEFAULT))

    def __str__(self) -> str:
        return format(self, "")


_NO_PAD = re.compile(r"%%|%-([dmHIMSjy])")


class Namespace:
    """A declared group of fields (``event``, ``officer``). ``own`` is what ``{partner}`` alone
    renders as; None means the group must be followed by a field name."""

    __slots__ = ("fields", "own", "label")

    def __init__(self, label: str, fields: Mapping[str, object], own: object | None = None):
        self.label = label
        self.fields = fields
        self.own = own


Unset = object()  # declared for this post kind but not given in the file


def render(template: Template, values: Mapping[str, object]) -> str:
    """Render ``template`` against declared ``values``; raises TemplateError for the first
    undefined or empty field or bad format (``problems`` lists them all)."""
    out: list[str] = []
    for part in template.parts:
        out.append(part if isinstance(part, str) else _format(part, values))
    return "".join(out)


def problems(template: Template, values: Mapping[str, object]) -> list[str]:
    """Every reason ``template`` cannot be rendered against ``values``, one per field."""
    found: list[str] = []
    for part in template.fields:
        try:
            _format(part, values)
        except TemplateError as exc:
            if str(exc) not in found:
                found.append(str(exc))
    return found


def _format(part: FieldRef, values: Mapping[str, object]) -> str:
    value = resolve(part, values)
    try:
        return format(value, part.spec)
    except (ValueError, TypeError) as exc:
        raise TemplateError(
            f"{{{part.name}:{part.spec}}}: the format does not fit this value ({exc})"
        ) from None


def resolve(ref: FieldRef, values: Mapping[str, object]) -> object:
    current: object = Namespace("", values)
    walked: list[str] = []
    for name in ref.path:
        if not isinstance(current, Namespace):
            raise TemplateError(f"{{{ref.name}}}: {'.'.join(walked)} has no field {name!r}")
        if name not in current.fields:
            where = current.label or "the text"
            hint = did_you_mean(name, current.fields)
            if current.label == "partners":
                raise TemplateError(f"{{{ref.name}}}: no partner with id {name!r}{hint}")
            if not walked:
                hint = hint or f"; available: {', '.join(sorted(values))}"
                raise TemplateError(f"{{{ref.name}}} is not a field this post has{hint}")
            raise TemplateError(f"{{{ref.name}}}: {where} has no field {name!r}{hint}")
        current = current.fields[name]
        walked.append(name)
        if current is Unset:
            raise TemplateError(
                f"{{{ref.name}}} is used in the text but {'.'.join(walked)} "
                "is not set for this post"
            )
    if isinstance(current, Namespace):
        if current.own is None:
            example = next(iter(current.fields), "name")
            raise TemplateError(f"{{{ref.name}}} needs a field name, e.g. {{{ref.name}.{example}}}")
        return current.own
    return current
