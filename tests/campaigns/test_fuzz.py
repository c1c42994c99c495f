"""Malformed campaign files of any kind end in diagnostics, never in an exception."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from campaigns import load_campaigns
from tests.campaigns.conftest import EXAMPLES, make_image, options

EXAMPLE_TEXT = (EXAMPLES / "spring-recruiting-2027.yaml").read_text(encoding="utf-8")
LINES = EXAMPLE_TEXT.splitlines(keepends=True)
YAML_CHARS = st.sampled_from(
    list(":-[]{}#&*!|>'\"%@`,?~ \n\t\\")
    + ["{event.", "}", "%-d", "-2h", "2027-13-01", "…", "👮", "\x00"]
)
FUZZ = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


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
            lines[i] = (
                line[:pos]
                + "".join(draw(st.lists(YAML_CHARS, min_size=1, max_size=4)))
                + line[pos:]
            )
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
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2027-03-02 10:00", "-1d", "FREQ=DAILY", "x", "{event.name}", "@handle", "#tag", "25:99"]
    ),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(
        st.sampled_from(["name", "text", "file", "x", "nme"]), st.text(max_size=5), max_size=2
    ),
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


# -- hostile files: deep, wide, huge numbers, format specs, tags, paths ----------------------

HOSTILE = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def sometimes(normal: object, hostile: st.SearchStrategy) -> st.SearchStrategy:
    """``normal`` four times in five: hostile parts still combine, and many files reach
    planning rather than stopping at their first fatal problem."""
    return st.integers(0, 4).flatmap(lambda n: hostile if n == 0 else st.just(normal))


TAGS = sometimes(
    "",
    st.sampled_from(
        [
            "!!str ",
            "!!int ",
            "!!python/object:os.system ",
            "!!binary ",
            "!!set ",
            "!!timestamp ",
            "!foo ",
            "! ",
            "!<tag:x> ",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(-10, 10**4), st.integers(10**5, 10**30), st.sampled_from([2**63, -(2**63)])
).map(str) | st.just("9" * 5000)
SPECS = st.builds(
    lambda fill, align, sign, zero, width, precision, kind: (
        f"{fill}{align}{sign}{zero}{width}{'.' + precision if precision else ''}{kind}"
    ),
    st.sampled_from(["", "x", "{", "0"]),
    st.sampled_from(["", "<", ">", "^", "="]),
    st.sampled_from(["", "+", "-", " "]),
    st.sampled_from(["", "0"]),
    st.one_of(st.just(""), st.integers(0, 10**12).map(str)),
    st.one_of(st.just(""), st.integers(0, 10**12).map(str)),
    st.sampled_from(["", "s", "d", "f", "%", "x", "%A %B %-d", "%Y" * 50]),
)
PATHS = sometimes(
    "../media/poster.jpg",
    st.one_of(
        st.sampled_from(
            [
                "media/poster.jpg",
                "/etc/passwd",
                "../" * 30,
                "media/../../x.jpg",
                "~/x.jpg",
                ".",
                "media",
                "link-out.jpg",
                "loop.jpg",
                "a\x00b.jpg",
                "../media/" + "a/" * 200 + "x.jpg",
                "../media/../campaigns/fuzz.yaml",
            ]
        ),
        st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
    ),
)


def _nest(depth: int, opener: str) -> str:
    if opener == "[":
        return "[" * depth + "x" + "]" * depth
    return "{a: " * depth + "x" + "}" * depth


@st.composite
def hostile_files(draw) -> str:
    year = draw(sometimes(2027, st.one_of(st.integers(1, 9999), st.integers(10**4, 10**8))))
    number = draw(NUMBERS)
    offset = draw(sometimes("7", NUMBERS)).lstrip("-")
    unit = draw(st.sampled_from(["d", "w", "h", "m", "w2d", ""]))
    spec = draw(sometimes("", SPECS)).replace('"', "'")
    tag = draw(TAGS)
    path = draw(PATHS).replace("\\", "/").replace('"', "'")
    depth = draw(sometimes(0, st.sampled_from([1, 5, 30, 33, 600, 5000])))
    opener = draw(st.sampled_from(["[", "{"]))
    width = draw(sometimes(1, st.integers(0, 3000)))
    rule = draw(
        sometimes(
            "FREQ=WEEKLY;COUNT=4",
            st.sampled_from(
                [
                    f"FREQ=DAILY;COUNT={number}",
                    f"FREQ=YEARLY;INTERVAL={number}",
                    f"FREQ=WEEKLY;UNTIL={year:04d}1231",
                    "FREQ=MONTHLY;BYSETPOS=-1",
                    f"FREQ=DAILY;INTERVAL={number};COUNT=3",
                ]
            ),
        )
    )
    version = draw(sometimes("1", NUMBERS))
    end = draw(sometimes("2027-05-31", st.sampled_from(["9999-12-31", "0001-01-01"])))
    posts = draw(st.integers(1, 3))
    body = "".join(
        f"""\
  - id: p{i}
    kind: event
    text: {tag}"{{event.name:{spec}}} {{campaign.name}}"
    event:
      name: Fair
      starts: {year:04d}-04-10 10:00
      location: Gym
    reminders: [-{offset}{unit}, -1d]
    hashtags: [{", ".join(f"t{j}" for j in range(width))}]
    media:
      - file: "{path}"
        alt: A poster
  - id: r{i}
    kind: announcement
    text: {_nest(depth, opener) if i == 0 and depth else "Hi"}
    repeat: {{rule: "{rule}", time: "10:00"}}
"""
        for i in range(posts)
    )
    return f"""\
version: {version}
campaign:
  id: fuzz
  name: Fuzz
  window: {{start: 2027-03-01, end: {end}}}
  platforms: [x, facebook]
  approved_by: Lt. Test
posts:
{body}"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """campaigns/ beside media/, with links leading out of media/ and in a loop."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "campaigns" / "media").mkdir(parents=True)
    make_image(root / "media" / "poster.jpg")
    make_image(root / "campaigns" / "media" / "poster.jpg")
    (root / "campaigns" / "link-out.jpg").symlink_to("/etc/passwd")
    (root / "campaigns" / "loop.jpg").symlink_to(root / "campaigns" / "loop.jpg")
    return root


@HOSTILE
@given(text=hostile_files())
def test_hostile_files_give_located_errors_quickly(hostile_dir, text):
    path = hostile_dir / "campaigns" / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.count("\n") + 1
    started = time.monotonic()
    cs = load_campaigns([path], options(media_root=hostile_dir / "media"))
    assert time.monotonic() - started < 10
    event(cs.errors[0].message[:30] if cs.errors else "valid")
    for d in cs.diagnostics:
        assert 1 <= d.line <= lines and d.column >= 1 and d.message, d
        assert "could not check this file" not in d.message, d
    if cs.errors:
        assert cs.deliveries() == []
    for delivery in cs.deliveries():
        for media in delivery.media:
            assert media.path.is_relative_to((hostile_dir / "media").resolve())
