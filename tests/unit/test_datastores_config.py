"""Bad data store values are refused by `tutor config save --set ...`: exit 1, a sentence
naming the key and what is allowed, no secret echoed, config.yml byte-identical. Plus the
defaults: a fresh install saves and needs no CA bundle.

Every bad value goes through what the command runs, in this process with the plugin
loaded as Tutor loads it (tests/eks_in_process.py, config_save_set); the real CLI (exit
code 1, the message and no secret on stderr, no traceback) runs for the cases in
CLI_CASES."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from eks_in_process import config_save_set
from tutor_cli import new_root, run_tutor, set_args

SECRET = "Sup3r-s3cret-value"
DOCDB = "docdb.cluster-abc.eu-west-1.docdb.amazonaws.com"

# (case name, settings, expected text in the error)
BAD = [
    (
        "tls-no-bundle",
        {"MYSQL_HOST": "db.abc.eu-west-1.rds.amazonaws.com"},
        "TLS is verified against a CA bundle for MYSQL_HOST=db.abc.eu-west-1.rds.amazonaws.com",
    ),
    ("docdb-no-bundle", {"MONGODB_HOST": DOCDB}, f"CA bundle for MONGODB_HOST={DOCDB}"),
    (
        "redis-bundle-no-bundle",
        {"REDIS_HOST": "master.x.cache.amazonaws.com", "EKS_REDIS_TLS_CA": "bundle"},
        "CA bundle for REDIS_HOST=",
    ),
    ("ca-relative", {"EKS_CA_BUNDLE_PATH": "global-bundle.pem"}, "an absolute path"),
    ("ca-missing", {"EKS_CA_BUNDLE_PATH": "/nonexistent/global-bundle.pem"}, "cannot be read"),
    ("ca-both", {"EKS_CA_BUNDLE_PATH": "@CA@", "EKS_CA_BUNDLE_CONFIGMAP": "rds-ca"}, "both set"),
    ("ca-with-key", {"EKS_CA_BUNDLE_PATH": "@KEY@"}, "contains a private key"),
    ("ca-not-pem", {"EKS_CA_BUNDLE_PATH": "@JUNK@"}, "holds no PEM certificate"),
    ("ca-configmap-name", {"EKS_CA_BUNDLE_CONFIGMAP": "RDS_CA"}, "a Kubernetes object name"),
    ("mongo-mode", {"EKS_MONGODB_MODE": "atlas"}, "one of 'documentdb', 'byo'"),
    (
        "mongo-creds-in-host",
        {"MONGODB_HOST": f"mongodb://admin:{SECRET}@h.example.com"},
        "put the user and password in MONGODB_USERNAME",
    ),
    (
        "docdb-host-list",
        {"MONGODB_HOST": "a.example.com:27017,b.example.com"},
        "not valid for EKS_MONGODB_MODE=documentdb",
    ),
    (
        "byo-srv-port",
        {"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "mongodb+srv://c.example.net:27017"},
        "not valid for EKS_MONGODB_MODE=byo",
    ),
    (
        "byo-scheme",
        {"EKS_MONGODB_MODE": "byo", "MONGODB_HOST": "http://c.example.net"},
        "not valid for EKS_MONGODB_MODE=byo",
    ),
    ("docdb-replica-set", {"MONGODB_REPLICA_SET": "rs1"}, "always 'rs0'"),
    (
        "srv-no-tls",
        {
            "EKS_MONGODB_MODE": "byo",
            "MONGODB_HOST": "mongodb+srv://c.example.net",
            "EKS_MONGODB_TLS": False,
        },
        "always use TLS",
    ),
    ("retry-writes", {"EKS_MONGODB_RETRY_WRITES": "sometimes"}, "'auto', true or false"),
    ("read-pref", {"EKS_MONGODB_READ_PREFERENCE": "fastest"}, "one of 'primary'"),
    ("mongo-password-quote", {"MONGODB_PASSWORD": f'{SECRET}"x'}, "without quotes"),
    ("redis-consumers", {"EKS_REDIS_CONSUMERS": ["cache"]}, "a list whose items are each"),
    ("redis-consumers-twice", {"EKS_REDIS_CONSUMERS": ["caches", "caches"]}, "twice"),
    ("redis-password-space", {"REDIS_PASSWORD": f"{SECRET} x"}, "without quotes"),
    ("redis-user-no-password", {"REDIS_USERNAME": "default"}, "ElastiCache AUTH needs both"),
    ("redis-host-url", {"REDIS_HOST": "rediss://cache.example.com"}, "a lower-case DNS host name"),
    ("mysql-host-port", {"MYSQL_HOST": "db.example.com:3306"}, "a lower-case DNS host name"),
    ("mysql-ssl-mode", {"EKS_MYSQL_SSL_MODE": "REQUIRED"}, "one of 'VERIFY_IDENTITY'"),
    ("mysql-db-name", {"OPENEDX_MYSQL_DATABASE": "open-edx"}, "letters, digits or '_'"),
    ("mysql-password-dollar", {"OPENEDX_MYSQL_PASSWORD": f"{SECRET}$HOME"}, "without quotes"),
    ("smtp-both", {"SMTP_USE_TLS": True, "SMTP_USE_SSL": True}, "are both true"),
    (
        "smtp-clear",
        {"SMTP_HOST": "smtp.example.com", "SMTP_USERNAME": "u", "SMTP_PASSWORD": SECRET},
        "in clear text",
    ),
    (
        "ses-no-tls",
        {
            "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
            "SMTP_PORT": 587,
            "SMTP_USERNAME": "AKIAEXAMPLE",
            "SMTP_PASSWORD": SECRET,
        },
        "Amazon SES: set SMTP_USE_TLS",
    ),
    (
        "ses-port",
        {
            "SMTP_HOST": "email-smtp.eu-west-1.amazonaws.com",
            "SMTP_PORT": 8025,
            "SMTP_USE_TLS": True,
            "SMTP_USERNAME": "AKIAEXAMPLE",
            "SMTP_PASSWORD": SECRET,
        },
        "STARTTLS on 587",
    ),
    ("smtp-port", {"SMTP_PORT": 0}, "a whole number from 1 to 65535"),
    ("meili-url", {"MEILISEARCH_URL": "meili:7700"}, "an http(s)://host[:port] URL"),
    (
        "meili-dns-f5",
        {"MEILISEARCH_URL": "http://search.internal.example.com:7700"},
        "only with NGINX Plus",
    ),
    ("meili-https", {"MEILISEARCH_URL": "https://10.0.3.12:7700"}, "is https"),
    ("meili-key-short", {"MEILISEARCH_MASTER_KEY": "short"}, "shorter than 16"),
    (
        "opensearch-no-endpoint",
        {"EKS_OPENSEARCH_LMS_SEARCH": True},
        "EKS_OPENSEARCH_ENDPOINT is empty",
    ),
    (
        "opensearch-no-user",
        {
            "EKS_OPENSEARCH_LMS_SEARCH": True,
            "EKS_OPENSEARCH_ENDPOINT": "search-x.eu-west-1.es.amazonaws.com",
        },
        "EKS_OPENSEARCH_USERNAME or EKS_OPENSEARCH_PASSWORD is empty",
    ),
    (
        "opensearch-forum-no-plugin",
        {
            "EKS_OPENSEARCH_FORUM_SEARCH": True,
            "EKS_OPENSEARCH_ENDPOINT": "search-x.eu-west-1.es.amazonaws.com",
            "EKS_OPENSEARCH_USERNAME": "admin",
            "EKS_OPENSEARCH_PASSWORD": SECRET,
        },
        "the forum plugin is not enabled",
    ),
]


@pytest.fixture(scope="module")
def base_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("datastores-config")
    new_root(root)
    return root


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, pki_files) -> dict[str, str]:
    return pki_files


@pytest.fixture(scope="module")
def pki_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("pem")
    ca = folder / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n")
    key = folder / "with-key.pem"
    key.write_text(
        ca.read_text() + "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n"
    )
    junk = folder / "junk.pem"
    junk.write_text("not a certificate\n")
    return {"@CA@": str(ca), "@KEY@": str(key), "@JUNK@": str(junk)}


def _root(base_root: Path, tmp: Path, name: str) -> Path:
    root = tmp / name
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    return root


def _settings(settings: dict, files: dict[str, str]) -> dict:
    return {k: files.get(v, v) if isinstance(v, str) else v for k, v in settings.items()}


def test_bad_values_are_refused(base_root: Path, tmp_path: Path, files) -> None:
    for name, settings, expected in BAD:
        root = _root(base_root, tmp_path, name)
        before = (root / "config.yml").read_bytes()
        error = config_save_set(root, _settings(settings, files))
        assert error, (name, "was saved")
        assert (root / "config.yml").read_bytes() == before, name
        assert expected in error, (name, error)
        assert SECRET not in error, (name, "a secret was echoed")


# One case of each kind, through the real CLI: a rule across keys, a file check, a
# validator, and the cases whose value holds the secret.
CLI_CASES = ["tls-no-bundle", "ca-with-key", "mongo-mode", "mongo-creds-in-host",
             "mongo-password-quote"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_the_cli_exits_1(base_root: Path, tmp_path: Path, files, name: str) -> None:
    _, settings, expected = next(case for case in BAD if case[0] == name)
    root = _root(base_root, tmp_path, name)
    before = (root / "config.yml").read_bytes()
    result = run_tutor(root, "config", "save", *set_args(_settings(settings, files)),
                       check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, (name, output)
    assert (root / "config.yml").read_bytes() == before, name
    assert expected in output, (name, output)
    assert SECRET not in output, (name, "a secret was echoed")
    assert "Traceback" not in output, (name, output)


def test_defaults_save_and_need_no_bundle(base_root: Path) -> None:
    """A default install (no hosts set yet) saves: the CA bundle becomes mandatory only
    once a store's host is set (docs/data-stores.md, "Defaults")."""
    result = run_tutor(base_root, "config", "save", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for key, value in (
        ("EKS_MYSQL_TLS", "true"),
        ("EKS_MONGODB_MODE", "documentdb"),
        ("EKS_REDIS_TLS", "true"),
        ("EKS_CA_BUNDLE_PATH", ""),
    ):
        assert run_tutor(base_root, "config", "printvalue", key).stdout.strip() == value


def test_tls_off_needs_no_bundle(base_root: Path, tmp_path: Path) -> None:
    """Turning TLS off for a store (a test database) is allowed, and says nothing secret."""
    root = tmp_path / "tls-off"
    root.mkdir()
    shutil.copyfile(base_root / "config.yml", root / "config.yml")
    settings = {
        "MYSQL_HOST": "db.example.com",
        "EKS_MYSQL_TLS": False,
        "MONGODB_HOST": "mongo.example.com",
        "EKS_MONGODB_TLS": False,
        "REDIS_HOST": "cache.example.com",
        "EKS_REDIS_TLS": False,
    }
    result = run_tutor(root, "config", "save", *set_args(settings), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
