"""Attribution: which campaign, post, platform and partner an application or visit came from.

Last touch by UTM, then the free-text answer:

1. The referral URL's ``utm_*`` tags, as beatpost writes them (``utm_source`` = platform or
   partner, ``utm_campaign`` = campaign id, ``utm_content`` = post id). They count when they
   name one of our campaigns or posts, a known partner, or a known platform.
2. Otherwise the "how did you hear about us?" answer: a partner's name (with or without a
   generic word like "School" or "Church"), id or handle, and platform names and their
   everyday forms ("IG", "insta", "FB", "Twitter").
3. Otherwise unattributed (``method = "none"``).

Pure: the caller passes a ``Directory`` of what is known (campaigns, posts, partners).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# PostRef: a post the ledger knows (campaign id, post id, kind, partner), as the store gives it.
from store.outcomes import Attributed as Attribution
from store.outcomes import PostKey as PostRef

# Everyday names of platforms -> the platform's name in beatpost (only known ones are used).
PLATFORM_WORDS: dict[str, str] = {
    "x": "x",
    "twitter": "x",
    "tweet": "x",
    "tweets": "x",
    "x.com": "x",
    "t.co": "x",
    "facebook": "facebook",
    "fb": "facebook",
    "face book": "facebook",
    "meta": "facebook",
    "instagram": "instagram",
    "ig": "instagram",
    "insta": "instagram",
    "insta gram": "instagram",
    "mastodon": "mastodon",
    "sandbox": "sandbox",
}
# In a free-text answer a lone "x" is too easily something else ("x-ray", "Malcolm X").
_RISKY_IN_ANSWERS = frozenset({"x", "meta", "sandbox"})
# Words that a partner's name may carry and people leave out ("Lincoln High" for
# "Lincoln High School").
GENERIC_WORDS = frozenset(
    {
        "school",
        "church",
        "center",
        "centre",
        "inc",
        "llc",
        "association",
        "club",
        "college",
        "university",
        "foundation",
        "the",
        "of",
        "co",
        "company",
        "ministries",
        "academy",
    }
)
METHODS = ("utm", "answer", "none")


def normalize(text: str) -> str:
    """Lower case, punctuation to spaces (keeping dots inside words), single spaces."""
    text = re.sub(r"[^\w.@]+", " ", text.lower())
    text = re.sub(r"(?<!\w)\.|\.(?!\w)", " ", text)
    return " ".join(text.replace("@", " ").replace("_", " ").split())


@dataclass(frozen=True)
class PartnerRef:
    """A partner as the campaign files name it."""

    name: str
    id: str = ""
    handles: tuple[str, ...] = ()
    campaign_id: str | None = None

    def aliases(self) -> set[str]:
        found = {normalize(self.name), normalize(self.id)}
        found |= {normalize(h) for h in self.handles}
        words = normalize(self.name).split()
        core = [w for w in words if w not in GENERIC_WORDS]
        if core != words and (len(core) >= 2 or (core and len(core[0]) >= 6)):
            found.add(" ".join(core))
        return {a for a in found if a}


@dataclass
class Directory:
    """What attribution can recognise: platforms, campaigns, posts and partners."""

    platforms: tuple[str, ...]
    posts: Iterable[PostRef] = ()
    partners: Iterable[PartnerRef] = ()
    _posts: dict[tuple[str, str], PostRef] = field(init=False, repr=False)
    _by_post: dict[str, PostRef] = field(init=False, repr=False)
    _campaigns: set[str] = field(init=False, repr=False)
    _partner_alias: dict[str, list[PartnerRef]] = field(init=False, repr=False)
    _platform_alias: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        posts = list(self.posts)
        self._posts = {(p.campaign_id, p.post_id): p for p in posts}
        # Post ids are unique across campaign files, so a post id alone names its campaign.
        self._by_post = {p.post_id: p for p in posts}
        self._campaigns = {p.campaign_id for p in posts}
        self._partner_alias = {}
        for partner in self.partners:
            self._campaigns.update([partner.campaign_id] if partner.campaign_id else [])
            for alias in partner.aliases():
                self._partner_alias.setdefault(alias, []).append(partner)
        self._platform_alias = {
            word: name for word, name in PLATFORM_WORDS.items() if name in self.platforms
        }
        self._platform_alias.update({normalize(p): p for p in self.platforms})

    def platform(self, value: str) -> str | None:
        return self._platform_alias.get(normalize(value))

    def partner(self, value: str) -> PartnerRef | None:
        refs = self._partner_alias.get(normalize(value))
        return refs[0] if refs else None

    def post(self, campaign_id: str | None, post_id: str | None) -> PostRef | None:
        if not post_id:
            return None
        if campaign_id:
            return self._posts.get((campaign_id, post_id))
        return self._by_post.get(post_id)

    def knows_campaign(self, campaign_id: str | None) -> bool:
        return bool(campaign_id) and campaign_id in self._campaigns

    def partners_in(self, answer: str) -> list[PartnerRef]:
        """Partners the answer names, the longest mention first."""
        text = f" {normalize(answer)} "
        hits = [a for a in self._partner_alias if f" {a} " in text]
        hits.sort(key=len, reverse=True)
        return [ref for alias in hits for ref in self._partner_alias[alias]]

    def platform_in(self, answer: str) -> str | None:
        text = normalize(answer)
        if text in self._platform_alias:  # the whole answer, even "X"
            return self._platform_alias[text]
        padded = f" {text} "
        for word, name in sorted(self._platform_alias.items(), key=lambda kv: -len(kv[0])):
            if word not in _RISKY_IN_ANSWERS and f" {word} " in padded:
                return name
        return None


NONE = Attribution()


def attribute(
    directory: Directory,
    *,
    utm_source: str | None = None,
    utm_campaign: str | None = None,
    utm_content: str | None = None,
    answer: str | None = None,
) -> Attribution:
    """Last touch by UTM, then the free-text answer (module docstring)."""
    by_utm = _by_utm(directory, utm_source, utm_campaign, utm_content)
    if by_utm is not None:
        return by_utm
    if answer:
        return _by_answer(directory, answer)
    return NONE


def _by_utm(
    directory: Directory, source: str | None, campaign: str | None, content: str | None
) -> Attribution | None:
    platform = directory.platform(source) if source else None
    partner_ref = directory.partner(source) if source and platform is None else None
    post = directory.post(campaign, content)
    campaign_known = directory.knows_campaign(campaign)
    if not (post or campaign_known or platform or partner_ref):
        return None  # tags of someone else's campaign (or none): not ours to credit
    partner = partner_ref.name if partner_ref else (post.partner if post else None)
    return Attribution(
        campaign_id=post.campaign_id if post else (campaign or None),
        post_id=post.post_id if post else (content or None),
        kind=post.kind if post else None,
        platform=platform,
        partner=partner,
        method="utm",
    )


def _by_answer(directory: Directory, answer: str) -> Attribution:
    partners = directory.partners_in(answer)
    platform = directory.platform_in(answer)
    if not partners and platform is None:
        return NONE
    partner = partners[0] if partners else None
    campaigns = {p.campaign_id for p in partners if p.name == partner.name} if partner else set()
    campaign = next(iter(campaigns)) if len(campaigns) == 1 else None
    return Attribution(
        campaign_id=campaign,
        platform=platform,
        partner=partner.name if partner else None,
        method="answer",
    )
