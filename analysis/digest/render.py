"""DigestData -> HTML (CSS inlined), plain text, PNG charts, and the MIME message.

One Jinja environment: ``*.html.j2`` templates are autoescaped, ``*.txt.j2`` are not. Every
printed value passes through ``inert`` (Jinja's ``finalize``), so no template can forget to
neutralise a comment: in HTML the value is then escaped as well.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from analysis.digest import text as fmt
from analysis.digest.charts import Chart, engagement_chart, sentiment_chart
from analysis.digest.data import DigestData
from campaigns.kinds import display_name

# The platform table (connectors/platforms.py) is the source; analysis may not import
# connectors, so the digest keeps this copy and a test holds the two equal.
PLATFORM_NAMES = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
    "threads": "Threads",
    "sandbox": "Sandbox",
}

# Headers are written on one line each, never folded: RFC 5322 allows 998 characters, and a
# folded Subject or address list is shown with a stray space by some clients (encoded words
# in particular). The subject and the addresses are far shorter than that.
MAIL_POLICY = email_policy.default.clone(max_line_length=998)

# How many items of each list the email shows; the rest are counted ("and 7 more").
MAX_REPLIES = 10
MAX_HOSTILE = 25  # listed one by one; a week with more is a crisis handled on the platforms
MAX_NEXT_WEEK = 15
MAX_PROBLEMS = 10
MAX_PAUSES = 5


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    html: str  # images referenced as cid:<name>@beatpost
    text: str
    charts: tuple[Chart, ...]
    html_for_files: str  # the same page with images referenced as <name>.png next to it


def _finalize(value: object) -> object:
    # Strings are made inert; numbers and the like pass through to filters untouched, and so
    # does Markup: the output of the templates' own macros, whose values were finalized inside.
    if isinstance(value, Markup):
        return value
    return fmt.inert(value) if isinstance(value, str) else value


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, str(platform).capitalize())


kind_name = display_name  # a post kind as campaigns/kinds.py names it for people


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("analysis.digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=fmt.number,
        percent=fmt.percent,
        change=fmt.change,
        change_points=fmt.change_points,
        signed=fmt.signed,
        age=fmt.age,
        day=fmt.day_label,
        when=fmt.when,
        oneline=fmt.oneline,
        prose=fmt.prose,
        platforms=lambda names: " + ".join(platform_name(n) for n in names),
        safe_url=fmt.safe_url,
        platform=platform_name,
        kind=kind_name,
    )
    env.globals.update(
        span=fmt.span,
        max_replies=MAX_REPLIES,
        max_hostile=MAX_HOSTILE,
        max_next_week=MAX_NEXT_WEEK,
        max_problems=MAX_PROBLEMS,
        max_pauses=MAX_PAUSES,
        platform_name=platform_name,
        kind_name=kind_name,
        as_is=str,
        rate=lambda value: "-" if value is None else f"{value:.2f}",  # per 1,000 reached
    )
    return env


_ENV = _environment()


def subject_for(data: DigestData) -> str:
    department = fmt.oneline(data.department, 80)
    # ASCII dash: a subject that is all ASCII needs no encoded words, which some clients
    # show badly; a department's own accents still get them (on one line: MAIL_POLICY).
    dates = fmt.span(data.start, data.end).replace("–", "-")
    return f"Weekly digest, week {data.week.week} ({dates}): {department}"


def headline(data: DigestData) -> str:
    """The week in one line, the same in the HTML, the text part, the inbox preview and the
    terminal: "9 posts out, 18,518 views and 919 interactions (5.0%); 77 comments, sentiment
    +0.49; 1 about officer safety (review now), 18 need a reply, 1 flagged hostile; 2 posts
    failed."
    """
    w = data.this_week
    line = (
        f"{fmt.number(w.posts_out)} post{'' if w.posts_out == 1 else 's'} out, "
        f"{fmt.number(w.audience)} views and {fmt.number(w.interactions)} interactions "
        f"({fmt.percent(w.engagement_rate)})"
    )
    if w.comments:
        line += f"; {fmt.number(w.comments)} comment{'' if w.comments == 1 else 's'}"
        line += (
            f", sentiment {fmt.signed(w.net_sentiment)}"
            if w.net_sentiment is not None
            else " (sentiment not scored yet)"
        )
    attention = []
    if data.safety:  # first: someone may be trying to locate an officer
        attention.append(f"{len(data.safety)} about officer safety (review now)")
    waiting = data.needs_reply_total
    if waiting:
        attention.append(f"{waiting} need{'s' if waiting == 1 else ''} a reply")
    if data.hostile_count:
        attention.append(f"{data.hostile_count} flagged hostile")
    if attention:
        line += "; " + ", ".join(attention)
    failed = sum(len(p.platforms) for p in data.failed)
    if failed:
        line += f"; {failed} post{'' if failed == 1 else 's'} failed"
    return line + "."


def headline_html(data: DigestData) -> Markup:
    """The headline for the HTML body, its counts of flagged comments linked to the lists."""
    line = str(escape(headline(data)))
    waiting, hostile, safety = data.needs_reply_total, data.hostile_count, len(data.safety)
    for count, anchor, phrase in (
        (safety, "safety", f"{safety} about officer safety"),
        (waiting, "replies", f"{waiting} need{'s' if waiting == 1 else ''} a reply"),
        (hostile, "hostile", f"{hostile} flagged hostile"),
    ):
        if count:
            line = line.replace(phrase, f'<a href="#{anchor}">{phrase}</a>', 1)
    return Markup(line)  # noqa: S704 - escaped above; only our own phrases became links


def make_charts(data: DigestData) -> tuple[Chart, ...]:
    # A chart of nothing says less than the sentence under it ("0 comments").
    has_comments = any(day.total for day in data.sentiment_by_day)
    charts = [sentiment_chart(data.sentiment_by_day)] if has_comments else []
    if any(row.engagement_rate is not None for row in data.by_kind):
        named = tuple(replace(r, label=kind_name(r.label)) for r in data.by_kind)
        charts.append(engagement_chart(named, "Engagement rate by kind of post"))
    return tuple(charts)


def content_id(chart: Chart, data: DigestData) -> str:
    return f"{chart.name}.{data.week}@beatpost"


def render_html(
    data: DigestData, charts: Sequence[Chart], image_src: Callable[[Chart], str]
) -> str:
    page = _ENV.get_template("digest.html.j2").render(
        d=data,
        headline=headline(data),
        headline_html=headline_html(data),
        subject=subject_for(data),
        charts={c.name: c for c in charts},
        image_src=image_src,
    )
    # Many mail clients drop <style>; inline every rule onto its elements.
    return css_inline.inline(page)


def render_text(data: DigestData) -> str:
    return _ENV.get_template("digest.txt.j2").render(
        d=data, subject=subject_for(data), headline=headline(data)
    )


def render(data: DigestData) -> RenderedDigest:
    charts = make_charts(data)
    return RenderedDigest(
        subject=subject_for(data),
        html=render_html(data, charts, lambda c: f"cid:{content_id(c, data)}"),
        text=render_text(data),
        charts=charts,
        html_for_files=render_html(data, charts, lambda c: f"{c.name}.png"),
    )


def build_message(
    rendered: RenderedDigest,
    data: DigestData,
    *,
    sender: str,
    recipients: Sequence[str],
    domain: str | None = None,
) -> EmailMessage:
    """multipart/alternative: text, then multipart/related (HTML + inline PNGs by Content-ID).

    Without recipients (a preview written to files) the To header is the empty group
    ``undisclosed-recipients:;``, which mail clients show as such, never an empty header.
    """
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = rendered.subject
    msg["From"] = _address(sender)
    msg["To"] = (
        ", ".join(str(_address(r)) for r in recipients)
        if recipients
        else "undisclosed-recipients:;"
    )
    msg["Date"] = format_datetime(data.generated_at)
    # Short, so the header is never folded: <digest.2027-W10.1f2e3d4c5b6a7988@example.org>
    host = domain or _domain_of(sender)
    msg["Message-ID"] = f"<digest.{data.week}.{secrets.token_hex(8)}@{host}>"
    # Lets a mail rule file the digest; also marks it as not a personal message.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Beatpost-Week"] = str(data.week)
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    html_part = msg.get_payload()[1]
    for chart in rendered.charts:
        html_part.add_related(
            chart.png,
            maintype="image",
            subtype="png",
            cid=f"<{content_id(chart, data)}>",
            filename=f"{chart.name}.png",
            disposition="inline",
        )
    return msg


def _address(text: str) -> Address:
    text = text.strip()
    if "<" in text and text.endswith(">"):
        name, _, addr = text[:-1].rpartition("<")
        return Address(display_name=name.strip().strip('"'), addr_spec=addr.strip())
    return Address(addr_spec=text)


def _domain_of(address: str) -> str:
    addr = _address(address).addr_spec
    return addr.rpartition("@")[2] or "beatpost.local"


def write_files(rendered: RenderedDigest, message: EmailMessage, out_dir: Path) -> list[Path]:
    """digest.html (with its PNGs beside it), digest.txt and digest.eml in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (("digest.html", rendered.html_for_files), ("digest.txt", rendered.text)):
        path = out_dir / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    for chart in rendered.charts:
        path = out_dir / f"{chart.name}.png"
        path.write_bytes(chart.png)
        written.append(path)
    eml = out_dir / "digest.eml"
    eml.write_bytes(message.as_bytes())
    written.append(eml)
    return written
