"""Logical MySQL backup round trip against a real MariaDB that only accepts TLS.

The dump runs through the same script and argv as the dump Job
(`logical.mysql_dump_argv` over `scripts/mysql.sh`), with the server verified against
the CA bundle as the app does; the dump is restored into a second database and both
are compared table by table: row counts and CHECKSUM TABLE.

The Job's image carries the MySQL 8.4 client; this machine has MariaDB's client, which
the script detects (it has no --ssl-mode: CA and host name are verified with
--ssl-verify-server-cert). That difference is the one thing not exercised here.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import time
from pathlib import Path

import pymysql
import pytest
from backup_names import MYSQL_PASSWORD

from tutor_eks_plugin.backup import logical

ROWS = 3000


def _script(tmp_path: Path) -> str:
    path = tmp_path / "mysql.sh"
    path.write_text(logical.script("mysql.sh"), encoding="utf-8")
    return str(path)


def _env(mariadb, ca: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MYSQL_HOST": "127.0.0.1",
        "MYSQL_PORT": str(mariadb.port),
        "MYSQL_USER": mariadb.username,
        "MYSQL_PASSWORD": MYSQL_PASSWORD,
        "MYSQL_DATABASE": mariadb.database,
        "MYSQL_SSL_CA": str(ca),
        "MYSQL_SSL_MODE": "VERIFY_IDENTITY",
    }


def _admin(mariadb, sql: str) -> None:
    client = shutil.which("mariadb") or shutil.which("mysql")
    assert client, "mariadb client not found: install it with `bash .ci/services.sh`"
    subprocess.run(
        [client, "--no-defaults", f"--socket={mariadb.socket}", "-u", getpass.getuser()],
        input=sql, text=True, check=True, capture_output=True, timeout=60,
    )


@pytest.fixture(scope="module")
def data(mariadb, pki) -> None:
    conn = pymysql.connect(
        host="127.0.0.1", port=mariadb.port, user=mariadb.username, password=MYSQL_PASSWORD,
        database=mariadb.database, charset="utf8mb4",
        ssl={"ca": str(pki.ca), "check_hostname": True},
    )
    with conn.cursor() as cursor:
        # The server lives for the session; this fixture for a module, and pytest-xdist's
        # worksteal may hand a worker this module's tests again after others, which sets
        # the fixture up a second time against the same server: start from no tables.
        cursor.execute("DROP TABLE IF EXISTS courseware_studentmodule, auth_user, empty_table")
        cursor.execute(
            "CREATE TABLE courseware_studentmodule (id INT PRIMARY KEY AUTO_INCREMENT, "
            "student VARCHAR(64), state LONGTEXT, grade DOUBLE, blob_col BLOB) "
            "CHARACTER SET utf8mb4"
        )
        cursor.execute("CREATE TABLE auth_user (id INT PRIMARY KEY, username VARCHAR(150))")
        cursor.execute("CREATE TABLE empty_table (id INT PRIMARY KEY)")
        cursor.executemany(
            "INSERT INTO courseware_studentmodule (student, state, grade, blob_col) "
            "VALUES (%s, %s, %s, %s)",
            [
                (f"learner-{i}", f'{{"position": {i}, "note": "caf\u00e9 \U0001f393"}}',
                 i / 7, bytes([i % 256, 0, 255]))
                for i in range(ROWS)
            ],
        )
        cursor.executemany("INSERT INTO auth_user VALUES (%s, %s)",
                           [(i, f"user{i}") for i in range(500)])
    conn.commit()
    conn.close()


def _count(script: str, env: dict[str, str], database: str) -> dict[str, tuple[int, str]]:
    result = subprocess.run(["sh", script, "count", database], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    table = {}
    for line in result.stdout.splitlines():
        name, rows, checksum = line.split("\t")
        table[name] = (int(rows), checksum)
    return table


def test_dump_restore_round_trip_keeps_rows_and_checksums(
    data, mariadb, pki, tmp_path: Path
) -> None:
    script = _script(tmp_path)
    env = _env(mariadb, pki.ca)
    dump_file = tmp_path / "dump" / "openedx.sql.gz"
    dump_file.parent.mkdir()
    started = time.monotonic()
    dumped = subprocess.run(
        logical.mysql_dump_argv(script, str(dump_file)), env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )
    dump_seconds = time.monotonic() - started
    assert dumped.returncode == 0, dumped.stderr
    assert dump_file.stat().st_size > 1000 and (tmp_path / "dump" / "openedx.sql.gz.sha256").is_file()
    assert MYSQL_PASSWORD not in dumped.stdout + dumped.stderr

    _admin(mariadb, "CREATE DATABASE openedx_restored CHARACTER SET utf8mb4;\n"
                    "GRANT ALL ON openedx_restored.* TO 'openedx'@'%';\n")
    started = time.monotonic()
    restored = subprocess.run(["sh", script, "restore", str(dump_file), "openedx_restored"],
                              env=env, capture_output=True, text=True, timeout=300, check=False)
    restore_seconds = time.monotonic() - started
    assert restored.returncode == 0, restored.stderr

    original = _count(script, env, "openedx")
    copy = _count(script, env, "openedx_restored")
    print(f"\nround trip: {original} dump {dump_file.stat().st_size} bytes in "
          f"{dump_seconds:.2f}s, restore in {restore_seconds:.2f}s")
    assert set(original) == {"courseware_studentmodule", "auth_user", "empty_table"}
    assert original["courseware_studentmodule"][0] == ROWS
    assert original["auth_user"][0] == 500 and original["empty_table"][0] == 0
    assert copy == original, f"restored copy differs: {copy} != {original}"

    # The rehearsal reads the same output (from the count Job's log).
    counted = subprocess.run(["sh", script, "count", "openedx_restored"], env=env,
                             capture_output=True, text=True, timeout=120, check=True).stdout
    lines, usable = logical.compare_counts(
        {k: v[0] for k, v in original.items()}, logical.parse_counts(counted)
    )
    assert usable and lines == ["mysql: 3 tables, 3500 rows live; 3 tables, 3500 rows in the copy"]


def test_dump_refuses_a_server_the_ca_does_not_sign(data, mariadb, tmp_path: Path) -> None:
    """TLS is verified, not just on: another CA makes the dump fail, and no file is kept
    (this failed before the dump status was carried through the gzip pipe)."""
    from datastore_pki import make_pki

    other = make_pki(tmp_path / "other-pki")
    script = _script(tmp_path)
    dump_file = tmp_path / "bad.sql.gz"
    result = subprocess.run(
        logical.mysql_dump_argv(script, str(dump_file)), env=_env(mariadb, other.ca),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "certificate" in result.stderr.lower() or "ssl" in result.stderr.lower(), result.stderr
    assert not dump_file.exists()


def test_restore_refuses_a_dump_whose_checksum_changed(data, mariadb, pki, tmp_path: Path) -> None:
    script = _script(tmp_path)
    env = _env(mariadb, pki.ca)
    dump_file = tmp_path / "openedx.sql.gz"
    subprocess.run(logical.mysql_dump_argv(script, str(dump_file)), env=env, check=True,
                   capture_output=True, timeout=300)
    with dump_file.open("ab") as handle:
        handle.write(b"tampered")
    result = subprocess.run(["sh", script, "restore", str(dump_file), "openedx_tampered"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
