"""Partner kits: what a community partner needs to share a campaign's upcoming posts.

A partner (a school, a church, a business) re-posts on its own accounts and prints flyers, so
each kit holds, per upcoming post: the texts as planned for each platform, with the link
re-tagged ``utm_source=<partner id>`` (``campaigns.compose.partner_link``: the campaign and
post tags stay as beatpost makes them); metadata-stripped copies of the images
(``connectors.media.prepare_media``, as for an upload: never the originals, which can carry
where a photo was taken); and a printable QR code of the link. ``index.html`` (and a plain
``README.txt``) say how to use it. Visits and applications that come back through these links
are then counted for the partner.

``select_kit`` is pure (campaign set + clock -> what goes in); ``write_kit`` writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import segno
from jinja2 import Environment, StrictUndefined

from campaigns import CampaignSet, DeliveryPlan, MediaRef
from campaigns.compose import partner_link
from campaigns.reader import did_you_mean
from connectors.base import MediaFile
from connectors.errors import Rejected
from connectors.limits import limits_for
from connectors.media import prepare_media
from connectors.platforms import DISPLAY_NAMES

# QR code: medium error correction survives a folded or smudged flyer; 10 pixels per module
# and the standard 4-module quiet zone print sharp at 300 dpi (about 1.5 inches wide for a
# typical careers link).
QR_ERROR = "m"
QR_SCALE = 10
QR_BORDER = 4
QR_DPI = 300
QR_FILE = "qr-code.png"


class KitError(ValueError):
    """A partner or campaign that does not exist, or a kit that cannot be written."""


@dataclass
class KitPost:
    """One upcoming post as the partner gets it."""

    campaign_id: str
    campaign_name: str
    post_id: str
    kind: str
    first_at: datetime  # local time of the first upcoming delivery
    link: str | None  # tagged for the partner
    texts: dict[str, str] = field(default_factory=dict)  # platform -> text
    media: list[tuple[MediaRef, str]] = field(default_factory=list)  # (image, platform)
    folder: str = ""


@dataclass
class Kit:
    partner_id: str
    partner_name: str
    campaigns: list[str]  # names
    posts: list[KitPost]


def select_kit(campaign_set: CampaignSet, partner: str, campaign: str | None, now: datetime) -> Kit:
    """The upcoming posts (from ``now``) of the campaigns that name ``partner`` under
    ``partners:`` (only ``campaign`` when given); raises ``KitError`` for unknown names."""
    known = campaign_set.campaigns
    if not known:
        raise KitError(
            "no campaign file without errors was found, so there is nothing to "
            "share (run beatpost validate)"
        )
    if campaign is not None and campaign not in known:
        hint = did_you_mean(campaign, known) or f"; campaigns: {', '.join(sorted(known))}"
        raise KitError(f"--campaign: no campaign {campaign!r}{hint}")
    chosen = [known[campaign]] if campaign is not None else list(known.values())
    with_partner = [info for info in chosen if partner in info.partners]
    if not with_partner:
        ids = sorted({pid for info in chosen for pid in info.partners})
        where = f"campaign {campaign!r}" if campaign else "the campaign files"
        hint = did_you_mean(partner, ids) or (
            f"; partners in {where}: {', '.join(ids)}"
            if ids
            else f"; {where} name no partners (add them under partners:)"
        )
        raise KitError(f"PARTNER: no partner {partner!r} in {where}{hint}")
    ids = {info.id for info in with_partner}
    posts: dict[tuple[str, str], KitPost] = {}
    for d in campaign_set.deliveries(now, None):
        if d.campaign_id not in ids:
            continue
        key = (d.campaign_id, d.post_id)
        post = posts.get(key)
        if post is None:
            link = partner_link(d.link, partner, d.campaign_id, d.post_id) if d.link else None
            post = posts[key] = KitPost(
                d.campaign_id, d.campaign_name, d.post_id, d.kind, d.at_local, link
            )
        if d.platform not in post.texts:  # the next delivery on this platform
            post.texts[d.platform] = _partner_text(d, post.link)
            seen = {ref.path for ref, _platform in post.media}
            post.media.extend((ref, d.platform) for ref in d.media if ref.path not in seen)
    ordered = sorted(posts.values(), key=lambda p: (p.first_at, p.campaign_id, p.post_id))
    width = max(2, len(str(len(ordered))))
    for number, post in enumerate(ordered, 1):
        post.folder = f"{number:0{width}d}-{post.post_id}"
    first = with_partner[0].partners[partner]
    return Kit(partner, first.name, [info.name for info in with_partner], ordered)


def _partner_text(d: DeliveryPlan, link: str | None) -> str:
    """The planned text with the platform's link swapped for the partner's."""
    if d.link and link:
        return d.text.replace(d.link, link)
    return d.text


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link`` as the kit prints it."""
    return segno.make(link, error=QR_ERROR, micro=False)


def write_kit(kit: Kit, out: Path) -> list[Path]:
    """Write ``kit`` into the folder ``out`` (new or empty); returns the files written."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KitError(
            f"--out: {out} is not an empty folder; name a new folder (or delete the old kit first)"
        )
    written: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        images: dict[str, list[tuple[str, str]]] = {}
        for post in kit.posts:
            folder = out / post.folder
            folder.mkdir()
            for platform, text in post.texts.items():
                written.append(_write_text(folder / f"text-{platform}.txt", text + "\n"))
            if post.link:
                written.append(_write_text(folder / "link.txt", post.link + "\n"))
                path = folder / QR_FILE
                qr_code(post.link).save(
                    path, kind="png", scale=QR_SCALE, border=QR_BORDER, dpi=QR_DPI
                )
                written.append(path)
            images[post.folder] = []
            for number, (ref, platform) in enumerate(post.media, 1):
                name = _write_image(folder, number, ref, platform)
                written.append(folder / name)
                images[post.folder].append((name, ref.alt_text))
        written.append(_write_text(out / "index.html", _render_html(kit, images)))
        written.append(_write_text(out / "README.txt", _render_text(kit, images)))
    except OSError as exc:
        raise KitError(f"--out: cannot write the kit into {out}: {exc.strerror or exc}") from None
    return written


def _write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_image(folder: Path, number: int, ref: MediaRef, platform: str) -> str:
    """A metadata-stripped copy of ``ref`` fitting ``platform``, as it would be uploaded."""
    try:
        prepared = prepare_media(
            MediaFile(ref.path, ref.alt_text, ref.mime_type), limits_for(platform)
        )
    except Rejected as exc:
        raise KitError(f"{ref.path}: cannot be put in the kit: {exc}") from None
    name = f"image-{number}{Path(prepared.filename).suffix}"
    (folder / name).write_bytes(prepared.data)
    return name


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Sharing kit for {{ kit.partner_name }}</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}
pre{white-space:pre-wrap;background:#f4f4f4;padding:.8em}img{max-width:100%}
section{border-top:1px solid #ccc;margin-top:2em}</style></head><body>
<h1>Sharing kit for {{ kit.partner_name }}</h1>
<p>Thank you for helping us recruit. Campaign{{ "s" if kit.campaigns|length > 1 }}:
{{ kit.campaigns|join(", ") }}.</p>
<h2>How to use this kit</h2>
<ol>
<li>On or after the date shown, copy a post's text for your platform and post it on your own
account, with its images (already cleaned of camera and location data).</li>
<li>Keep the link exactly as written: it tells us that visitors came through
{{ kit.partner_name }}, so we can thank you with real numbers.</li>
<li>For flyers and event tables, print the post's QR code (qr-code.png, 300 dpi). It opens the
same link.</li>
<li>Please do not edit the images or the quotes of our officers.</li>
</ol>
{% if not kit.posts %}<p>No upcoming posts right now.</p>{% endif %}
{% for post in kit.posts %}
<section>
<h2>{{ loop.index }}. {{ post.post_id }} &mdash; from
{{ post.first_at.strftime("%A, %B %d, %Y, %I:%M %p %Z") }}</h2>
<p>Folder: <code>{{ post.folder }}/</code> ({{ post.campaign_name }})</p>
{% for platform, text in post.texts.items() %}
<h3>Text for {{ names.get(platform, platform) }} (text-{{ platform }}.txt)</h3>
<pre>{{ text }}</pre>
{% endfor %}
{% if post.link %}<p>Link: <a href="{{ post.link }}">{{ post.link }}</a></p>
<p><img src="{{ post.folder }}/{{ qr_file }}" alt="QR code for the link" width="200"></p>
{% else %}<p>This post has no link, so it has no QR code.</p>{% endif %}
{% for name, alt in images[post.folder] %}
<figure><img src="{{ post.folder }}/{{ name }}" alt="{{ alt }}">
<figcaption>{{ name }} &mdash; image description (alt text): {{ alt }}</figcaption></figure>
{% endfor %}
</section>
{% endfor %}
</body></html>
"""


def _render_html(kit: Kit, images: dict[str, list[tuple[str, str]]]) -> str:
    # Texts and names come from campaign files: escaped, never markup.
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_HTML).render(
        kit=kit, images=images, names=DISPLAY_NAMES, qr_file=QR_FILE
    )


def _render_text(kit: Kit, images: dict[str, list[tuple[str, str]]]) -> str:
    lines = [
        f"Sharing kit for {kit.partner_name}",
        f"Campaigns: {', '.join(kit.campaigns)}",
        "",
        "Open index.html in a web browser to see every post with its images.",
        "Each numbered folder is one post: text-<platform>.txt is the text to copy, image-N",
        "files are the images (cleaned of camera and location data), link.txt is the link",
        f"and {QR_FILE} its printable QR code (300 dpi) for flyers and event tables.",
        "Keep the link exactly as written: it tells us visitors came through you.",
        "",
    ]
    if not kit.posts:
        lines.append("No upcoming posts right now.")
    for post in kit.posts:
        lines.append(
            f"{post.folder}/  from {post.first_at:%Y-%m-%d %H:%M %Z}  ({post.campaign_name})"
        )
        lines.append(f"  link: {post.link or '(none)'}")
        for name, alt in images[post.folder]:
            lines.append(f"  {name}: {alt}")
    return "\n".join(lines) + "\n"
