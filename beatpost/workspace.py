"""A department's workspace: ``beatpost.toml``, ``secrets.toml``, ``campaigns/``, ``media/``.

``beatpost init DIR`` creates one; ``beatpost demo`` creates a throwaway one the same way, so the
rehearsal runs on exactly what a new department starts from.

The settings point every platform at the local sandbox (``beatpost sandbox``) with its
fictional accounts until real ones are filled in. Credentials never go in ``beatpost.toml``:
they live in ``secrets.toml`` (created readable by its owner alone, and refused by beatpost if
it becomes readable by others) or in ``BEATPOST_*`` environment variables.

Images live in one ``media/`` folder; campaign files name them as ``../media/<file>``. These
originals are never published: for Instagram, which fetches images from the web, beatpost writes
metadata-free copies into ``public-media/`` (``instagram.publish_dir``), the folder the department
publishes on its web server.

``init`` puts the example campaign in ``campaigns/examples/``, which the loader skips: it is
never posted unless a person moves it into ``campaigns/``. The demo's throwaway workspace
has it in ``campaigns/`` itself, live.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from connectors.platforms import TABLE
from connectors.sandbox import SANDBOX_TOKEN, settings_overrides

#: The example campaign shipped with beatpost (and its images, under ``media/``).
EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "campaigns" / "examples"
#: Where ``beatpost sandbox`` listens by default (settings ``sandbox.host`` / ``sandbox.port``).
REHEARSAL_URL = "http://127.0.0.1:8787"

CONFIG_NAME = "beatpost.toml"
SECRETS_NAME = "secrets.toml"
#: The example's department and zone: what the demo rehearses.
EXAMPLE_DEPARTMENT = "Springfield Police Department"
EXAMPLE_TIMEZONE = "America/Chicago"
MAX_DEPARTMENT = 80  # the digest's subject shows this many characters


class WorkspaceError(Exception):
    """The workspace cannot be created as asked; the message says what to do."""


class Workspace:
    """A workspace folder and the places beatpost keeps in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / CONFIG_NAME
        self.secrets = root / SECRETS_NAME
        self.campaigns = root / "campaigns"
        self.media = root / "media"
        self.data = root / ".beatpost"
        self.examples = self.campaigns / "examples"

    def __repr__(self) -> str:
        return f"Workspace({self.root!r})"


def check_department(name: str) -> str:
    """The department's name, trimmed; WorkspaceError naming --department when unusable."""
    name = " ".join(name.split())
    if not name:
        raise WorkspaceError(
            '--department: give the department\'s name, e.g. "Riverton Police Department"'
        )
    if len(name) > MAX_DEPARTMENT:
        raise WorkspaceError(
            f"--department: at most {MAX_DEPARTMENT} characters "
            f"(got {len(name)}); the digest's subject shows it"
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise WorkspaceError("--department: the name holds control characters")
    return name


def check_timezone(zone: str) -> str:
    """An IANA time zone name such as America/Chicago; WorkspaceError naming --timezone."""
    zone = zone.strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(
            zone.replace(" ", "_"), sorted(available_timezones()), n=3, cutoff=0.75
        )
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise WorkspaceError(
            f"--timezone: {zone!r} is not an IANA time zone name such as America/Chicago or "
            f"America/New_York{hint}"
        ) from None
    if "/" not in zone and zone != "UTC":
        raise WorkspaceError(
            f"--timezone: give a region name such as America/Chicago, not "
            f"{zone!r} (an abbreviation does not follow daylight saving time)"
        )
    return zone


def settings_toml(
    sandbox_url: str = REHEARSAL_URL,
    *,
    secrets_file: str | None = SECRETS_NAME,
    department: str = EXAMPLE_DEPARTMENT,
    timezone: str = EXAMPLE_TIMEZONE,
) -> str:
    """The commented ``beatpost.toml`` of a new workspace, every platform at ``sandbox_url``."""
    url = sandbox_url.rstrip("/")
    secrets_line = (
        f'secrets_file = "{secrets_file}"' if secrets_file else '# secrets_file = "secrets.toml"'
    )
    return _SETTINGS_TEMPLATE.format(
        url=url,
        # A JSON string is a TOML basic string for the characters a checked name can hold.
        department=json.dumps(check_department(department), ensure_ascii=False),
        timezone=json.dumps(check_timezone(timezone)),
        secrets_line=secrets_line,
        platform_sections=_platform_sections(url),
        secret_env=_secret_env(),
        platform_names=", ".join(p.display_name for p in TABLE.values() if p.sandbox),
    )


def secrets_toml(token: str = SANDBOX_TOKEN) -> str:
    """``secrets.toml`` with the sandbox's fake credentials (it accepts any token)."""
    sections = [
        f"[{name}]\n" + "".join(f'{field} = "{token}"\n' for field in row.secret_fields)
        for name, row in TABLE.items()
        if row.sandbox and row.secret_fields
    ]
    return _SECRETS_TEMPLATE.format(platform_secrets="\n".join(sections))


def _platform_sections(url: str) -> str:
    """One commented section per platform of the table that the sandbox plays, its fields in
    the settings class's order, pointing at the sandbox at ``url`` (credentials left out)."""
    sandbox = settings_overrides(url)
    blocks = []
    for name, row in TABLE.items():
        if name not in sandbox or row.settings_class is None:
            continue
        lines = [f"[{name}]"] + [f"# {line}" for line in row.guide.splitlines()]
        for field, info in row.settings_class.model_fields.items():
            if field in row.secret_fields:
                continue
            value = sandbox[name].get(field, info.get_default(call_default_factory=True))
            note = f"  # {info.description}" if info.description else ""
            if value is None:
                lines.append(f"# {field} ={note}")
            else:
                lines.append(f"{field} = {_toml_value(value)}{note}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _secret_env() -> str:
    """The comment lines naming each platform's credential variables."""
    return "\n".join(
        f"#   export BEATPOST_{name.upper()}__{field.upper()}=..."
        for name, row in TABLE.items()
        for field in row.secret_fields
    )


def example_campaign_text(*, live: bool = False) -> str:
    """The shipped example campaign, its image paths pointing into the workspace's ``media/``
    from ``campaigns/`` (``live``) or from ``campaigns/examples/``."""
    [source] = sorted(EXAMPLE_DIR.glob("*.yaml"))
    text = source.read_text(encoding="utf-8")
    up = "../" if live else "../../"
    text, images = re.subn(
        r"(?m)^(\s*-?\s*(?:file|captions|cover):\s*)media/", rf"\g<1>{up}media/", text
    )
    if images == 0:
        raise WorkspaceError(f"{source}: no 'file: media/...' lines to point at the media folder")
    if live:
        return text.replace("beatpost validate campaigns/examples", "beatpost validate")
    return text.replace(
        "Check it with:  beatpost validate campaigns/examples",
        "Check it with:  beatpost validate campaigns/examples\n"
        "# It is not posted from campaigns/examples/. To rehearse it, move it into campaigns/\n"
        "# and change each ../../media/ below to ../media/ (beatpost validate says where).",
    )


def create_workspace(
    root: Path,
    *,
    force: bool = False,
    sandbox_url: str = REHEARSAL_URL,
    token: str = SANDBOX_TOKEN,
    department: str = EXAMPLE_DEPARTMENT,
    timezone: str = EXAMPLE_TIMEZONE,
    live_example: bool = False,
) -> Workspace:
    """Create (or with ``force`` refresh) a workspace in ``root``.

    Without ``force`` an existing ``beatpost.toml`` is never touched. With it, the settings,
    the sandbox secrets file and the example campaign are written again; other campaign files,
    images and the database are left alone. The example goes to ``campaigns/examples/``
    (never posted), or with ``live_example`` (the demo) to ``campaigns/``.
    """
    config_text = settings_toml(sandbox_url, department=department, timezone=timezone)
    ws = Workspace(root)
    if ws.config.exists() and not force:
        raise WorkspaceError(
            f"{ws.config} already exists; not overwriting it (use --force to replace it)"
        )
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    try:
        ws.campaigns.mkdir(parents=True, exist_ok=True)
        ws.media.mkdir(exist_ok=True)
        for image in sorted((EXAMPLE_DIR / "media").iterdir()):
            if image.is_file():
                shutil.copyfile(image, ws.media / image.name)
        [example] = sorted(EXAMPLE_DIR.glob("*.yaml"))
        folder = ws.campaigns if live_example else ws.examples
        folder.mkdir(exist_ok=True)
        (folder / example.name).write_text(
            example_campaign_text(live=live_example), encoding="utf-8"
        )
        _write_private(ws.secrets, secrets_toml(token))
        ws.config.write_text(config_text, encoding="utf-8")
        gitignore = root / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(_GITIGNORE, encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"cannot create the workspace in {root}: {exc}") from None
    return ws


def _write_private(path: Path, text: str) -> None:
    """Write ``path`` readable by its owner alone, from the first byte on."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


_GITIGNORE = """\
# Credentials and the local database never go into version control.
secrets.toml
.beatpost/
public-media/
"""

_SECRETS_TEMPLATE = """\
# Credentials for beatpost. Keep this file readable by you alone (chmod 600): beatpost refuses
# to start when group or others can read it. Never commit it; never paste it into a campaign.
#
# These are the sandbox's fake tokens (it accepts any token except "expired"). When a
# platform's real account is ready, replace its tokens here (or set them in the environment,
# which wins: BEATPOST_X__ACCESS_TOKEN, BEATPOST_FACEBOOK__PAGE_ACCESS_TOKEN, ...) and set its
# base_url and account ids in beatpost.toml.

{platform_secrets}
[digest]
# smtp_password = ""
"""

_SETTINGS_TEMPLATE = """\
# beatpost settings for this department.
#
# Every value here can be overridden by an environment variable: BEATPOST_ + the name, with
# a double underscore between section and field, e.g. BEATPOST_DIGEST__SMTP_HOST=mail.city.gov.
#
# Credentials (tokens, the SMTP password) NEVER go in this file. They come from
# the secrets file named below (secrets_file: TOML shaped like this file)
# (readable by you alone: chmod 600) or from the environment, e.g.
{secret_env}
#   export BEATPOST_DIGEST__SMTP_PASSWORD=...
#
# Rehearsal first: as written, every platform points at the local sandbox
# (`beatpost sandbox`, run in this folder), which plays {platform_names} with
# fictional accounts. Switch one platform at a time to its real account by replacing its
# base_url and account ids below, and its tokens in the secrets file.

{secrets_line}

# Folders, relative to this file.
campaigns_dir = "campaigns"
media_dir = "media"               # campaign images; a file outside it is refused (../media/x.jpg)
data_dir = ".beatpost"            # the SQLite database lives here
# database_url = "postgresql+psycopg://beatpost@db.example.gov/beatpost"  # several daemons

default_timezone = {timezone}   # for campaigns that name none, and for the digest
require_approval = false         # true: posts go out only when the campaign has approved_by
grace_minutes = 15               # a post more than this late (daemon was down) is skipped
max_attempts = 5                 # temporary errors tolerated before a post needs a person
# operator = "PIO Sgt. Jane Doe" # the name in the audit log (default: your login name)
log_level = "INFO"
sentiment_model = "default"
# connector_classes = {{}}        # platform -> "module:Class" replacing a built-in connector

{platform_sections}

[sandbox]
# The local rehearsal server (`beatpost sandbox`).
host = "127.0.0.1"
port = 8787
seed = 7

[pull]
# Engagement and comments are pulled back at these ages of each post.
ages = ["1h", "6h", "24h", "3d", "7d", "30d"]
interval_minutes = 15

[digest]
# The weekly engagement email to command staff. The daemon sends it once per week, at
# send_day / send_time in timezone, when recipients are set.
enabled = true
department = {department}
# Nothing is sent until both are set: who gets it, e.g.
# ["chief@springfield.example.gov", "Lt. Whitfield <dwhitfield@...>"], and the From address,
# e.g. "Springfield PD digest <digest@springfield.example.gov>".
recipients = []
sender = "beatpost@localhost"
smtp_host = "localhost"
smtp_port = 587
smtp_security = "starttls"       # "starttls", "ssl" or "none"
# smtp_user = "beatpost"         # the password goes in the secrets file
send_day = "monday"
send_time = "07:00"
# timezone = "America/Chicago"   # default: default_timezone

[outcomes]
# Applications and careers-page visits (`beatpost outcomes import`, docs/outcomes.md). For an
# applicant export none of the ready mappings (neogov, applitrack, spreadsheet) fits, name
# its columns (date, and url or answer, are required):
# columns = {{ date = "Date Submitted", url = "Landing Page", answer = "How did you hear?" }}
"""
