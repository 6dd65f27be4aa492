"""Real Redis and MariaDB servers on 127.0.0.1, started by the tests themselves.

`.ci/services.sh` installs the Debian packages; here each server gets a free port, a
config/data dir under pytest's temp dir, TLS with the throw-away CA (pki.py) and a
password, and is stopped at the end of the session. No systemd involved.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from datastore_pki import Pki

INSTALL_HINT = "install it with `bash .ci/services.sh` (Debian: redis-server, mariadb-server)"


def binary(name: str, *extra_dirs: str) -> str:
    found = shutil.which(name) or next(
        (str(Path(d) / name) for d in extra_dirs if (Path(d) / name).is_file()), None
    )
    if not found:
        pytest.fail(f"{name} not found: {INSTALL_HINT}", pytrace=False)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    process.terminate()
    pytest.fail(
        f"server did not listen on 127.0.0.1:{port} in {seconds}s:\n{log.read_text()[-3000:]}"
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class RedisServer:
    port: int
    password: str
    username: str
    tls: bool
    process: subprocess.Popen


def start_redis(folder: Path, pki: Pki | None, username: str, password: str) -> RedisServer:
    """TLS-only when `pki` is given (`port 0`), like ElastiCache with in-transit encryption."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    lines = [
        "bind 127.0.0.1",
        "protected-mode yes",
        f"dir {folder}",
        'save ""',
        "appendonly no",
        "daemonize no",
        f"logfile {folder / 'redis.log'}",
        # ElastiCache AUTH: the token is the password of the `default` user.
        f"user default on >{password} ~* &* +@all",
    ]
    if pki:
        lines += [
            "port 0",
            f"tls-port {port}",
            f"tls-cert-file {pki.cert}",
            f"tls-key-file {pki.key}",
            f"tls-ca-cert-file {pki.ca}",
            "tls-auth-clients no",
        ]
    else:
        lines.append(f"port {port}")
    config = folder / "redis.conf"
    config.write_text("\n".join(lines) + "\n")
    config.chmod(0o600)
    process = subprocess.Popen(
        [binary("redis-server"), str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    (folder / "redis.log").touch()
    _wait_for_port(port, process, folder / "redis.log")
    return RedisServer(port, password, username, bool(pki), process)


@dataclass
class MariaDbServer:
    port: int
    socket: Path
    database: str
    username: str
    password: str
    process: subprocess.Popen


def start_mariadb(
    folder: Path, pki: Pki, database: str, username: str, password: str
) -> MariaDbServer:
    """MariaDB that accepts only TLS (require_secure_transport) and a user REQUIRE SSL."""
    folder.mkdir(parents=True, exist_ok=True)
    datadir, sock, log = folder / "data", folder / "mysqld.sock", folder / "error.log"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    install = binary("mariadb-install-db", "/usr/bin", "/usr/sbin")
    result = subprocess.run(
        [
            install,
            "--no-defaults",
            *as_root,
            f"--datadir={datadir}",
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"mariadb-install-db failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    port = free_port()
    log.touch()
    process = subprocess.Popen(
        [
            binary("mariadbd", "/usr/sbin"),
            "--no-defaults",
            *as_root,
            f"--datadir={datadir}",
            f"--socket={sock}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={folder / 'mysqld.pid'}",
            f"--log-error={log}",
            f"--ssl-ca={pki.ca}",
            f"--ssl-cert={pki.cert}",
            f"--ssl-key={pki.key}",
            "--require-secure-transport=ON",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--innodb-buffer-pool-size=16M",
            "--skip-log-bin",
            "--performance-schema=OFF",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    _wait_for_port(port, process, log, seconds=60)
    client = binary("mariadb", "/usr/bin") if shutil.which("mariadb") else binary("mysql")
    sql = (
        f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4;\n"
        f"CREATE USER '{username}'@'%' IDENTIFIED BY '{password}' REQUIRE SSL;\n"
        f"GRANT ALL ON `{database}`.* TO '{username}'@'%';\n"
    )
    # The admin session uses the unix socket (socket authentication as the OS user);
    # SQL goes through stdin, so the test password is not in a process list.
    result = subprocess.run(
        [client, "--no-defaults", f"--socket={sock}", "-u", getpass.getuser()],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        stop(process)
        pytest.fail(f"creating the test database failed: {result.stderr[-2000:]}")
    return MariaDbServer(port, sock, database, username, password, process)
