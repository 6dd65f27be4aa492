"""Tutor's init scripts, rendered as `tutor k8s init` renders them into the Job specs,
hold only placeholders; run with `bash` and the values only in the environment (as the
Job's secretKeyRef env gives them), they do their work.

mysql.sh runs against the real local MariaDB that accepts TLS only
(tests/datastores/datastore_servers.py): the RDS-like admin user's password and the app
user's password come from EKS_SECRET_* variables, and the database and user get
created. The mysql client here is MariaDB's (no mysql 8.4 client on this machine), so
its TLS options file stands in for the plugin's mysql 8.4 one (`ssl-verify-server-cert`
for `ssl-mode=VERIFY_IDENTITY`); the options file carries no password in either case.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from datastore_pki import Pki, make_pki
from datastore_roots import render_root
from datastore_servers import MariaDbServer, start_mariadb, stop
from secrets_cases import VALUES, pod_environment, referenced_settings

ADMIN = "admin"
APP_DATABASE, APP_USER = "openedx_secrets", "openedx_secrets"

_RENDER = """
import sys
from tutor import config, env, hooks
hooks.Actions.CORE_READY.do()
print(env.render_str(config.load(sys.argv[1]), env.read_core_template_file("jobs", "init", sys.argv[2])))
"""


def render_init_script(root: Path, name: str) -> str:
    """What `tutor k8s init` puts into the Job (Tutor renders the script with the full
    config, the plugin loaded): done in a child process to keep this one's hooks clean."""
    result = subprocess.run(
        [sys.executable, "-c", _RENDER, str(root), name],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("secrets-pki"))


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory: pytest.TempPathFactory, pki: Pki):  # type: ignore[no-untyped-def]
    server = start_mariadb(
        tmp_path_factory.mktemp("secrets-mariadb"), pki, "probe", "probe", "probe-password-1"
    )
    # An RDS-like master user: password authentication over TLS, all privileges.
    sql = (
        f"CREATE USER '{ADMIN}'@'%' IDENTIFIED BY '{VALUES['MYSQL_ROOT_PASSWORD']}' REQUIRE SSL;\n"
        f"GRANT ALL ON *.* TO '{ADMIN}'@'%' WITH GRANT OPTION;\n"
    )
    client = shutil.which("mariadb") or shutil.which("mysql")
    assert client, "the mariadb/mysql client is missing: run `bash .ci/services.sh`"
    subprocess.run(
        [client, "--no-defaults", f"--socket={server.socket}", "-u", getpass.getuser()],
        input=sql, text=True, check=True, capture_output=True, timeout=60,
    )
    yield server
    stop(server.process)


@pytest.fixture(scope="module")
def job_root(tmp_path_factory: pytest.TempPathFactory, mariadb: MariaDbServer) -> Path:
    settings = referenced_settings()
    settings.update(
        {
            "MYSQL_HOST": "127.0.0.1",
            "MYSQL_PORT": mariadb.port,
            "MYSQL_ROOT_USERNAME": ADMIN,
            "OPENEDX_MYSQL_DATABASE": APP_DATABASE,
            "OPENEDX_MYSQL_USERNAME": APP_USER,
        }
    )
    return render_root(tmp_path_factory.mktemp("secrets-job"), settings)


def _client_home(folder: Path, pki: Pki) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".my.cnf").write_text(f"[client]\nssl-ca={pki.ca}\nssl-verify-server-cert\n")
    return folder


def test_mysql_init_script_creates_the_database_and_user_from_the_environment(
    job_root: Path, mariadb: MariaDbServer, pki: Pki, tmp_path: Path
) -> None:
    script = render_init_script(job_root, "mysql.sh")
    for key in ("MYSQL_ROOT_PASSWORD", "OPENEDX_MYSQL_PASSWORD"):
        assert VALUES[key] not in script, f"{key}'s value is in the Job's script"
        assert "${EKS_SECRET_" + key + "}" in script
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(_client_home(tmp_path / "home", pki)),
        **pod_environment(["MYSQL_ROOT_PASSWORD", "OPENEDX_MYSQL_PASSWORD"]),
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MySQL is up and running" in result.stdout

    # The app user logs in over TLS with the password the environment carried, and owns
    # its database.
    probe = subprocess.run(
        ["mysql", "-u", APP_USER, f"--password={VALUES['OPENEDX_MYSQL_PASSWORD']}",
         "--host", "127.0.0.1", "--port", str(mariadb.port), "-N", "-e",
         f"CREATE TABLE {APP_DATABASE}.t (i INT); SELECT COUNT(*) FROM {APP_DATABASE}.t;"],
        env={**env, **{k: "" for k in pod_environment()}},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "0"


def _app_login(env: dict[str, str], port: int, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["mysql", "-u", APP_USER, f"--password={password}", "--host", "127.0.0.1",
         "--port", str(port), "-N", "-e", "SELECT 1"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_the_next_init_sets_the_stacks_app_password_on_the_existing_user(
    job_root: Path, mariadb: MariaDbServer, pki: Pki, tmp_path: Path
) -> None:
    """The switch docs/secrets.md describes: the user exists with Tutor's generated
    password; the next `tutor k8s init` runs mysql.sh with the stack's password (40
    letters and digits, as terraform/modules/mysql generates it) in the environment,
    and from then on only that one logs in."""
    script = render_init_script(job_root, "mysql.sh")
    env = {"PATH": os.environ["PATH"], "HOME": str(_client_home(tmp_path / "home", pki))}
    old = pod_environment(["MYSQL_ROOT_PASSWORD", "OPENEDX_MYSQL_PASSWORD"])
    alphabet = string.ascii_letters + string.digits
    stack_password = "".join(secrets.choice(alphabet) for _ in range(40))
    new = {**old, "EKS_SECRET_OPENEDX_MYSQL_PASSWORD": stack_password}
    for pod_env in (old, new):
        result = subprocess.run(
            ["bash", "-e", "-c", script], env={**env, **pod_env}, capture_output=True,
            text=True, timeout=120, check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert stack_password not in result.stdout + result.stderr
    assert _app_login(env, mariadb.port, stack_password).returncode == 0
    refused = _app_login(env, mariadb.port, VALUES["OPENEDX_MYSQL_PASSWORD"])
    assert refused.returncode != 0 and "Access denied" in refused.stderr, refused.stderr


def test_mysql_init_script_fails_without_the_secret(
    job_root: Path, pki: Pki, tmp_path: Path
) -> None:
    """No variable (the Kubernetes Secret not synced yet): the admin login is refused."""
    script = render_init_script(job_root, "mysql.sh").replace(
        "mysql_connection_max_attempts=10", "mysql_connection_max_attempts=1"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(_client_home(tmp_path / "home", pki))}
    result = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "MySQL initialisation error" in result.stderr


def test_meilisearch_init_script_gets_the_master_key_from_the_environment(
    job_root: Path, tmp_path: Path
) -> None:
    """meilisearch.sh hands its Python program to `python -c` inside a double-quoted
    bash word: bash puts the key in from the environment. A recording `python` stands
    in for the image's (no Meilisearch server here); it writes the program it got."""
    script = render_init_script(job_root, "meilisearch.sh")
    assert VALUES["MEILISEARCH_MASTER_KEY"] not in script
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    recorder = bin_dir / "python"
    recorder.write_text('#!/bin/sh\nprintf "%s" "$2" > "$RECORD"\n')
    recorder.chmod(0o755)
    record = tmp_path / "program.py"
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "RECORD": str(record),
        **pod_environment(["MEILISEARCH_MASTER_KEY"]),
    }
    result = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    program = record.read_text()
    assert f"'{VALUES['MEILISEARCH_MASTER_KEY']}'" in program
    compile(program, "meilisearch.sh", "exec")  # still valid Python after the expansion
