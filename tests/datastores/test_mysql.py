"""MySQL: the rendered DATABASES open a real TLS connection (verified CA and host name)
to a local MariaDB that only accepts TLS and a user REQUIRE SSL, store 4-byte UTF-8,
and fail with a wrong CA or a wrong password.

Django's MySQL backend (not installed here) builds the driver's keyword arguments as
{"charset": "utf8", user, password, host, port, database} updated with OPTIONS; that
is reproduced by `django_connect_kwargs`. edx-platform's driver is mysqlclient, whose
`ssl_mode` PyMySQL lacks: `pymysql_kwargs` maps it to PyMySQL's equivalent (VERIFY_CA:
CA checked; VERIFY_IDENTITY: CA and host name checked). That mapping is the test double.
"""

from __future__ import annotations

import ssl
import typing as t

import pymysql
import pytest
from datastore_roots import mount_ca
from edx_settings_standin import evaluate

EMOJI = "graduation \U0001f393"


def django_connect_kwargs(database: dict[str, t.Any]) -> dict[str, t.Any]:
    kwargs: dict[str, t.Any] = {"charset": "utf8"}
    kwargs.update(
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=int(database["PORT"]),
        database=database["NAME"],
    )
    kwargs.update(database.get("OPTIONS", {}))
    return kwargs


def pymysql_kwargs(kwargs: dict[str, t.Any]) -> dict[str, t.Any]:
    kwargs = dict(kwargs)
    mode = kwargs.pop("ssl_mode", None)
    if "ssl" in kwargs:
        assert mode in ("VERIFY_CA", "VERIFY_IDENTITY"), mode
        kwargs["ssl"] = {
            "ca": kwargs["ssl"]["ca"],
            "verify_mode": ssl.CERT_REQUIRED,
            "check_hostname": mode == "VERIFY_IDENTITY",
        }
    return kwargs


@pytest.fixture(scope="module")
def settings(tls_root, tmp_path_factory):
    return evaluate(tls_root, mount_ca(tls_root, tmp_path_factory.mktemp("ca-mount")))


def test_options_restore_utf8mb4_and_verify_tls(settings) -> None:
    options = settings["DATABASES"]["default"]["OPTIONS"]
    assert options["charset"] == "utf8mb4"
    assert options["ssl_mode"] == "VERIFY_IDENTITY"
    assert options["ssl"]["ca"].endswith("/ca-bundle.pem")
    assert options["init_command"] == "SET sql_mode='STRICT_TRANS_TABLES'"


def test_tls_round_trip_with_utf8mb4(settings) -> None:
    conn = pymysql.connect(
        **pymysql_kwargs(django_connect_kwargs(settings["DATABASES"]["default"]))
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
            assert cursor.fetchone()[1], "the session is not encrypted"
            cursor.execute("SELECT @@character_set_connection")
            assert cursor.fetchone()[0] == "utf8mb4"
            cursor.execute("CREATE TABLE IF NOT EXISTS eks_t (v VARCHAR(40)) CHARACTER SET utf8mb4")
            cursor.execute("INSERT INTO eks_t VALUES (%s)", (EMOJI,))
            cursor.execute("SELECT v FROM eks_t WHERE v = %s", (EMOJI,))
            assert cursor.fetchone()[0] == EMOJI
        conn.rollback()
    finally:
        conn.close()


def test_tutor_alone_loses_4_byte_characters(tls_root, tmp_path, settings) -> None:
    """Tutor's own OPTIONS (RUN_MYSQL=false) make Django connect as utf8: the insert of
    a 4-byte character fails in strict mode. (TLS is added so that only the charset differs.)"""
    tutor_only = evaluate(tls_root, mount_ca(tls_root, tmp_path), with_plugin=False)
    database = tutor_only["DATABASES"]["default"]
    assert "charset" not in database["OPTIONS"]
    kwargs = django_connect_kwargs(database)
    kwargs["ssl"] = settings["DATABASES"]["default"]["OPTIONS"]["ssl"]
    kwargs["ssl_mode"] = "VERIFY_IDENTITY"
    conn = pymysql.connect(**pymysql_kwargs(kwargs))
    try:
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS eks_t (v VARCHAR(40)) CHARACTER SET utf8mb4")
            with pytest.raises(pymysql.err.DataError, match="Incorrect string value"):
                cursor.execute("INSERT INTO eks_t VALUES (%s)", (EMOJI,))
    finally:
        conn.close()


def test_wrong_ca_is_refused(tls_root, pki, tmp_path) -> None:
    wrong = evaluate(tls_root, mount_ca(tls_root, tmp_path, bundle=pki.wrong_ca))
    kwargs = pymysql_kwargs(django_connect_kwargs(wrong["DATABASES"]["default"]))
    with pytest.raises(pymysql.err.OperationalError) as error:
        pymysql.connect(**kwargs, connect_timeout=5)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error.value) or "certificate verify failed" in str(
        error.value
    )


def test_wrong_password_is_refused(settings) -> None:
    kwargs = pymysql_kwargs(django_connect_kwargs(settings["DATABASES"]["default"]))
    kwargs["password"] = "not-the-password"
    with pytest.raises(pymysql.err.OperationalError) as error:
        pymysql.connect(**kwargs, connect_timeout=5)
    assert error.value.args[0] == 1045  # access denied


def test_server_refuses_clear_text(settings) -> None:
    """The server side of the test really requires TLS: without the ssl options the
    same credentials are refused, so the round trip above proves TLS was used."""
    kwargs = django_connect_kwargs(settings["DATABASES"]["default"])
    kwargs.pop("ssl"), kwargs.pop("ssl_mode")
    # PyMySQL >= 1.2 tries TLS unverified when no ssl option is given: disable it.
    with pytest.raises(pymysql.err.OperationalError):
        pymysql.connect(**kwargs, ssl_disabled=True, connect_timeout=5)
