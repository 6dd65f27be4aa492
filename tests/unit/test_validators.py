"""Each kind of validator on its own, at its edges: what passes, what does not, and the
sentence a refusal gives. No Tutor config is built, so scripts/mutation.sh can run these
once per mutant of tutor_eks_plugin/settings/validators.py before the slower generated
boundary tests (test_setting_boundaries.py)."""

from __future__ import annotations

import pytest

from tutor_eks_plugin.settings import Setting
from tutor_eks_plugin.settings import validators as s


@pytest.mark.parametrize(("value", "ok"), [
    (True, True), (False, True), (1, False), (0, False), ("true", False), (None, False)])
def test_boolean(value, ok) -> None:
    assert s.Boolean().ok(value) is ok
    assert s.Boolean().problem(value) == (None if ok else "true or false")


@pytest.mark.parametrize(("value", "ok"), [
    (1, False), (2, True), (3, True), (5, True), (6, False), (True, False), (False, False),
    (3.0, False), ("3", False), (None, False)])
def test_integer(value, ok) -> None:
    v = s.Integer(2, 5)
    assert v.ok(value) is ok
    assert v.problem(value) == (None if ok else "a whole number from 2 to 5")


@pytest.mark.parametrize(("value", "ok"), [
    ("1", False), ("2", True), ("5", True), ("6", False), (5, True), ("-3", False),
    ("3.0", False), ("٣", False), ("", False), (True, False)])
def test_rendered_integer(value, ok) -> None:
    assert s.RenderedInteger(2, 5).ok(value) is ok
    assert s.whole_number("4") == 4


def test_choice() -> None:
    v = s.Choice(["a", "b"])
    assert v.ok("a") and v.ok("b")
    assert not v.ok("c") and not v.ok(["a"]) and not v.ok(None)
    assert v.allowed == "one of 'a', 'b'"


@pytest.mark.parametrize(("value", "ok"), [
    ("learn.example.com", True), ("a", True), ("a-b.c", True), ("-a.com", False),
    ("a-.com", False), ("Learn.example.com", False), ("a..b", False), ("a_b.com", False),
    ("a" * 63 + ".com", True), ("a" * 64 + ".com", False), (".".join(["a" * 62] * 4), True),
    (".".join(["a" * 63] * 4), False), ("", False), (None, False), (3, False)])
def test_host(value, ok) -> None:
    assert s.host().ok(value) is ok


def test_host_and_name_may_allow_empty() -> None:
    assert s.host(allow_empty=True).ok("") and not s.host().ok("")
    assert s.host(allow_empty=True).allowed.endswith(" or ''")
    assert not s.host().allowed.endswith(" or ''")
    assert s.k8s_name(allow_empty=True).ok("") and not s.k8s_name().ok("")
    assert s.k8s_name(allow_empty=True).allowed.endswith(" or '' for none")
    assert s.k8s_name().ok("gp3.storage") and not s.k8s_name().ok("GP3")
    assert s.Pattern(s.DNS_LABEL_RE).allowed == "a matching string"


@pytest.mark.parametrize(("value", "ok"), [
    ("500m", True), ("2", True), ("0.5", True), ("1.125", True), ("1.1234", False),
    (2, True), (0.5, True), ("2Gi", False), ("m", False), (True, False), (None, False)])
def test_cpu(value, ok) -> None:
    assert s.cpu().ok(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("512Mi", True), ("2Gi", True), ("1024", True), (1024, True), ("1G", True),
    ("2GB", False), ("1.5Gi", False), ("Gi", False), ("", False)])
def test_memory(value, ok) -> None:
    assert s.memory().ok(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("0", True), (0, True), ("4m", True), ("250M", True), ("1g", True), ("10", True),
    ("1k", True), ("1t", False), ("4mb", False), ("-1", False), ("1.5m", False), (False, False)])
def test_nginx_size(value, ok) -> None:
    assert s.nginx_size().ok(value) is ok
    assert s.quantity_text(0) == "0"


@pytest.mark.parametrize(("value", "ok"), [
    ("203.0.113.0/24", True), ("10.0.0.1/32", True), ("0.0.0.0/0", False),
    ("203.0.113.1/24", False), ("203.0.113.0", False), ("2001:db8::/32", False),
    ("x/24", False), (None, False), ("128.0.0.0/1", True)])
def test_private_cidr(value, ok) -> None:
    assert s.PrivateCidr().ok(value) is ok


def test_list_of() -> None:
    v = s.ListOf(s.Integer(1, 3))
    assert v.ok([]) and v.ok([1, 3])
    assert not v.ok([1, 4]) and not v.ok((1,)) and not v.ok(1)
    assert v.allowed == "a list whose items are each a whole number from 1 to 3"


def test_mapping() -> None:
    v = s.Mapping({"a": s.Integer(1, 2)}, {"b": s.Boolean()})
    assert v.ok({"a": 1}) and v.ok({"a": 2, "b": True})
    assert not v.ok({"a": 3})  # a required key out of range
    assert not v.ok({"a": 1, "b": 1})  # an optional key of the wrong kind
    assert not v.ok({"b": True})  # a required key missing
    assert not v.ok({"a": 1, "c": 1})  # an unknown key
    assert not v.ok([("a", 1)])
    assert v.allowed == ("a mapping with keys a (a whole number from 1 to 2); "
                         "optional b (true or false)")
    assert s.Mapping({"a": s.Boolean()}).allowed == "a mapping with keys a (true or false)"


@pytest.mark.parametrize(("value", "ok"), [
    ("s3cr3t-Pass_word.+/=", True), ("", True), ("a'b", False), ('a"b', False),
    ("a\\b", False), ("a$b", False), ("a`b", False), ("a b", False), ("a\tb", False),
    ("${EKS_SECRET_MYSQL_ROOT_PASSWORD}", True), ("${EKS_SECRET_}", False),
    ("${EKS_SECRET_mysql}", False), ("${HOME}", False), ("${EKS_SECRET_A} ", False),
    ("x${EKS_SECRET_A}", False), (123, False), (None, False)])
def test_secret(value, ok) -> None:
    """The characters Tutor's quoted templates can carry, or the Secrets Manager
    placeholder of settings/secrets.py, nothing else."""
    assert s.Secret().ok(value) is ok
    assert s.Secret().problem(value) == (None if ok else s.Secret.allowed)


def test_the_placeholder_form_is_the_one_secrets_py_writes() -> None:
    from tutor_eks_plugin.settings import secrets

    for movable in secrets.MOVABLE:
        assert s.Secret().ok(movable.placeholder)
    assert s.Secret().ok(secrets.MEILISEARCH_API_KEY_PLACEHOLDER)


def test_setting_key_has_the_prefix() -> None:
    assert Setting("X_Y", 1, s.Integer(0, 2), "help").key == "EKS_X_Y"


def test_settings_are_immutable() -> None:
    import dataclasses

    setting = Setting("X_Y", 1, s.Integer(0, 2), "help")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setting.default = 2  # type: ignore[misc]
