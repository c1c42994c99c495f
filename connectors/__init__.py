"""Platform connectors. ``create(name, settings)`` builds one by name.

Each connector module is imported only when asked for, so a missing optional package disables
that platform alone with a message naming what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from connectors.base import (
    Comment,
    Connector,
    MediaFile,
    MetricSnapshot,
    OutgoingPost,
    PlatformLimits,
    Published,
)
from connectors.errors import ConnectorUnavailable
from connectors.limits import LIMITS, PLATFORMS, limits_for

if TYPE_CHECKING:
    from config import Settings

# platform name -> "module:Class"
REGISTRY: dict[str, str] = {
    "x": "connectors.x:XConnector",
    "facebook": "connectors.facebook:FacebookConnector",
    "instagram": "connectors.instagram:InstagramConnector",
}


def create(name: str, settings: Settings) -> Connector:
    """Build the connector for platform ``name`` from ``settings``.

    ``settings.connector_classes`` may name another ``module:Class`` for a platform (a
    scripted connector in tests, a site's own); it wins over the built-in registry.
    """
    try:
        target = settings.connector_classes.get(name) or REGISTRY[name]
    except KeyError:
        raise ConnectorUnavailable(
            f"no connector for platform {name!r}; available: {', '.join(REGISTRY)}"
        ) from None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConnectorUnavailable(
            f"the {name} connector needs the package {exc.name!r}: pip install {exc.name}",
            platform=name,
        ) from None
    return getattr(module, class_name).from_settings(settings)


__all__ = [
    "Comment",
    "Connector",
    "LIMITS",
    "MediaFile",
    "MetricSnapshot",
    "OutgoingPost",
    "PLATFORMS",
    "PlatformLimits",
    "Published",
    "REGISTRY",
    "create",
    "limits_for",
]
