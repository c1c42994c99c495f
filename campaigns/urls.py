"""Web addresses in campaign files: one check used by every field that holds a link.

A link that a platform would not make clickable, or that cannot even be split into its parts
(``urlsplit`` raises on a stray ``[``), is refused where it is written, with what to change.
The host rules are those of DNS names (RFC 1035 labels: letters, digits and inner hyphens, at
most 63 characters each and 253 in all) or a dotted IPv4 address; a platform's link detector
accepts nothing else.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LABEL_RE = re.compile(r"^[a-z0-9-]+$")
_TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_NUMERIC_HOST_RE = re.compile(r"^[0-9.]+$")
_MAX_HOST = 253
_MAX_LABEL = 63


def url_problem(raw: str) -> str | None:
    """Why ``raw`` is not a web address a platform would link; None when it is one."""
    if not raw:
        return "the web address is empty"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in raw):
        return "a web address cannot contain spaces or line breaks"
    scheme = _SCHEME_RE.match(raw)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        found = f" (found {scheme.group(1)}:)" if scheme else ""
        return f"start the web address with https://{found}"
    rest = raw[scheme.end() :]
    if not rest.startswith("//"):
        return "write the web address as https://site/page (two slashes after the colon)"
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    if "@" in authority:
        return (
            "a user name or password (the part before '@') does not belong in a public link; "
            "remove it"
        )
    if not authority:
        return "the web address has no site name after https://"
    if authority.startswith("["):
        return "platforms do not link bare IP version 6 addresses; use the site's name"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
    except ValueError:
        if "[" in authority or "]" in authority:
            return "square brackets are not allowed in a site name"
        port = authority.rpartition(":")[2]
        return f"{port!r} is not a port number (after the ':' in the site name)"
    return host_problem(parts.hostname or "")


def host_problem(host: str) -> str | None:
    """Why ``host`` (lower case, as ``urlsplit`` gives it) is not a name a platform links."""
    if not host:
        return "the web address has no site name after https://"
    if _NUMERIC_HOST_RE.match(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return f"{host!r} is not a valid IP address (four numbers 0-255)"
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return f"{host!r} is not a valid site name"
    if len(ascii_host) > _MAX_HOST:
        return f"the site name is {len(ascii_host)} characters long; at most {_MAX_HOST} work"
    labels = ascii_host.split(".")
    for label in labels:
        problem = _label_problem(label)
        if problem:
            return f"{host!r} is not a valid site name: {problem}"
    if len(labels) < 2 or not _TLD_RE.match(labels[-1]):
        return f"{host!r} is not a public site name; platforms link full names like www.example.org"
    return None


def _label_problem(label: str) -> str | None:
    if not label:
        return "it has an empty part (two dots in a row, or a dot at an end)"
    if len(label) > _MAX_LABEL:
        return f"a part between dots has {len(label)} characters; at most {_MAX_LABEL} work"
    if "_" in label:
        return "site names cannot contain '_'"
    if not _LABEL_RE.match(label):
        return "use only letters, digits, '-' and '.'"
    if label.startswith("-") or label.endswith("-"):
        return f"a part cannot start or end with '-' ({label!r})"
    return None
