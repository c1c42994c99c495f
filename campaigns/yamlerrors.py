"""Why a campaign file is not YAML, said as what to change, at the place to change it.

The parsers (libyaml through ``ruamel.yaml.clib``, or ruamel's own) report what they expected
next ("did not find expected key (while parsing a block mapping)"), often a line or two after
the slip that caused it. The usual slips are recognised here from the text around the mark:
indentation that lines up with nothing, tabs, a ``#`` that turned the rest of a list into a
comment, a ``:`` inside ``{ }``, a quote or bracket never closed, text after a closing quote.
Anything else keeps the parser's words, prefixed with "not valid YAML".
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

_FLOW_COMMENT_RE = re.compile(r"[\[{,][ \t]*#")
_KEY_RE = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"][^:#]*?):(?:\s|$)")
_LOOKBACK = 10  # lines searched above an error for its cause
_INDENTATION_PROBLEMS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
)


def explain(exc: MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """1-based line and column of the slip behind ``exc``, and what to do about it."""
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    row, col = (mark.line, mark.column) if mark is not None else (0, 0)
    opened = exc.context_mark  # where the scalar, list or block being read started
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    line = lines[row] if row < len(lines) else ""
    char = line[col] if col < len(line) else ""

    if char == "\t" or "tab character" in problem:
        tab = line.find("\t")
        return row + 1, (tab if tab >= 0 else col) + 1, _TAB
    comment = _comment_in_flow(lines, row)
    if comment is not None:
        return comment[0] + 1, comment[1] + 1, _FLOW_COMMENT
    if opened is not None:
        where = (opened.line + 1, opened.column + 1)
        if problem == "found unexpected ':'":
            value = _flow_value(lines, opened.line, opened.column)
            return *where, _FLOW_COLON.format(value=value)
        if "end of stream" in problem and "quoted scalar" in context:
            quote = _char(lines, opened.line, opened.column) or '"'
            return *where, _UNCLOSED_QUOTE.format(quote=quote)
        if "flow sequence" in context:
            return *where, _UNCLOSED_LIST
        if "flow mapping" in context:
            return *where, _UNCLOSED_FIELDS
        if "could not find expected ':'" in problem:
            return *where, _NO_COLON
    flow_text = _text_after_flow(line)
    if flow_text is not None:
        return row + 1, flow_text + 1, _FLOW_TEXT.format(opener=line[flow_text])
    if "alias" in context or "anchor" in context or "undefined alias" in problem:
        if opened is not None:
            row, col = opened.line, opened.column
        start = _char(lines, row, col) or "*"
        return row + 1, col + 1, f"a value cannot start with {start}; put the text in quotes"
    if "entries are not allowed" in problem:
        return (
            row + 1,
            col + 1,
            (
                "a value on the same line as its field cannot start with '- '; put the text in "
                "quotes, or start the list on the next line"
            ),
        )
    if problem.startswith("mapping keys are not allowed"):
        return row + 1, col + 1, "a value cannot start with '? '; put the text in quotes"
    if problem.startswith("mapping values are not allowed"):
        return _colon_or_indent(lines, row, col)
    if problem.startswith(_INDENTATION_PROBLEMS):
        return _misaligned(lines, row, col)
    if "expected <document start>" in problem:
        return (
            row + 1,
            col + 1,
            (
                "the lines above are read as a text that belongs to no field; a campaign file is "
                "made of 'name: value' fields from its first line ('version: 1'): check the "
                "indentation of the lines above"
            ),
        )
    if "directive" in context:
        return row + 1, col + 1, "a line cannot start with %; put the text in quotes"
    if "cannot start any token" in problem or "expected node content" in problem:
        return row + 1, col + 1, _cannot_start(char)
    if "block scalar" in context:
        return row + 1, col + 1, "after | or > start the text on the next line, indented"
    if "another document" in problem:
        return row + 1, col + 1, "one campaign per file: remove the second '---' document marker"
    detail = problem or context or "syntax error"
    if context and problem:
        if opened is not None and mark is not None and opened.line != mark.line:
            context += f" started on line {opened.line + 1}"
        detail = f"{problem} ({context})"
    return row + 1, col + 1, f"not valid YAML: {detail}"


_TAB = "YAML cannot be indented with tabs; replace the tab with spaces"
_FLOW_COMMENT = (
    "'#' starts a YAML comment, so the rest of this line is ignored and the list is left "
    "open; write hashtags without '#' ([JoinSPD, Police]) or in quotes ([\"#JoinSPD\"])"
)
_FLOW_COLON = (
    "inside {{ }} or [ ], a ':' without a space after it cannot be read; put the value in "
    'quotes ("{value}"), or write each field on its own line'
)
_UNCLOSED_QUOTE = "this {quote} opens a quoted text that is never closed; end the text with {quote}"
_UNCLOSED_LIST = (
    "this list, opened with '[', is not closed: end it with ']' on the same line, with ', ' "
    "between items"
)
_UNCLOSED_FIELDS = (
    "these fields, opened with '{', are not closed: end them with '}' on the same line, with "
    "', ' between fields"
)
_FLOW_TEXT = (
    "a value that starts with {opener} is read as YAML (a list or fields), not as text; put "
    'the whole text in quotes, e.g. text: "{{event.name}} is on Saturday"'
)
_NO_COLON = (
    "expected 'name: value' on this line; add the ':' after the field name, or, if this line "
    "continues the text above, put that text in quotes"
)


def _char(lines: list[str], row: int, col: int) -> str:
    line = lines[row] if row < len(lines) else ""
    return line[col] if col < len(line) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_above(lines: list[str], row: int) -> list[int]:
    """Rows above ``row`` holding YAML (not blank, not a comment), nearest first."""
    out = []
    for i in range(min(row, len(lines)) - 1, max(-1, row - 1 - _LOOKBACK), -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            out.append(i)
    return out


def _comment_in_flow(lines: list[str], row: int) -> tuple[int, int] | None:
    """Where a '#' right after '[', '{' or ',' made the rest of a line a comment (0-based)."""
    for i in range(min(row, len(lines) - 1), max(-1, row - 1 - _LOOKBACK), -1):
        line = lines[i]
        if line.strip().startswith("#"):
            continue
        match = _FLOW_COMMENT_RE.search(line)
        if match and not any(q in line[: match.start()] for q in "'\""):
            return i, match.end() - 1
    return None


def _text_after_flow(line: str) -> int | None:
    """Column (0-based) of a '{' or '[' that opens a field's value which text then follows:
    ``text: {event.name} is here`` (a template read as YAML fields)."""
    match = re.match(r"^\s*(?:-\s+)?[^\s:#'\"][^:#]*?:\s+([\[{])", line)
    if match is None:
        return None
    opener = match.start(1)
    close = "}" if line[opener] == "{" else "]"
    end = line.find(close, opener)
    if end < 0:
        return None
    rest = line[end + 1 :].strip()
    return opener if rest and not rest.startswith(("#", ",")) else None


def _flow_value(lines: list[str], row: int, col: int) -> str:
    line = lines[row] if row < len(lines) else ""
    return re.split(r"[,}\]]", line[col:], maxsplit=1)[0].strip()


def _colon_or_indent(lines: list[str], row: int, col: int) -> tuple[int, int, str]:
    """'mapping values are not allowed': a field indented under a value, or ': ' in text."""
    line = lines[row] if row < len(lines) else ""
    above = _content_above(lines, row)
    if above and _indent(line) > _indent(lines[above[0]]):
        prev = lines[above[0]]
        key, prev_key = _KEY_RE.match(line), _KEY_RE.match(prev)
        if key and prev_key and prev.rstrip()[-1:] not in (":", "|", ">"):
            return (
                row + 1,
                _indent(line) + 1,
                (
                    f"'{key.group(1)}:' is indented more than '{prev_key.group(1)}:' on the line "
                    f"above; line them up ({_spaces(_field_column(prev))})"
                ),
            )
    return (
        row + 1,
        col + 1,
        (
            "unquoted text cannot contain ': ' (a colon and a space); put the text in quotes, or "
            "write it on the next lines after >"
        ),
    )


def _misaligned(lines: list[str], row: int, col: int) -> tuple[int, int, str]:
    """A line that lines up with no block above, or text after a closing quote."""
    line = lines[row] if row < len(lines) else ""
    indent = _indent(line)
    if col > indent and any(q in line[indent:col] for q in "'\""):
        return (
            row + 1,
            col + 1,
            (
                "there is more text after the closing quote; put the whole text in quotes, "
                "or write it on the next lines after >"
            ),
        )
    used = sorted({_field_column(lines[i]) for i in _content_above(lines, row)[:6]})
    columns = " or ".join(str(n) for n in used if n != indent) or "a different number of"
    return (
        row + 1,
        indent + 1,
        (
            f"check the indentation: this line starts after {_spaces(indent)}, which lines up "
            f"with nothing above (the lines above start after {columns} spaces); fields of one "
            "block line up exactly, and a new list item starts with '- '"
        ),
    )


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _field_column(line: str) -> int:
    """Spaces before a line's field name (after '- ' for a list item's first field)."""
    indent = _indent(line)
    rest = line[indent:]
    return indent + 2 if rest.startswith("- ") else indent


def _cannot_start(char: str) -> str:
    if char == "@":
        return (
            "a YAML value cannot start with @; write the handle without it "
            '(SpringfieldHS) or in quotes ("@SpringfieldHS")'
        )
    if char == "`":
        return "a YAML value cannot start with a backtick; put the text in quotes"
    if char:
        return f"a YAML value cannot start with {char!r}; put the text in quotes"
    return "a YAML value cannot start with this character; put the text in quotes"
