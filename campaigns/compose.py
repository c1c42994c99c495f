"""Assemble the text that is posted: body, tagged link, signature, hashtags."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from campaigns.counting import hashtags_in

UTM_MEDIUM = "social"
PARTNER_MEDIUM = "partner"  # links a partner shares (partner kits)


@lru_cache(maxsize=4096)
def tag_link(
    url: str, platform: str, campaign_id: str, post_id: str, medium: str = UTM_MEDIUM
) -> str:
    """``url`` with UTM tags naming the platform (the source), campaign and post.

    Tags the PIO already wrote into the link win, so a hand-made campaign name is kept.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = [
        ("utm_source", platform),
        ("utm_medium", medium),
        ("utm_campaign", campaign_id),
        ("utm_content", post_id),
    ]
    query += [(key, value) for key, value in wanted if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def partner_link(url: str, partner_id: str, campaign_id: str, post_id: str) -> str:
    """``url`` (a planned delivery's link) re-tagged for a partner to share on its own.

    The source and medium name the partner (``utm_source=<partner id>``,
    ``utm_medium=partner``), whatever they said before; the campaign and post tags stay as
    ``tag_link`` made them, so visits from a partner's share are counted for the same post.
    """
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("utm_source", "utm_medium")
    ]
    bare = urlunsplit(parts._replace(query=urlencode(query)))
    return tag_link(bare, partner_id, campaign_id, post_id, PARTNER_MEDIUM)


def assemble(
    body: str,
    link: str | None,
    link_in_body: bool,
    signature: str,
    hashtags: tuple[str, ...],
) -> str:
    """Body, then a blank line, then the link, signature and hashtags, one per line.

    Hashtags already written in the body are not repeated.
    """
    body = body.strip()
    tail: list[str] = []
    if link and not link_in_body:
        tail.append(link)
    if signature:
        tail.append(signature)
    present = {tag.lower() for tag in hashtags_in(body)}
    extra = [tag for tag in hashtags if tag.lower() not in present]
    if extra:
        tail.append(" ".join(extra))
    if not tail:
        return body
    return body + "\n\n" + "\n".join(tail)
