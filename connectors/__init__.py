"""Platform connectors. ``create(name, settings)`` builds one by name, from its row of the
platform table (``connectors.platforms``).

Each connector module is imported only when asked for, so a missing optional package disables
that platform alone with a message naming what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from connectors.base import (
    Capabilities,
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
from connectors.platforms import DISPLAY_NAMES, REGISTRY, TABLE, Platform, display_name

if TYPE_CHECKING:
    from config import Settings
    from connectors.base import Clock, Sleep


def create(
    name: str,
    settings: Settings,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> Connector:
    """Build the connector for platform ``name`` from ``settings``.

    ``clock`` (aware UTC now) and ``sleep`` replace the wall clock and ``time.sleep`` (the
    rehearsal runs connectors on the sandbox's simulated clock); a connector's
    ``from_settings`` receives them only when given. ``settings.connector_classes`` may name
    another ``module:Class`` for a platform (a scripted connector in tests, a site's own); it
    wins over the built-in registry.
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
    timing: dict[str, Any] = {}
    if clock is not None:
        timing["clock"] = clock
    if sleep is not None:
        timing["sleep"] = sleep
    return getattr(module, class_name).from_settings(settings, **timing)


__all__ = [
    "Capabilities",
    "Comment",
    "DISPLAY_NAMES",
    "Connector",
    "LIMITS",
    "MediaFile",
    "MetricSnapshot",
    "OutgoingPost",
    "PLATFORMS",
    "Platform",
    "PlatformLimits",
    "Published",
    "REGISTRY",
    "TABLE",
    "create",
    "display_name",
    "limits_for",
]
