"""moto in server mode, in a process of its own, for the rehearsal.

Run as a script (``python moto_process.py``) it starts moto on 127.0.0.1 on a free
port, prints the endpoint URL on one line, and serves until its stdin closes. A
process of its own, not a thread of pytest: moto reads some of its settings
(``MOTO_ACM_VALIDATION_WAIT``) once, at import, from the environment, and the
Terraform run keeps one core busy while moto answers on the other.

It also finishes what moto leaves half-done and AWS finishes by itself: moto marks
an ElastiCache replication group or cache cluster ``deleting`` on delete and keeps it
forever, so the provider's delete waiter (which waits for "not found") would hang
for 40 minutes. Once an object has been ``deleting`` for a moment, it is removed, as
ElastiCache does when its deletion completes. Nothing else is touched.

``moto_process()`` is the pytest side: start, yield the endpoint, stop.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import typing as t
from pathlib import Path

# Seconds an ElastiCache object stays "deleting" before it disappears.
DELETION_DELAY = 1.0


def _finish_elasticache_deletions(stop: threading.Event) -> None:
    from moto.elasticache.models import elasticache_backends

    seen: dict[tuple[str, str, str], float] = {}
    while not stop.wait(0.5):
        now = time.monotonic()
        for account, regions in list(elasticache_backends.items()):
            for region, backend in list(regions.items()):
                pools = (
                    ("group", backend.replication_groups, "status"),
                    ("cluster", backend.cache_clusters, "cache_cluster_status"),
                )
                for kind, pool, status in pools:
                    for name, item in list(pool.items()):
                        if getattr(item, status, None) != "deleting":
                            continue
                        first = seen.setdefault((account, region, kind + name), now)
                        if now - first >= DELETION_DELAY:
                            pool.pop(name, None)


def serve() -> None:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    stop = threading.Event()
    threading.Thread(target=_finish_elasticache_deletions, args=(stop,), daemon=True).start()
    print(f"http://{host}:{port}", flush=True)
    sys.stdin.read()  # until the parent closes the pipe (or dies)
    stop.set()
    server.stop()


@contextlib.contextmanager
def moto_process(env: dict[str, str], log: Path) -> t.Iterator[str]:
    """Start moto with these environment variables, yield its endpoint, stop it."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, **env},
        )
        try:
            assert process.stdout is not None
            endpoint = process.stdout.readline().strip()
            if not endpoint.startswith("http://127.0.0.1:"):
                raise AssertionError(f"moto did not start: {log.read_text()[-2000:]}")
            yield endpoint
        finally:
            if process.stdin:
                process.stdin.close()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    serve()
