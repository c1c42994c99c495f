"""Malformed campaign files of any kind end in diagnostics, never in an exception."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from campaigns import load_campaigns
from tests.campaigns.conftest import EXAMPLES, options

EXAMPLE_TEXT = (EXAMPLES / "spring-recruiting-2027.yaml").read_text(encoding="utf-8")
LINES = EXAMPLE_TEXT.splitlines(keepends=True)
YAML_CHARS = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?~ \n\t\\") + ["{event.", "}", "%-d",
                                                                     "-2h", "2027-13-01",
                                                                     "…", "👮", "\x00"])
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A copy of the example folder (so media paths resolve); each case rewrites the file."""
    target = tmp_path_factory.mktemp("fuzz") / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def _check(workdir: Path, text: str | bytes) -> None:
    path = workdir / "spring-recruiting-2027.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for opts in (options(), options(require_approval=True, media_base_url_set=False)):
        cs = load_campaigns([workdir], opts)
        for d in cs.diagnostics:
            assert d.line >= 1 and d.column >= 1 and d.message
        deliveries = cs.deliveries()
        if cs.errors:
            assert deliveries == []
        for delivery in deliveries:
            assert delivery.at_utc.tzinfo is not None and delivery.text


@st.composite
def text_mutations(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "indent", "cut"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "insert":
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + "".join(draw(st.lists(YAML_CHARS, min_size=1, max_size=4))) \
                + line[pos:]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t"])) + line.lstrip(" ")
        else:
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + "\n"
        if not lines:
            break
    return "".join(lines)


@FUZZ
@given(text=text_mutations())
def test_text_mutations_give_diagnostics(workdir, text):
    _check(workdir, text)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


_yaml = YAML(typ="rt")
DOCUMENT = _yaml.load(EXAMPLE_TEXT)
ALL_PATHS = [p for p in _paths(DOCUMENT) if p]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["2027-03-02 10:00", "-1d", "FREQ=DAILY", "x",
                                           "{event.name}", "@handle", "#tag", "25:99"]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.sampled_from(["name", "text", "file", "x", "nme"]), st.text(max_size=5),
                    max_size=2),
)


@FUZZ
@given(path=st.sampled_from(ALL_PATHS), value=VALUES, delete=st.booleans())
def test_structure_mutations_give_diagnostics(workdir, path, value, delete):
    document = _yaml.load(EXAMPLE_TEXT)
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    out = io.StringIO()
    _yaml.dump(document, out)
    _check(workdir, out.getvalue())


@FUZZ
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(workdir, data):
    _check(workdir, data)
