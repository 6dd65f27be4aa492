"""Strict schema validation: real errors fail, custom resources are reported unchecked."""

from __future__ import annotations

from tutor_eks_plugin.render import schemas

INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "lms"},
    "spec": {"ingressClassName": "nginx", "rules": [{"host": "learn.example.com"}]},
}


def test_valid_object() -> None:
    result = schemas.validate([INGRESS], "1.34")
    assert (result.validated, result.failures, result.unchecked) == (1, [], [])


def test_unknown_field_fails_in_strict_mode() -> None:
    broken = {**INGRESS, "spec": {**INGRESS["spec"], "ingressClass": "nginx"}}
    result = schemas.validate([broken], "1.37")
    assert result.validated == 0 and len(result.failures) == 1
    assert result.failures[0].startswith("Ingress/lms:")


def test_removed_core_api_version_fails() -> None:
    old = {**INGRESS, "apiVersion": "networking.k8s.io/v1beta1"}
    result = schemas.validate([old], "1.34")
    assert result.failures and "does not exist in Kubernetes 1.34" in result.failures[0]


def test_custom_resource_is_unchecked_not_failed() -> None:
    vpa = {"apiVersion": "autoscaling.k8s.io/v1", "kind": "VerticalPodAutoscaler",
           "metadata": {"name": "lms-vpa"}, "spec": {}}
    result = schemas.validate([vpa], "1.34")
    assert result.failures == [] and result.unchecked == ["VerticalPodAutoscaler/lms-vpa"]
