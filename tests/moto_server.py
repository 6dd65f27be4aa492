"""moto in server mode on 127.0.0.1, on a free port: the one way the tests start it.

Each caller gets its own server (its own AWS "account" state), for as long as its
fixture lives.
"""

from __future__ import annotations

import contextlib
import typing as t

from moto.server import ThreadedMotoServer


@contextlib.contextmanager
def moto_server() -> t.Iterator[str]:
    """Start moto, yield its endpoint URL, stop it afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
