"""One restore at a time per Tutor root: a lock file created atomically (O_EXCL).

A restore ends by changing config.yml (`--switch`): two at once could point Open edX
at two different copies. The file holds who took the lock; a lock whose process is
gone (same host) is taken over, so a killed restore does not block the next one.
"""

from __future__ import annotations

import json
import os
import socket
import typing as t
from datetime import datetime, timezone
from pathlib import Path

from .stores import BackupError

LOCK_NAME = ".eks-restore.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RestoreLock:
    def __init__(self, root: str, what: str) -> None:
        self.path = Path(root) / LOCK_NAME
        self.what = what

    def __enter__(self) -> RestoreLock:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "what": self.what,
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and self._stale(holder):
                    self.path.unlink(missing_ok=True)
                    continue
                raise BackupError(self._busy_message(holder)) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            return self
        raise BackupError(self._busy_message(self._holder()))

    def __exit__(self, *exc: t.Any) -> None:
        self.path.unlink(missing_ok=True)

    def _holder(self) -> t.Optional[dict[str, t.Any]]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    @staticmethod
    def _stale(holder: dict[str, t.Any]) -> bool:
        return holder.get("host") == socket.gethostname() and not _alive(int(holder.get("pid", 0)))

    def _busy_message(self, holder: t.Optional[dict[str, t.Any]]) -> str:
        if holder is None:
            who = "another restore"
        else:
            who = (
                f"a restore of {holder.get('what')} (pid {holder.get('pid')} on "
                f"{holder.get('host')}, started {holder.get('started')})"
            )
        return (
            f"{who} is still running: wait for it to finish; if that process is gone, "
            f"delete {self.path} and run the restore again."
        )
