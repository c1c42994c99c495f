"""Keep secrets out of whatever the daemon records or logs about a failure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pydantic import BaseModel, SecretStr

from config import Settings

# Tokens that travel in URLs (Graph API ``access_token``) appear in some library errors.
_URL_SECRET = re.compile(r"(?i)\b(access_token|token|key|secret|password)=[^&\s'\"]+")


def _secrets(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            if secret:
                yield secret
        elif isinstance(value, BaseModel):
            yield from _secrets(value)


def redactor(settings: Settings) -> Callable[[str], str]:
    """A function masking every secret in ``settings`` (and token-like URL parameters)."""
    secrets = sorted(set(_secrets(settings)), key=len, reverse=True)

    def redact(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return _URL_SECRET.sub(lambda m: f"{m.group(1)}=***", text)

    return redact
