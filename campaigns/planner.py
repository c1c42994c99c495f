"""Campaign -> concrete deliveries (post x platform x instant), checking each as it will be
posted: rendered text length, hashtags, media, schedule against the window and consent.

Texts are rendered once per post, platform and text (a weekly post renders once, not once a
week), and length is measured once per distinct text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from campaigns.bounds import MAX_DELIVERIES, MAX_YEAR, size_words
from campaigns.compose import assemble, tag_link
from campaigns.counting import hashtags_in, measure
from campaigns.kinds import KINDS
from campaigns.media import inspect
from campaigns.model import Campaign, Located, MediaSpec, Post, Reminder
from campaigns.options import PlatformRules, ValidationOptions
from campaigns.reader import Reader, Where
from campaigns.templates import (
    Namespace,
    Template,
    TemplateError,
    Unset,
    problems,
    render,
)
from campaigns.timing import day_start_utc, to_utc, wall_times
from campaigns.types import DeliveryPlan, MediaRef
from campaigns.video import check_video


@dataclass(frozen=True)
class Occurrence:
    label: str  # "once", "2027-03-03T12:00" or a reminder offset "-7d"
    at_utc: datetime
    reminder: Reminder | None
    schedule: str  # "at", "repeat" or "reminder"


def plan_campaign(
    campaign: Campaign, reader: Reader, opts: ValidationOptions
) -> list[DeliveryPlan]:
    """All deliveries of ``campaign``; problems go to ``reader``."""
    _check_campaign(campaign, reader, opts)
    out: list[DeliveryPlan] = []
    for post in campaign.posts:
        out.extend(_plan_post(campaign, post, reader, opts))
        if len(out) > MAX_DELIVERIES:
            reader.error(
                campaign.where,
                f"this campaign plans more than {MAX_DELIVERIES:,} "
                f"deliveries (posts x platforms x times; over the "
                f"limit at post {post.id!r}); split it into several "
                "campaigns",
            )
            return []
    _note_unclickable_links(campaign, out, reader, opts)
    return out


def _note_unclickable_links(
    campaign: Campaign, deliveries: list[DeliveryPlan], reader: Reader, opts: ValidationOptions
) -> None:
    """One note per platform that shows links as plain text, naming the posts that carry one."""
    for platform, where in campaign.platform_where.items():
        rules = opts.limits.get(platform)
        if rules is None or rules.clickable_links:
            continue
        posts = list(
            dict.fromkeys(d.post_id for d in deliveries if d.platform == platform and d.link)
        )
        if not posts:
            continue
        named = ", ".join(posts[:5]) + (f" and {len(posts) - 5} more" if len(posts) > 5 else "")
        name = _name(platform, opts)
        reader.note(
            where,
            f"{name} does not make links in captions clickable, so the link in "
            f"{_count(len(posts), 'post')} ({named}) shows there as plain text; "
            f"to leave it out, write link: none under variants: {platform}: "
            "(point people to the link in the profile instead)",
        )


def _check_campaign(campaign: Campaign, reader: Reader, opts: ValidationOptions) -> None:
    _check_connected(campaign, reader, opts)
    if campaign.approved_by is None:
        if opts.require_approval:
            reader.error(
                campaign.where,
                "approved_by is missing, and settings require approval before anything is posted",
            )
        else:
            reader.warning(campaign.where, "no approved_by: say who reviewed this campaign")
    if not opts.media_base_url_set and any("instagram" in p.platforms for p in campaign.posts):
        reader.warning(
            campaign.platform_where["instagram"],
            "Instagram fetches images from a public web address; set "
            "instagram.media_base_url in beatpost.toml before posting there",
        )
    if not opts.media_base_url_set and any(_threads_images(p) for p in campaign.posts):
        reader.warning(
            campaign.platform_where["threads"],
            "Threads fetches images and videos from a public web address (Instagram's); set "
            "instagram.media_base_url in beatpost.toml before posting them there",
        )


def _threads_images(post: Post) -> bool:
    variant = post.variants.get("threads")
    return "threads" in post.platforms and bool(post.media or (variant and variant.media))


def _check_connected(campaign: Campaign, reader: Reader, opts: ValidationOptions) -> None:
    """A platform beatpost knows the limits of but cannot post to fails at posting time: say so
    now, where the platform is named."""
    if opts.connected is None:
        opts = replace(opts, connected=frozenset(opts.limits))
    can_post = ", ".join(p for p in opts.limits if p in opts.connected)
    for platform, where in campaign.platform_where.items():
        if platform not in opts.connected:
            name = _name(platform, opts)
            reader.error(
                where,
                f"beatpost cannot post to {name} yet (no connector "
                f"for {platform!r}); it can post to: {can_post}",
            )
        elif platform in opts.disabled:
            reader.warning(
                where,
                f"{_name(platform, opts)} is switched off in settings "
                f"({platform}.enabled = false): its posts are skipped when due",
            )


def _name(platform: str, opts: ValidationOptions) -> str:
    """The platform's display name (``opts.platform_names``, from the platform table)."""
    return opts.platform_names.get(platform) or platform.capitalize()


# -- schedule -----------------------------------------------------------------------------------


def _window_bounds(campaign: Campaign) -> tuple[datetime, datetime | None]:
    start = datetime.combine(campaign.window_start, time(0, 0))
    end = None
    if campaign.window_end is not None:
        end = datetime.combine(campaign.window_end, time(23, 59, 59))
    return start, end


def _in_window(campaign: Campaign, day: date) -> str | None:
    if day < campaign.window_start:
        return f"before the campaign window starts ({campaign.window_start})"
    if campaign.window_end is not None and day > campaign.window_end:
        return f"after the campaign window ends ({campaign.window_end})"
    return None


def _occurrences(
    campaign: Campaign, post: Post, reader: Reader, opts: ValidationOptions
) -> list[Occurrence]:
    if not campaign.window_known:
        return []
    tz = campaign.tz
    event = post.event
    out: list[Occurrence] = []
    if post.at is not None:
        wall = post.at.wall
        outside = _in_window(campaign, wall.date())
        if outside:
            reader.error(post.at.where, f"{wall:%Y-%m-%d %H:%M} is {outside}")
        elif event is not None and wall >= event.starts:
            reader.error(
                post.at.where,
                f"{wall:%Y-%m-%d %H:%M} is not before the event starts "
                f"({event.starts:%Y-%m-%d %H:%M})",
            )
        else:
            out.append(Occurrence("once", to_utc(wall, tz), None, "at"))
    if post.repeat is not None:
        out.extend(_repeat_occurrences(campaign, post, reader, opts))
    if post.reminders and event is not None:
        for reminder in post.reminders:
            at_utc = reminder.offset.before(event.starts, tz)
            local = at_utc.astimezone(tz)
            outside = _in_window(campaign, local.date())
            if outside:
                reader.error(
                    reminder.where,
                    f"the {reminder.offset.label} reminder would go out "
                    f"on {local:%Y-%m-%d %H:%M}, {outside}",
                )
                continue
            out.append(Occurrence(reminder.offset.label, at_utc, reminder, "reminder"))
    return out


def _repeat_occurrences(
    campaign: Campaign, post: Post, reader: Reader, opts: ValidationOptions
) -> list[Occurrence]:
    repeat = post.repeat
    assert repeat is not None
    window_start, window_end = _window_bounds(campaign)
    if not repeat.rule.bounded and window_end is None:
        reader.error(
            repeat.where,
            "this repeat never ends: add UNTIL=YYYYMMDD or COUNT=n to "
            "the rule, or an end: to the campaign window",
        )
        return []
    dtstart = datetime.combine(repeat.start or campaign.window_start, repeat.time)
    until = window_end or datetime(MAX_YEAR, 12, 31, 23, 59, 59)
    if post.event is not None:
        # announcements of an event stop once it has started
        before_event = post.event.starts - timedelta(seconds=1)
        until = min(until, before_event)
    limit = opts.max_occurrences_per_post
    walls = [w for w in wall_times(repeat.rule, dtstart, until, limit) if w >= window_start]
    if len(walls) > limit:
        reader.error(
            repeat.where,
            f"this repeat produces more than {limit} posts; check FREQ and UNTIL/COUNT",
        )
        return []
    if not walls:
        reader.warning(repeat.where, "this repeat produces no posts inside the campaign window")
    return [
        Occurrence(w.isoformat(timespec="minutes"), to_utc(w, campaign.tz), None, "repeat")
        for w in walls
    ]


def _apply_consent_and_clock(
    campaign: Campaign,
    post: Post,
    occurrences: list[Occurrence],
    reader: Reader,
    opts: ValidationOptions,
) -> list[Occurrence]:
    if post.consent_expires is not None:
        cutoff = day_start_utc(post.consent_expires, campaign.tz)
        late = [o for o in occurrences if o.at_utc >= cutoff]
        if late and len(late) == len(occurrences):
            first = late[0].at_utc.astimezone(campaign.tz)
            every = "the scheduled post" if len(late) == 1 else f"all {len(late)} scheduled posts"
            reader.error(
                post.consent_where or post.where,
                f"consent expires {post.consent_expires}, before {every} (from "
                f"{first:%Y-%m-%d %H:%M}): this testimonial can never be posted; "
                "renew the officer's consent (consent_expires:) or move the post earlier",
            )
            return []
        if late:
            first = late[0].at_utc.astimezone(campaign.tz)
            reader.warning(
                post.consent_where or post.where,
                f"consent expires {post.consent_expires}, before "
                f"{_count(len(late), 'scheduled post')} (from {first:%Y-%m-%d %H:%M}); "
                "they will not be posted",
            )
            occurrences = [o for o in occurrences if o.at_utc < cutoff]
    if opts.now is not None:
        past = [o for o in occurrences if o.at_utc < opts.now]
        if past:
            reader.warning(
                post.where,
                f"{_count(len(past), 'scheduled time')} of this post "
                "already passed; they will not be posted",
            )
    return occurrences


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


# -- rendering ----------------------------------------------------------------------------------


def _values(campaign: Campaign, post: Post, platform: str, link: str | None) -> dict[str, object]:
    partners = {
        pid: Namespace(
            "partner",
            {"name": p.name, "link": p.link or Unset, "handle": p.mention(platform)},
            own=p.mention(platform),
        )
        for pid, p in campaign.partners.items()
    }
    values: dict[str, object] = {
        "campaign": Namespace("campaign", {"id": campaign.id, "name": campaign.name}),
        "link": link or Unset,
        "partner": partners.get(post.partner, Unset) if post.partner else Unset,
        "partners": Namespace("partners", partners),
    }
    values.update(KINDS[post.kind].values(post))
    return values


@dataclass
class _Text:
    """One rendered text for one platform, or None when it could not be rendered."""

    text: str | None
    where: Where


class _PostRenderer:
    """Renders and checks one post's texts per platform, each distinct text once."""

    def __init__(self, campaign: Campaign, post: Post, reader: Reader, opts: ValidationOptions):
        self.campaign = campaign
        self.post = post
        self.reader = reader
        self.opts = opts
        self._cache: dict[tuple[str, str | None], _Text] = {}
        self._values: dict[str, dict[str, object]] = {}
        self._links: dict[str, str | None] = {}

    def link(self, platform: str) -> str | None:
        if platform not in self._links:
            post, campaign = self.post, self.campaign
            variant = post.variants.get(platform)
            if variant is not None and variant.link_set:
                base = variant.link
            elif post.link_set:
                base = post.link
            elif post.event is not None and post.event.rsvp:
                base = post.event.rsvp
            else:
                base = campaign.link
            self._links[platform] = tag_link(base, platform, campaign.id, post.id) if base else None
        return self._links[platform]

    def values(self, platform: str) -> dict[str, object]:
        if platform not in self._values:
            self._values[platform] = _values(
                self.campaign, self.post, platform, self.link(platform)
            )
        return self._values[platform]

    def main_template(self, platform: str) -> Located | None:
        post = self.post
        variant = post.variants.get(platform)
        if variant is not None and variant.text is not None:
            return variant.text
        if post.text is not None:
            return post.text
        default = KINDS[post.kind].default_text
        return Located(default, post.where) if default is not None else None

    def reminder_template(self, platform: str, reminder: Reminder) -> Located:
        post = self.post
        own = reminder.variants.get(platform)
        variant = post.variants.get(platform)
        for candidate in (
            own.text if own else None,
            reminder.text,
            variant.reminder_text if variant else None,
            post.reminder_text,
        ):
            if candidate is not None:
                return candidate
        default = KINDS[post.kind].default_reminder
        assert default is not None, "only a kind with a default reminder has reminders"
        return Located(default, reminder.where)

    def text(self, platform: str, reminder: Reminder | None) -> _Text:
        key = (platform, reminder.offset.label if reminder else None)
        if key not in self._cache:
            self._cache[key] = self._render(platform, reminder)
        return self._cache[key]

    def _render(self, platform: str, reminder: Reminder | None) -> _Text:
        post, campaign = self.post, self.campaign
        located = (
            self.reminder_template(platform, reminder) if reminder else self.main_template(platform)
        )
        if located is None:
            return _Text(None, post.where)
        template: Template = located.template
        if _uses_unreadable(template, post, campaign):
            return _Text(None, located.where)  # the unreadable value is already reported
        values = self.values(platform)
        if reminder is not None:
            values = dict(values)
            values["reminder"] = Namespace(
                "reminder", {"when": reminder.offset.when, "offset": reminder.offset.label}
            )
        elif template.uses("reminder"):
            self.reader.error(
                located.where,
                "{reminder...} fields can only be used in "
                "reminder texts (reminder_text: or reminders:)",
            )
            return _Text(None, located.where)
        try:
            body = render(template, values)
        except TemplateError:
            for problem in problems(template, values):
                self.reader.error(located.where, problem)
            return _Text(None, located.where)
        variant = post.variants.get(platform)
        tags = next(
            (
                h
                for h in (variant.hashtags if variant else None, post.hashtags, campaign.hashtags)
                if h is not None
            ),
            None,
        )
        signature = next(
            (s for s in (variant.signature if variant else None, post.signature) if s is not None),
            campaign.signature,
        )
        link = self.link(platform)
        text = assemble(body, link, template.uses("link"), signature, tags.tags if tags else ())
        self._check_text(platform, text, located.where, reminder)
        return _Text(text, located.where)

    def _name(self, platform: str) -> str:
        return _name(platform, self.opts)

    def _check_text(
        self, platform: str, text: str, where: Where, reminder: Reminder | None
    ) -> None:
        rules = self.opts.limits[platform]
        which = f" (the {reminder.offset.label} reminder)" if reminder else ""
        length = measure(text, rules.length_rule, rules.url_length)
        if length.count > rules.max_length:
            over = length.count - rules.max_length
            self.reader.error(
                where,
                f"{self._name(platform)} counts {length.count} characters"
                f"{which}, {over} over its limit of {rules.max_length} "
                "(after hashtags, signature and link)",
            )
        if not length.valid_characters:
            self.reader.error(
                where,
                f"{self._name(platform)} refuses a character in this text"
                f"{which} (a control or unassigned character)",
            )
        if not text.strip():
            self.reader.error(where, f"the text for {self._name(platform)}{which} is empty")
        if rules.max_hashtags is not None:
            count = len(hashtags_in(text))
            if count > rules.max_hashtags:
                self.reader.error(
                    where,
                    f"{self._name(platform)} allows at most "
                    f"{rules.max_hashtags} hashtags; this text{which} has "
                    f"{count}",
                )

    def media(self, platform: str) -> tuple[MediaSpec, ...]:
        variant = self.post.variants.get(platform)
        if variant is not None and variant.media is not None:
            return variant.media
        return self.post.media


def _uses_unreadable(template: Template, post: Post, campaign: Campaign) -> bool:
    """True when ``template`` uses a value given in the file but unreadable (reported once)."""
    if any(template.uses(name) for name in post.unreadable):
        return True
    return any(
        f.path[0] == "partners"
        and len(f.path) > 1
        and f"partners[{f.path[1]}]" in campaign.unreadable
        for f in template.fields
    )


def _check_media(
    post: Post,
    platform: str,
    media: tuple[MediaSpec, ...],
    reader: Reader,
    rules: PlatformRules,
    checked: set[tuple[str, str]],
    name: str,
) -> tuple[MediaRef, ...]:
    """Check ``media`` for ``platform``; returns the refs (also when there are problems).

    ``checked`` holds (platform, path) pairs already checked for this post, and ("", path)
    for the checks that do not depend on the platform (existence, alt text, GPS).
    """
    if rules.requires_media and not media and "media" not in post.unreadable:
        reader.error(
            post.media_where or post.where,
            f"{name} needs at least one image: add media: (file: and alt:) or leave "
            f"{platform} out of this post's platforms",
        )
    images = 0
    refs: list[MediaRef] = []
    for spec in media:
        info = inspect(spec.path)
        first_time = ("", str(spec.path)) not in checked
        checked.add(("", str(spec.path)))
        if info.problem is None and info.mime_type.startswith("video/"):
            refs.append(
                check_video(
                    spec,
                    post.id,
                    platform,
                    rules,
                    reader,
                    first_time,
                    seen=(platform, str(spec.path)) in checked,
                )
            )
            checked.add((platform, str(spec.path)))
            continue
        refs.append(MediaRef(spec.path, spec.alt or "", info.mime_type))
        if info.problem is not None:
            if first_time:
                reader.error(spec.where, f"{spec.written}: {info.problem}")
            continue
        if first_time:
            if not spec.alt:
                reader.error(
                    spec.where,
                    f"{spec.written}: alt text is missing; add alt: "
                    "describing the image for people using screen readers",
                )
            if info.has_gps:
                reader.warning(
                    spec.where,
                    f"{spec.written} carries a GPS position in its "
                    "metadata, which tells anyone where it was taken; "
                    "remove it (e.g. exiftool -gps:all= FILE)",
                )
        if (platform, str(spec.path)) in checked:
            continue
        checked.add((platform, str(spec.path)))
        accepted = rules.image_types + rules.video_types
        if info.mime_type not in accepted:
            reader.error(
                spec.where,
                f"{spec.written}: {name} does not accept {info.mime_type} "
                f"(accepts {', '.join(accepted)})",
            )
            continue
        if info.is_image:
            images += 1
            if info.size > rules.max_image_bytes:
                _over_size(spec, info.size, name, rules, reader)
            ratio = info.aspect_ratio
            low, high = rules.min_aspect_ratio, rules.max_aspect_ratio
            if ratio is not None and (
                (low and ratio < low - 1e-3) or (high and ratio > high + 1e-3)
            ):
                reader.error(
                    spec.where,
                    f"{spec.written}: {name} needs a width:height ratio "
                    f"between {low or 0:.2f} and {high or 0:.2f} "
                    f"(4:5 to 1.91:1); this image is {info.width}x"
                    f"{info.height} ({ratio:.2f})",
                )
        if spec.alt and rules.max_alt_text and len(spec.alt) > rules.max_alt_text:
            reader.error(
                spec.where,
                f"{spec.written}: alt text is {len(spec.alt)} characters; "
                f"{name} allows {rules.max_alt_text}",
            )
    if len(media) > 1 and any(ref.mime_type.startswith("video/") for ref in refs):
        reader.error(
            post.media_where or post.where,
            f"a video goes out alone: {name} posts one video and nothing else; "
            "put the other media in a post of their own",
        )
    elif len(media) > rules.max_images:
        reader.error(
            post.media_where or post.where,
            f"{name} takes at most {rules.max_images} images per post; this post has {len(media)}",
        )
    return tuple(refs)


def _over_size(spec: MediaSpec, size: int, name: str, rules: PlatformRules, reader: Reader) -> None:
    """Uploads are re-encoded to fit when posting (connectors/media.py); a platform that
    downloads the file from the department's server gets it as it is."""
    limit = size_words(rules.max_image_bytes)
    over = f"{spec.written}: {size_words(size)} is over {name}'s {limit} limit"
    if rules.fetches_media_by_url:
        reader.error(
            spec.where,
            f"{over}; {name} downloads the file as it is hosted, so "
            "beatpost cannot shrink it: save a smaller copy (e.g. JPEG "
            "quality 85, at most 1080 pixels wide)",
        )
    else:
        reader.note(
            spec.where,
            f"{over}; beatpost re-encodes it to fit when posting (lower "
            "quality first, then fewer pixels)",
        )


def _plan_post(
    campaign: Campaign, post: Post, reader: Reader, opts: ValidationOptions
) -> list[DeliveryPlan]:
    occurrences = _occurrences(campaign, post, reader, opts)
    occurrences = _apply_consent_and_clock(campaign, post, occurrences, reader, opts)
    renderer = _PostRenderer(campaign, post, reader, opts)
    checked: set[tuple[str, str]] = set()
    cancelled = post.event is not None and post.event.cancelled
    deliveries: list[DeliveryPlan] = []
    explicit_text = post.text is not None or any(v.text for v in post.variants.values())
    for platform in post.platforms:
        media = _check_media(
            post,
            platform,
            renderer.media(platform),
            reader,
            opts.limits[platform],
            checked,
            _name(platform, opts),
        )
        # Check texts even when no occurrence uses them (yet): every problem in one run.
        if explicit_text and not any(o.reminder is None for o in occurrences):
            renderer.text(platform, None)
        for reminder in post.reminders:
            renderer.text(platform, reminder)
        for occurrence in occurrences:
            rendered = renderer.text(platform, occurrence.reminder)
            if rendered.text is None or cancelled:
                continue
            extras = {"schedule": occurrence.schedule}
            if post.event is not None:
                extras["event"] = post.event.name
            deliveries.append(
                DeliveryPlan(
                    key=f"{campaign.id}/{post.id}/{platform}/{occurrence.label}",
                    campaign_id=campaign.id,
                    campaign_name=campaign.name,
                    post_id=post.id,
                    kind=post.kind,
                    platform=platform,
                    occurrence=occurrence.label,
                    at_utc=occurrence.at_utc,
                    timezone=campaign.timezone,
                    text=rendered.text,
                    media=media,
                    link=renderer.link(platform),
                    # The partner's name, not its file-local id: reports group and show it.
                    partner=campaign.partners[post.partner].name if post.partner else None,
                    approved_by=campaign.approved_by,
                    source_file=campaign.file,
                    source_line=post.where.line,
                    extras=extras,
                )
            )
    return deliveries
