"""Assemble the text that is posted: body, tagged link, signature, hashtags."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from campaigns.counting import hashtags_in

UTM_MEDIUM = "social"


@lru_cache(maxsize=4096)
def tag_link(url: str, platform: str, campaign_id: str, post_id: str) -> str:
    """``url`` with UTM tags naming the platform, campaign and post.

    Tags the PIO already wrote into the link win, so a hand-made campaign name is kept.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = [
        ("utm_source", platform),
        ("utm_medium", UTM_MEDIUM),
        ("utm_campaign", campaign_id),
        ("utm_content", post_id),
    ]
    query += [(key, value) for key, value in wanted if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


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
