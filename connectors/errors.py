"""Errors every connector raises, whatever the platform said.

The daemon decides what to do from the type alone:

- ``AuthError``: the token is bad or expired; a person must fix settings. Permanent.
  ``MissingPermission`` refines it: the token lacks a named permission.
- ``RateLimited(reset_at)``: the request was refused before it applied; wait until ``reset_at``.
- ``TransientError``: refused before it applied (the platform says so); retry with backoff.
- ``Rejected``: the platform will never accept this content or request as is. Permanent.
- ``DuplicateContent``: the platform says this text was already posted. Permanent.
- ``OutcomeUnknown``: the request may have reached the platform (timeout, 5xx after sending);
  never retry blindly, reconcile with ``find_published`` first.
- ``Held``: the daemon withdrew its go-ahead (``OutgoingPost.go_ahead``: a pause) right before
  the request that would have made the post public; that request was never sent.

Messages never carry tokens; connectors build them from the platform's error text only.
"""

from __future__ import annotations

from datetime import datetime


class ConnectorError(Exception):
    """Base of every connector error. ``platform`` names the platform, ``code`` its error code."""

    def __init__(self, message: str, *, platform: str = "", code: str | int | None = None):
        self.platform = platform
        self.code = code
        self.message = message
        prefix = f"{platform}: " if platform else ""
        suffix = f" (code {code})" if code is not None else ""
        super().__init__(f"{prefix}{message}{suffix}")


class AuthError(ConnectorError):
    """The credentials were refused or have expired."""


class MissingPermission(AuthError):
    """The token works but lacks a permission; ``permissions`` names those the platform asked for.

    A person must grant it (and usually issue a new token); retrying cannot help.
    """

    def __init__(
        self,
        message: str,
        *,
        permissions: tuple[str, ...] = (),
        platform: str = "",
        code: str | int | None = None,
    ):
        self.permissions = permissions
        super().__init__(message, platform=platform, code=code)


class RateLimited(ConnectorError):
    """Too many requests; nothing was applied. Try again at ``reset_at`` (aware UTC)."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        platform: str = "",
        code: str | int | None = None,
    ):
        self.reset_at = reset_at
        super().__init__(message, platform=platform, code=code)


class TransientError(ConnectorError):
    """A temporary failure that provably did not apply; safe to retry after a pause."""


class Rejected(ConnectorError):
    """The platform refuses this content or request permanently (policy, format, blocked)."""


class DuplicateContent(Rejected):
    """The platform says the same content was already posted."""


class OutcomeUnknown(ConnectorError):
    """The request may or may not have applied; reconcile before doing anything else."""


class Held(ConnectorError):
    """Not published, and provably not applied: asked right before the request that makes the
    post public, the daemon said no (a pause arrived). Earlier private steps (an upload, an
    Instagram container) may have happened; nothing is visible."""


class ConnectorUnavailable(ConnectorError):
    """The connector cannot be used here (missing package or settings); says what to do."""
