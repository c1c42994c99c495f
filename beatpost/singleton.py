"""One daemon per SQLite database: an exclusive lock on the database file itself.

The lock (``flock``) is held on the file, not on a name: a hard link, a symlink, a relative
path or a ``sqlite:///file:...?uri=true`` URL all reach the same lock. (SQLite's own locks are
POSIX record locks, which ``flock`` does not touch on Linux.) The lock belongs to the open
file, so it goes away with the process however it ends (even ``kill -9``). The pid written
to a file next to the database is only for the error message.
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
        self.path = database.with_name(database.name + ".lock")  # the holder's pid
        self._file: IO[bytes] | None = None

    def acquire(self) -> None:
        self.database.parent.mkdir(parents=True, exist_ok=True)
        # "a": creates an empty file if there is none yet (SQLite takes it as a new database).
        handle = self.database.open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(self.database, self._read_pid()) from None
        try:
            self.path.write_text(f"{os.getpid()}\n")
        except OSError:
            pass  # only the error message of a second daemon needs it
        self._file = handle

    def _read_pid(self) -> str:
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def holder(self) -> str | None:
        """The pid of the daemon holding the lock ("?" if unknown), or None when no daemon
        runs on this database. Probes with a shared lock held for an instant."""
        if not self.database.exists():
            return None
        with self.database.open("rb") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return self._read_pid() or "?"
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
