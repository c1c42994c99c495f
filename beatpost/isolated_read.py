"""Reading the campaign files in a child process, bounded in memory and time.

The daemon must outlive any campaign file. ``load_plans`` already turns a Python exception
in one file into that file's error; this adds what a process cannot catch in itself: a
crash in a C parser (a segmentation fault), memory exhausted, a read that does not end.
The files are read in a child forked from a small server process (``forkserver``; cheap
and free of the daemon's threads) under ``READ_MEMORY_BYTES`` of address space and
``READ_SECONDS``. When the child dies, each file is read in a child of its own to find
the one(s) at fault; they are reported invalid (their deliveries already in the ledger
are kept) and the others are read together again. The daemon's stop flag kills a child
at once, so a shutdown never waits for a long read.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path

from beatpost.campaign_sync import PlanSet, campaign_files, describe_failure, load_plans
from config import Settings

log = logging.getLogger("beatpost.daemon")

READ_MEMORY_BYTES = 2 * 1024**3  # address space of the reading process
READ_SECONDS = 120.0  # one read of the campaign files (all of them, or one when isolating)

_CONTEXT = multiprocessing.get_context("forkserver")
# reader_path first: the workspace (cwd) holds a campaigns/ folder that must not shadow ours
_CONTEXT.set_forkserver_preload(["beatpost.reader_path", "beatpost.campaign_sync"])


@dataclass
class ReadStats:
    """What the reading children used, for benchmarks and tests (they are children of the
    fork server, so the daemon's own ``RUSAGE_CHILDREN`` does not count them)."""

    reads: int = 0
    peak_bytes: int = 0  # the largest resident size a reading child reported


stats = ReadStats()


class ReadStopped(Exception):
    """The daemon is stopping; the read was abandoned and nothing was synced."""


class ReadFailed(Exception):
    """The files that each read alone could not be read together."""


def read_plans(
    settings: Settings,
    now: datetime,
    should_stop: Callable[[], bool] = lambda: False,
    *,
    memory: int = READ_MEMORY_BYTES,
    seconds: float = READ_SECONDS,
) -> PlanSet:
    """``load_plans`` in a bounded child process; see the module docstring."""
    outcome = _read(settings, now, None, {}, should_stop, memory, seconds)
    if isinstance(outcome, PlanSet):
        return outcome
    log.warning("reading the campaign files %s; reading them one by one", outcome)
    files = campaign_files(settings.campaigns_path)
    broken: dict[Path, str] = {}
    for file in files:
        # With one file, the read that failed was that file's own: no need to repeat it.
        alone = (
            outcome
            if len(files) == 1
            else _read(settings, now, [file], {}, should_stop, memory, seconds)
        )
        if not isinstance(alone, PlanSet):
            broken[file] = alone if alone.startswith("this file") else f"this file {alone}"
    good = [f for f in files if f not in broken]
    outcome = _read(settings, now, good, broken, should_stop, memory, seconds)
    if isinstance(outcome, PlanSet):
        return outcome
    raise ReadFailed(f"reading the campaign files {outcome}")


def _read(
    settings: Settings,
    now: datetime,
    only: Sequence[Path] | None,
    broken: Mapping[Path, str],
    should_stop: Callable[[], bool],
    memory: int,
    seconds: float,
) -> PlanSet | str:
    """A PlanSet, or why the child gave none ("crashed (SIGSEGV) ...")."""
    if should_stop():
        raise ReadStopped
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child,
        args=(sender, settings, now, only, dict(broken), memory),
        name="beatpost-read",
        daemon=True,
    )
    child.start()
    sender.close()
    deadline = time.monotonic() + seconds
    try:
        while not receiver.poll(0.1):
            if should_stop():
                raise ReadStopped
            if time.monotonic() > deadline:
                return f"took longer than {seconds:.0f} s to read (a file far too large?)"
        try:
            kind, value, peak = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            return _exit_reason(child.exitcode)
        stats.reads += 1
        stats.peak_bytes = max(stats.peak_bytes, peak)
        return value if kind == "ok" else str(value)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        if -code == signal.SIGSEGV:
            return f"crashed the reader ({name}: a structure nested far too deep?)"
        return f"stopped the reader ({name})"
    # Memory running out is a MemoryError, answered like any other error: an exit status
    # says only that the reader ended without an answer.
    status = "with no exit status" if code is None else f"with exit status {code}"
    return (
        f"stopped the reader (it ended {status} without an answer; any error it printed "
        "is in the daemon's output)"
    )


def _child(
    sender: Connection,
    settings: Settings,
    now: datetime,
    only: Sequence[Path] | None,
    broken: dict[Path, str],
    memory: int,
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        message: tuple[str, object] = ("ok", load_plans(settings, now, only=only, broken=broken))
    except BaseException as exc:  # noqa: BLE001 - told to the parent, which decides
        message = ("error", describe_failure(exc))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    sender.send((*message, peak))
    sender.close()
