"""Campaign format version 1: YAML nodes -> ``model.Campaign``, with a diagnostic per problem.

The reference for PIOs is docs/campaign-format.md; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from campaigns.bounds import MAX_POSTS
from campaigns.kinds import KINDS
from campaigns.model import (
    Campaign,
    Cost,
    FileRef,
    Hashtags,
    Located,
    MediaSpec,
    OneOff,
    Partner,
    Post,
    Reminder,
    Repeat,
    Variant,
)
from campaigns.reader import Reader, Where, did_you_mean, lookup
from campaigns.templates import TemplateError, Unset, compile_template
from campaigns.timing import Offset, Rule, check_rule, parse_offset, zone, zone_names

FORMAT_VERSION = 1

TOP_KEYS = ("version", "campaign", "partners", "defaults", "posts")
CAMPAIGN_KEYS = ("id", "name", "timezone", "window", "platforms", "approved_by", "cost")
COST_KEYS = ("boosts_usd", "platforms_usd")
_MAX_USD = Decimal(10_000_000)
DEFAULT_KEYS = ("hashtags", "link", "signature")
PARTNER_KEYS = ("name", "link", "handles")
COMMON_POST_KEYS = (
    "id",
    "kind",
    "platforms",
    "text",
    "variants",
    "hashtags",
    "signature",
    "link",
    "media",
    "partner",
    "at",
    "repeat",
)
VARIANT_KEYS = ("text", "reminder_text", "hashtags", "signature", "media", "link")
REMINDER_VARIANT_KEYS = ("text", "reminder_text", "hashtags", "signature", "media")
REMINDER_KEYS = ("offset", "text", "variants")
REPEAT_KEYS = ("rule", "time", "start")
MEDIA_KEYS = ("file", "alt", "captions", "cover", "cover_at", "placement", "burn_captions")

_HASHTAG_RE = re.compile(r"^\w+$")
_HANDLE_RULES = {
    "x": (re.compile(r"^\w{1,15}$"), "letters, digits and _ (at most 15)"),
    "instagram": (re.compile(r"^[A-Za-z0-9._]{1,30}$"), "letters, digits, . and _ (at most 30)"),
}
_GENERIC_HANDLE = (re.compile(r"^[\w.@-]{1,100}$"), "letters, digits, '.', '_' and '-'")


def read_campaign(
    root: Node | None,
    reader: Reader,
    file_path: Path,
    known_platforms: Collection[str],
    default_timezone: str,
    media_root: Path | None = None,
) -> Campaign | None:
    """Read one campaign file's node tree; None when it is too broken to plan.

    Media files must resolve inside ``media_root`` (default: the campaign file's folder)."""
    top_where = Where(1, 1, "")
    if root is None:
        reader.error(top_where, "the file is empty; a campaign file starts with 'version: 1'")
        return None
    fields = reader.mapping(
        root, top_where, TOP_KEYS, ("version", "campaign", "posts"), what="a campaign file"
    )
    if fields is None:
        return None
    version = lookup(fields, "version")
    if version is not None:
        number = reader.integer(version[0], version[1], "the format version")
        if number is not None and number != FORMAT_VERSION:
            reader.error(
                version[1],
                f"this beatpost reads campaign format version "
                f"{FORMAT_VERSION}; found version {number}",
            )
    body = lookup(fields, "campaign")
    if body is None:
        return None
    campaign = _read_header(body[0], body[1], reader, file_path, known_platforms, default_timezone)
    if campaign is None:
        return None
    campaign.media_root = (media_root or file_path.parent).resolve()
    if (entry := lookup(fields, "partners")) is not None:
        campaign.partners = _read_partners(
            entry[0], entry[1], reader, known_platforms, campaign.unreadable
        )
    if (entry := lookup(fields, "defaults")) is not None:
        _read_defaults(entry[0], entry[1], reader, campaign)
    if (entry := lookup(fields, "posts")) is not None:
        campaign.posts = _read_posts(entry[0], entry[1], reader, campaign, known_platforms)
    return campaign


# -- campaign header --------------------------------------------------------------------------


def _read_header(node, where, reader, file_path, known_platforms, default_timezone):
    """The campaign block. Unreadable fields get stand-ins (the error is already reported) so
    that the posts are still checked: one run reports every problem in the file."""
    fields = reader.mapping(
        node, where, CAMPAIGN_KEYS, ("id", "name", "window", "platforms"), what="campaign"
    )
    if fields is None:
        return None
    cid = name = None
    if (entry := lookup(fields, "id")) is not None:
        cid = reader.identifier(*entry, what="a campaign id")
    if (entry := lookup(fields, "name")) is not None:
        name = reader.text(*entry, what="the campaign name")
    tz_name, tz_where = default_timezone, where
    if (entry := lookup(fields, "timezone")) is not None:
        tz_name, tz_where = reader.scalar(*entry, what="a time zone"), entry[1]
    tz = zone(tz_name) if tz_name else None
    if tz_name is not None and tz is None:
        hint = did_you_mean(tz_name, zone_names())
        reader.error(
            tz_where, f"unknown time zone {tz_name!r}{hint} (use an IANA name like America/Chicago)"
        )
    window = _read_window(lookup(fields, "window"), reader)
    platforms, platform_where = _read_platforms(
        lookup(fields, "platforms"), reader, known_platforms, allow_empty=False
    )
    approved_by = None
    if (entry := lookup(fields, "approved_by")) is not None:
        approved_by = reader.text(*entry, what="approved_by")
    start, end, window_where = window if window is not None else (date(2000, 1, 1), None, where)
    cost = None
    if (entry := lookup(fields, "cost")) is not None:
        cost = _read_cost(entry[0], entry[1], reader, platforms)
    return Campaign(
        file=reader.file,
        path=file_path,
        id=cid or "",
        id_where=_where_of(fields, "id", where),
        name=(name or "").strip(),
        timezone=tz_name if tz else "UTC",
        tz=tz or zone("UTC"),
        timezone_where=tz_where,
        window_start=start,
        window_end=end,
        window_where=window_where,
        platforms=platforms,
        platform_where=platform_where,
        approved_by=approved_by,
        where=where,
        window_known=window is not None,
        cost=cost,
    )


def _read_cost(node, where, reader, platforms) -> Cost | None:
    """``cost:``: paid boosts in US dollars, ``boosts_usd`` for the campaign as a whole and
    ``platforms_usd`` per platform (in addition). API fees are not written here: beatpost
    knows them (analysis/prices.py)."""
    fields = reader.mapping(node, where, COST_KEYS, what="cost")
    if fields is None:
        return None
    boosts = Decimal(0)
    if (entry := lookup(fields, "boosts_usd")) is not None:
        boosts = _read_usd(*entry, reader) or Decimal(0)
    per_platform: dict[str, Decimal] = {}
    if (entry := lookup(fields, "platforms_usd")) is not None:
        for platform, value, key_where, value_where in reader.items(*entry):
            if platform not in platforms:
                hint = did_you_mean(platform, platforms) or (
                    f"; this campaign posts to {', '.join(platforms)}" if platforms else ""
                )
                reader.error(
                    key_where, f"{platform!r} is not one of this campaign's platforms{hint}"
                )
                continue
            amount = _read_usd(value, value_where, reader)
            if amount is not None:
                per_platform[platform] = amount
    return Cost(boosts, per_platform, where)


def _read_usd(node, where, reader) -> Decimal | None:
    """An amount in US dollars: a number 0 or more, at most two decimals (e.g. 149.99)."""
    raw = reader.scalar(node, where, "an amount in US dollars")
    if raw is None:
        return None
    text = raw.strip().removeprefix("$").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        reader.error(where, f"expected an amount in US dollars like 150 or 149.99, found {raw!r}")
        return None
    if amount < 0 or amount >= _MAX_USD:
        reader.error(
            where,
            f"an amount in US dollars must be 0 or more and under {_MAX_USD:,}, found {raw!r}",
        )
        return None
    if amount != amount.quantize(Decimal("0.01")):
        reader.error(
            where, f"{raw!r} has more than two decimals; write dollars and cents, like 149.99"
        )
        return None
    return amount


def _where_of(fields, key: str, fallback: Where) -> Where:
    entry = lookup(fields, key)
    return entry[1] if entry is not None else fallback


def _read_window(entry, reader):
    if entry is None:
        return None
    node, where = entry
    fields = reader.mapping(node, where, ("start", "end"), ("start",), what="window")
    if fields is None:
        return None
    start = end = None
    if (item := lookup(fields, "start")) is not None:
        start = reader.date(*item, what="the first day")
    if (item := lookup(fields, "end")) is not None:
        end = reader.date(*item, what="the last day")
    if start is None or ("end" in fields and end is None):
        return None
    if end is not None and end < start:
        reader.error(fields["end"][1], f"the window ends ({end}) before it starts ({start})")
        return None
    return start, end, where


def _read_platforms(entry, reader, known, allow_empty):
    if entry is None:
        return (), {}
    node, where = entry
    items = reader.string_list(node, where, "a platform")
    if items is None:
        return (), {}
    out: list[str] = []
    places: dict[str, Where] = {}
    for value, item_where in items:
        if value not in known:
            hint = did_you_mean(value, known) or f"; known: {', '.join(known)}"
            reader.error(item_where, f"unknown platform {value!r}{hint}")
            continue
        if value in places:
            reader.error(item_where, f"{value} is listed twice")
            continue
        out.append(value)
        places[value] = item_where
    if not items and not allow_empty:
        reader.error(where, "list at least one platform, e.g. [x, facebook, instagram]")
    return tuple(out), places


# -- partners and defaults --------------------------------------------------------------------


def _read_partners(node, where, reader, known_platforms, unreadable) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for pid, value, key_where, value_where in reader.items(node, where):
        if not reader.valid_id(pid, key_where, "a partner id"):
            continue
        fields = reader.mapping(value, value_where, PARTNER_KEYS, ("name",), what=f"partner {pid}")
        if fields is None:
            continue
        name = reader.text(*fields["name"], what="the partner's name") if "name" in fields else None
        link = reader.url(*fields["link"]) if "link" in fields else None
        handles: dict[str, str] = {}
        if (entry := lookup(fields, "handles")) is not None:
            handles = _read_handles(entry[0], entry[1], reader, known_platforms)
        if name:
            partners[pid] = Partner(pid, name.strip(), link, handles, key_where)
        else:
            unreadable.add(f"partners[{pid}]")  # reported above; posts naming it are not
    return partners


def _read_handles(node, where, reader, known_platforms) -> dict[str, str]:
    handles: dict[str, str] = {}
    for platform, value, key_where, value_where in reader.items(node, where):
        if platform not in known_platforms:
            hint = did_you_mean(platform, known_platforms)
            reader.error(key_where, f"unknown platform {platform!r}{hint}")
            continue
        raw = reader.text(value, value_where, what="a handle")
        if raw is None:
            continue
        handle = raw.strip().removeprefix("@")
        rule, words = _HANDLE_RULES.get(platform, _GENERIC_HANDLE)
        if not rule.match(handle):
            reader.error(value_where, f"{raw!r} is not a valid {platform} handle ({words})")
            continue
        handles[platform] = handle
    return handles


def _read_defaults(node, where, reader, campaign: Campaign) -> None:
    fields = reader.mapping(node, where, DEFAULT_KEYS, what="defaults")
    if fields is None:
        return
    if (entry := lookup(fields, "hashtags")) is not None:
        campaign.hashtags = _read_hashtags(*entry, reader)
    if (entry := lookup(fields, "link")) is not None:
        campaign.link = _read_link(*entry, reader)
        if campaign.link is None and not _is_no_link(entry[0]):
            campaign.unreadable.add("link")
    if (entry := lookup(fields, "signature")) is not None:
        campaign.signature = (reader.optional_text(*entry) or "").strip()


def _read_hashtags(node, where, reader) -> Hashtags | None:
    if isinstance(node, ScalarNode) and node.tag.endswith(":null") and not node.style:
        if _hashtag_lost_to_comment(where, reader):
            return None
        return Hashtags((), where)  # hashtags: (empty) -> none
    items = (
        reader.sequence(node, where, "hashtags")
        if not isinstance(node, ScalarNode)
        else [(node, where)]
    )
    if items is None:
        return None
    tags: list[str] = []
    for item, item_where in items:
        if isinstance(item, ScalarNode) and item.tag.endswith(":null") and not item.style:
            reader.error(
                item_where,
                "empty hashtag: in YAML '#' starts a comment, so write "
                'hashtags without it (JoinSPD) or in quotes ("#JoinSPD")',
            )
            continue
        value = reader.scalar(item, item_where, "a hashtag")
        if value is None:
            continue
        tag = value.strip().removeprefix("#")
        if not _HASHTAG_RE.match(tag) or tag.isdigit():
            reader.error(
                item_where,
                f"{value!r} is not a hashtag: use letters, digits and _ "
                "only, with no spaces (JoinSPD)",
            )
            continue
        tags.append("#" + tag)
    return Hashtags(tuple(tags), where)


def _hashtag_lost_to_comment(where: Where, reader: Reader) -> bool:
    """``hashtags: #JoinSPD`` reads as no hashtags at all: '#' starts a YAML comment."""
    # The empty value sits on the key's line (libyaml) or where the next field starts.
    for line in (where.line, where.line - 1):
        match = _LOST_HASHTAG_RE.search(reader.source_line(line))
        if match:
            reader.error(
                Where(line, match.start(1) + 1, where.path),
                f"'#' starts a YAML comment, so {match.group(1)} is ignored and there "
                "are no hashtags; write hashtags: [JoinSPD] (without '#')",
            )
            return True
    return False


_LOST_HASHTAG_RE = re.compile(r"^\s*hashtags:\s+(#\S*)")
_NO_LINK = ("false", "none", "no")


def _is_no_link(node) -> bool:
    """``link: false`` / ``none`` / ``no`` / empty: deliberately no link."""
    return isinstance(node, ScalarNode) and (
        (node.tag.endswith(":null") and not node.style) or node.value.strip().lower() in _NO_LINK
    )


def _read_link(node, where, reader) -> str | None:
    """The link, or None for ``link: false`` (post without a link) or a bad address."""
    if _is_no_link(node):
        return None
    return reader.url(node, where, what="a link")


# -- posts ------------------------------------------------------------------------------------


def _read_posts(node, where, reader, campaign, known_platforms) -> list[Post]:
    items = reader.sequence(node, where, "posts")
    if items is None:
        return []
    if not items:
        reader.warning(where, "this campaign has no posts yet")
    if len(items) > MAX_POSTS:
        reader.error(
            where,
            f"this file has {len(items):,} posts; a campaign file may have at "
            f"most {MAX_POSTS:,} (split it into several campaigns)",
        )
        return []
    posts: list[Post] = []
    seen: dict[str, Where] = {}
    for item, item_where in items:
        post = _read_post(item, item_where, reader, campaign, known_platforms)
        if post is None:
            continue
        if post.id in seen:
            reader.error(
                post.id_where,
                f"post id {post.id!r} is already used on line "
                f"{seen[post.id].line}; every post needs its own id",
            )
            continue
        seen[post.id] = post.id_where
        posts.append(post)
    return posts


def _read_post(node, where, reader, campaign: Campaign, known_platforms) -> Post | None:
    keys = COMMON_POST_KEYS + tuple(key for kind in KINDS.values() for key in kind.keys)
    fields = reader.mapping(node, where, keys, ("id", "kind"), what="a post")
    if fields is None:
        return None
    pid = reader.identifier(*fields["id"], what="a post id") if "id" in fields else None
    kind = reader.choice(*fields["kind"], KINDS, "post kind") if "kind" in fields else None
    if kind is not None:
        for key, (_value, key_where) in fields.items():
            owner = next((k.name for k in KINDS.values() if key in k.keys), None)
            if owner is not None and owner != kind:
                reader.error(
                    key_where, f"{key!r} belongs to {owner} posts; this post is kind: {kind}"
                )
    if pid is None or kind is None:
        return None
    platforms = campaign.platforms
    if (entry := lookup(fields, "platforms")) is not None:
        chosen, places = _read_platforms(entry, reader, known_platforms, allow_empty=False)
        for platform in chosen:
            if campaign.platforms and platform not in campaign.platforms:
                reader.error(
                    places[platform],
                    f"{platform} is not one of this campaign's "
                    f"platforms ({', '.join(campaign.platforms)})",
                )
        platforms = tuple(p for p in chosen if p in campaign.platforms)
        if not campaign.platforms:
            platforms = chosen
    post = Post(id=pid, kind=kind, where=where, id_where=fields["id"][1], platforms=platforms)

    _read_words(fields, reader, post)
    if (entry := lookup(fields, "link")) is not None:
        post.link, post.link_set = _read_link(*entry, reader), True
    if (entry := lookup(fields, "media")) is not None:
        post.media = _read_media(*entry, reader, campaign)
        post.media_where = entry[1]
    if (entry := lookup(fields, "partner")) is not None:
        ref = reader.scalar(*entry, what="a partner id")
        if ref is not None:
            if f"partners[{ref}]" in campaign.unreadable:
                pass  # the partner itself is already reported
            elif ref not in campaign.partners:
                hint = did_you_mean(ref, campaign.partners) or (
                    f"; partners: {', '.join(campaign.partners)}"
                    if campaign.partners
                    else "; add it under partners: at the top of the file"
                )
                reader.error(entry[1], f"unknown partner {ref!r}{hint}")
            else:
                post.partner, post.partner_where = ref, entry[1]
    if (entry := lookup(fields, "variants")) is not None:
        post.variants = _read_variants(*entry, reader, campaign, platforms, known_platforms)

    _read_schedule(fields, reader, post)
    spec = KINDS[kind]
    spec.read(fields, where, reader, post)
    if "reminders" in spec.schedules and (entry := lookup(fields, "reminders")) is not None:
        post.reminders_where = entry[1]
        post.reminders = _read_reminders(*entry, reader, campaign, post, known_platforms)
    if spec.default_text is None and post.text is None and "text" not in fields:
        reader.error(where, f"{spec.article} {kind} needs text:")
    if (
        post.at is None
        and post.repeat is None
        and not post.reminders
        and not any(key in fields for key in spec.schedules)
    ):
        keys = [f"{key}:" for key in spec.schedules]
        needs = f"{', '.join(keys[:-1])} or {keys[-1]}"
        reader.error(where, f"this post is never scheduled: give it {needs}")
    post.unreadable = _unreadable(fields, post, campaign)
    return post


def _unreadable(fields, post: Post, campaign: Campaign) -> frozenset[str]:
    """Template fields this post gives whose value could not be read (the reason is already
    reported): texts using them are not rendered, so one mistake makes one diagnostic."""
    # Every kind's template fields: another kind's are not read on this post, so Unset.
    read: dict[str, object] = {"partner": post.partner or Unset}
    for kind in KINDS.values():
        read.update((name, value) for name, value in kind.values(post).items() if name in fields)
    out = {name for name, value in read.items() if name in fields and value is Unset}
    media = fields.get("media")
    if media is not None and not post.media and getattr(media[0], "value", None):
        out.add("media")  # images named but all refused (reported): "needs an image" repeats it
    if "link" in fields:
        if post.link is None and not _is_no_link(fields["link"][0]):
            out.add("link")
    elif "link" in campaign.unreadable and not (post.event and post.event.rsvp):
        out.add("link")
    return frozenset(out)


def _read_template(node, where, reader) -> Located | None:
    source = reader.text(node, where)
    if source is None:
        return None
    try:
        return Located(compile_template(source.strip()), where)
    except TemplateError as exc:
        reader.error(where, str(exc))
        return None


def _read_media(node, where, reader, campaign: Campaign) -> tuple[MediaSpec, ...]:
    if isinstance(node, MappingNode):
        items = [(node, where)]  # a single media item is a list of one
    else:
        items = reader.sequence(node, where, "media")
        if items is None:
            return ()
    out: list[MediaSpec] = []
    for item, item_where in items:
        fields = reader.mapping(
            item, item_where, MEDIA_KEYS, ("file",), what="a media item (file: and alt:)"
        )
        if fields is None or "file" not in fields:
            continue
        written = reader.text(*fields["file"], what="a file name")
        if written is None:
            continue
        path = _media_path(written.strip(), fields["file"][1], reader, campaign)
        if path is None:
            continue
        alt = None
        if "alt" in fields:
            alt = reader.optional_text(*fields["alt"])
        out.append(
            MediaSpec(
                path,
                written.strip(),
                alt.strip() if alt else None,
                fields["file"][1],
                **read_video_fields(fields, reader, campaign),
            )
        )
    return tuple(out)


def read_video_fields(fields, reader: Reader, campaign: Campaign) -> dict:
    """``captions:``, ``cover:``, ``cover_at:`` and ``placement:`` of a media item (videos);
    the files resolve inside the media folder exactly as ``file:`` does."""
    out: dict = {}
    for key in ("captions", "cover"):
        if key not in fields:
            continue
        written = reader.text(*fields[key], what="a file name")
        if written is None:
            continue
        path = _media_path(written.strip(), fields[key][1], reader, campaign)
        if path is not None:
            out[key] = FileRef(path, written.strip(), fields[key][1])
    if "cover_at" in fields:
        out["cover_at"] = _seconds_field(*fields["cover_at"], reader)
    if "burn_captions" in fields:  # Instagram and Mastodon: they take no captions file
        out["burn_captions"] = bool(reader.boolean(*fields["burn_captions"]))
    if "placement" in fields:
        # checked against each platform's placements (its video limits) by the planner
        out["placement"] = {
            platform: (choice.strip(), value_where)
            for platform, value, _key_where, value_where in reader.items(*fields["placement"])
            if (choice := reader.text(value, value_where, "a placement")) is not None
        }
    return out


def _seconds_field(node, where: Where, reader: Reader) -> float | None:
    text = reader.scalar(node, where, "a moment in the video, e.g. 3.5s")
    if text is None:
        return None
    value = text.strip().lower().removesuffix("s").strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not (seconds >= 0 and seconds == seconds):  # also NaN
        reader.error(
            where,
            f"cover_at: {text!r} is not a moment in the video; write seconds "
            "from the start, e.g. 3.5s",
        )
        return None
    return seconds


def _media_path(written: str, where: Where, reader: Reader, campaign: Campaign) -> Path | None:
    """The file ``written`` names, resolved (symbolic links followed); None, with an error,
    when it leaves the media folder: a campaign file must not publish any file on the host."""
    root = campaign.media_root or campaign.path.parent
    if Path(written).is_absolute():
        reader.error(
            where,
            f"{written}: name the image relative to this campaign file "
            f"(e.g. ../media/photo.jpg), not from the top of the disk",
        )
        return None
    try:
        path = (campaign.path.parent / written).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        reader.error(where, f"{written!r} is not a usable file name")
        return None
    if not path.is_relative_to(root):
        reader.error(
            where,
            f"{written} is outside the media folder ({root}); put the image "
            "in that folder and name it from this file",
        )
        return None
    return path


def _read_variants(
    node, where, reader, campaign, platforms, known, keys=VARIANT_KEYS
) -> dict[str, Variant]:
    variants: dict[str, Variant] = {}
    for platform, value, key_where, value_where in reader.items(node, where):
        if platform not in known:
            hint = did_you_mean(platform, known) or f"; known: {', '.join(known)}"
            reader.error(key_where, f"unknown platform {platform!r}{hint}")
            continue
        variant = _read_variant(value, value_where, reader, campaign, keys)
        if variant is None:
            continue
        if platform not in platforms:
            reader.warning(
                key_where,
                f"this post does not go to {platform} "
                f"(platforms: {', '.join(platforms)}); the variant is unused",
            )
            continue
        variants[platform] = variant
    return variants


def _read_variant(node, where, reader, campaign, keys) -> Variant | None:
    if isinstance(node, ScalarNode):
        text = _read_template(node, where, reader)
        return Variant(where, text=text) if text else None
    fields = reader.mapping(node, where, keys, what="a platform variant")
    if fields is None:
        return None
    variant = Variant(where)
    _read_words(fields, reader, variant)
    if (entry := lookup(fields, "media")) is not None:
        variant.media = _read_media(*entry, reader, campaign)
    if (entry := lookup(fields, "link")) is not None:
        variant.link = _read_link(*entry, reader)
        # an unreadable link (already reported) falls back to the post's: no knock-on errors
        variant.link_set = variant.link is not None or _is_no_link(entry[0])
    return variant


def _read_words(fields, reader, target: Post | Variant) -> None:
    """The words of a post, which a platform variant may give again: its text, reminder text,
    hashtags and signature."""
    if (entry := lookup(fields, "text")) is not None:
        target.text = _read_template(*entry, reader)
    if (entry := lookup(fields, "reminder_text")) is not None:
        target.reminder_text = _read_template(*entry, reader)
    if (entry := lookup(fields, "hashtags")) is not None:
        target.hashtags = _read_hashtags(*entry, reader)
    if (entry := lookup(fields, "signature")) is not None:
        target.signature = (reader.optional_text(*entry) or "").strip()


def _read_schedule(fields, reader, post: Post) -> None:
    at_entry, repeat_entry = lookup(fields, "at"), lookup(fields, "repeat")
    if at_entry is not None and repeat_entry is not None:
        reader.error(repeat_entry[1], "give either at: (one time) or repeat: (a rule), not both")
        return
    if at_entry is not None:
        wall = reader.wall_time(*at_entry, what="the posting time")
        if wall is not None:
            post.at = OneOff(wall, at_entry[1])
    if repeat_entry is not None:
        post.repeat = _read_repeat(*repeat_entry, reader)


def _read_repeat(node, where, reader) -> Repeat | None:
    fields = reader.mapping(
        node, where, REPEAT_KEYS, ("rule", "time"), what="repeat (rule: and time:)"
    )
    if fields is None:
        return None
    rule: Rule | None = None
    if (entry := lookup(fields, "rule")) is not None:
        text = reader.text(*entry, what="an RRULE")
        if text is not None:
            checked = check_rule(text)
            if isinstance(checked, str):
                reader.error(entry[1], checked)
            else:
                rule = checked
    when = reader.time_of_day(*fields["time"]) if "time" in fields else None
    start = reader.date(*fields["start"], what="the first day") if "start" in fields else None
    if rule is None or when is None or ("start" in fields and start is None):
        return None
    return Repeat(rule, when, start, where)


def _read_reminders(node, where, reader, campaign, post, known) -> tuple[Reminder, ...]:
    items = reader.sequence(node, where, "reminders (a list like [-7d, -1d, -2h])")
    if items is None:
        return ()
    out: list[Reminder] = []
    seen: dict[str, Where] = {}
    for item, item_where in items:
        offset_node, offset_where, text, variants = item, item_where, None, {}
        if isinstance(item, MappingNode):
            fields = reader.mapping(item, item_where, REMINDER_KEYS, ("offset",), what="a reminder")
            if fields is None or "offset" not in fields:
                continue
            offset_node, offset_where = fields["offset"]
            if (entry := lookup(fields, "text")) is not None:
                text = _read_template(*entry, reader)
            if (entry := lookup(fields, "variants")) is not None:
                variants = _read_variants(
                    *entry, reader, campaign, post.platforms, known, REMINDER_VARIANT_KEYS
                )
        raw = reader.scalar(offset_node, offset_where, "a time before the event (-7d)")
        if raw is None:
            continue
        offset = parse_offset(raw)
        if not isinstance(offset, Offset):
            reader.error(offset_where, offset)
            continue
        if offset.label in seen:
            reader.error(
                offset_where,
                f"there is already a reminder at {offset.label} (line {seen[offset.label].line})",
            )
            continue
        seen[offset.label] = offset_where
        out.append(Reminder(offset, offset_where, text, variants))
    return tuple(out)
