"""One daemon per SQLite database: an exclusive lock on a file next to it.

The lock belongs to the open file, so it goes away with the process however it ends (even
``kill -9``); the pid written inside is only for the error message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):
    def __init__(self, database: Path, pid: str):
        who = f" (pid {pid})" if pid else ""
        super().__init__(
            f"another beatpost daemon{who} is already running on {database}; stop it first "
            "(one daemon per SQLite database; several daemons need a PostgreSQL database_url)"
        )


class DaemonLock:
    def __init__(self, database: Path):
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip()
            handle.close()
            raise AlreadyRunning(self.database, pid) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def holder(self) -> str | None:
        """The pid of the daemon holding the lock ("?" if unreadable), or None when no daemon
        runs on this database. Probes with a shared lock held for an instant."""
        if not self.path.exists():
            return None
        with self.path.open("r") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return handle.read().strip() or "?"
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return None

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
