"""The decisions that moved out of Jinja into tutor_eks_plugin/workloads/shape.py:
celery's pool-size arguments, tutor-contrib-k8s's HPA/PDB conditions, how a rendered
Deployment is classified, and how EKS_WORKLOADS changes an entry. Pure functions,
no render."""

from __future__ import annotations

import pytest

from tutor_eks_plugin.workloads import shape


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["celery", "worker"], True),
        (["celery", "worker", "--concurrency=4"], False),
        (["celery", "worker", "--concurrency", "4"], False),
        (["celery", "worker", "-c", "4"], False),
        (["celery", "worker", "-c4"], False),
        (["celery", "worker", "--autoscale=8,2"], False),
        # Not a pool size: a queue name that merely contains the letters.
        (["celery", "worker", "--queues=edx.lms.core.concurrency"], True),
    ],
)
def test_concurrency_added_only_when_unset(args: list[str], expected: bool) -> None:
    result = shape.worker_args(args, 3)
    assert (result[-1] == "--concurrency=3") is expected, result
    assert result[: len(args)] == args


K8S = {
    "PLUGINS": ["eks", "k8s", "mfe"],
    "K8S_LMS_HPA_ENABLE": True, "K8S_LMS_HPA_CPU_ENABLE": True, "K8S_LMS_KEDA_ENABLE": False,
    "K8S_LMS_PDB_ENABLE": True,
    "K8S_CMS_HPA_ENABLE": True, "K8S_CMS_HPA_CPU_ENABLE": False,
    "K8S_CMS_HPA_MEMORY_ENABLE": False, "K8S_CMS_PDB_ENABLE": False,
    "K8S_MFE_HPA_ENABLE": True, "K8S_MFE_HPA_MEMORY_ENABLE": True, "K8S_MFE_KEDA_ENABLE": True,
    "K8S_MFE_PDB_ENABLE": True,
    "K8S_CADDY_VPA_ENABLE": True,
}


def test_k8s_deletions_mirror_tutor_k8s_conditions() -> None:
    found = {(d["kind"], d["name"]) for d in shape.k8s_deletions(
        K8S, [("lms", "LMS"), ("cms", "CMS"), ("mfe", "MFE"), ("notes", "NOTES")])}
    assert found == {
        ("HorizontalPodAutoscaler", "lms-hpa"),  # HPA on CPU, no KEDA
        ("PodDisruptionBudget", "lms-pdb"),
        # cms: HPA enabled but neither metric: tutor-k8s renders none, nothing to delete.
        ("PodDisruptionBudget", "mfe-pdb"),  # mfe's HPA is KEDA's ScaledObject instead
        ("VerticalPodAutoscaler", "caddy-vpa"),
        # notes: tutor-k8s has no keys for it.
    }
    assert shape.k8s_deletions({**K8S, "PLUGINS": ["eks"]}, [("lms", "LMS")]) == []


def _deployment(name: str, port_name: str | None = None) -> dict:
    port = {"containerPort": 8080, **({"name": port_name} if port_name else {})}
    return {"metadata": {"name": name},
            "spec": {"template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": name, "ports": [port]},
                                                          {"name": "side"}]}}}}


def test_find_classifies_by_route_and_resolves_named_ports() -> None:
    service = {"metadata": {"name": "web"},
               "spec": {"selector": {"app": "web"},
                        "ports": [{"port": 80, "targetPort": "http"}]}}
    found = shape.find([("acme", _deployment("web", "http")), ("acme", _deployment("bg"))],
                       [service], [("web", 80)])
    assert found == [shape.Found("web", "acme", ("web", "side"), 8080),
                     shape.Found("bg", "acme", ("bg", "side"), None)]
    config = {"PLUGINS": ["eks", "acme"], "EKS_PROFILE": "production"}
    entries = {w.name: w for w in shape.resolve(config, found)}
    assert entries["web"].kind == "web" and entries["web"].port == 8080
    assert entries["web"].probe == "tcp"
    assert entries["bg"].kind == "worker" and entries["bg"].probe == "none"
    # Every further container gets the generic sidecar resources.
    view = shape.view(entries["web"], config)
    assert [c["name"] for c in view["containers"]] == ["web", "side"]
    assert view["containers"][1]["index"] == 1 and view["containers"][1]["cpu_request"] == "50m"


def test_overrides_and_fixed_counts() -> None:
    found = [shape.Found("notes", "notes", ("notes",), 8000)]
    config = {"PLUGINS": ["eks", "notes"], "EKS_PROFILE": "production",
              "EKS_WORKLOADS": {"notes": {"cpu_request": "400m", "min_replicas": 3,
                                          "max_replicas": 3, "probe_path": "/heartbeat/x"}}}
    notes = next(w for w in shape.resolve(config, found) if w.name == "notes")
    view = shape.view(notes, config)
    assert view["cpu_request"] == "400m" and view["probe_path"] == "/heartbeat/x"
    # Equal bounds: a fixed count, no HPA.
    assert view["hpa"] is False and view["replicas"] == 3
    # Without the override: the table's HPA range for production.
    plain = next(w for w in shape.resolve({**config, "EKS_WORKLOADS": {}}, found)
                 if w.name == "notes")
    assert shape.view(plain, config)["hpa"] is True
    assert (plain.replicas["production"]) == (2, 4)


def test_core_keeps_its_hpa_with_equal_bounds() -> None:
    """`tutor eks scale lms --min 3 --max 3` patches the live HPA: it must stay."""
    config = {"PLUGINS": ["eks"], "EKS_PROFILE": "production",
              "EKS_LMS_MIN_REPLICAS": 3, "EKS_LMS_MAX_REPLICAS": 3}
    lms = next(w for w in shape.resolve(config, []) if w.name == "lms")
    assert shape.view(lms, config)["hpa"] is True


def test_other_plugins_extend_the_table_through_the_filter() -> None:
    """A plugin's entry from tutor_eks_plugin.hooks.WORKLOADS replaces the generic one
    for its Deployment (loaded in a hooks context and cleared, as Tutor does)."""
    from dataclasses import replace

    from tutor import hooks

    from tutor_eks_plugin.hooks import WORKLOADS
    from tutor_eks_plugin.workloads import GENERIC_WEB

    found = [shape.Found("acme", "acme", ("acme",), 8080)]
    config = {"PLUGINS": ["eks", "acme"], "EKS_PROFILE": "production"}
    context = hooks.Contexts.app("acme-test")
    try:
        with context.enter():
            @WORKLOADS.add()
            def _acme(entries: list) -> list:
                return [*entries, replace(GENERIC_WEB, name="acme", plugin="acme", port=8080,
                                          probe="http", probe_path="/healthz",
                                          probe_host="acme", derived=False)]

        acme = next(w for w in shape.resolve(config, found) if w.name == "acme")
        assert (acme.probe, acme.probe_path, acme.derived) == ("http", "/healthz", False)
    finally:
        hooks.clear_all(context=context.name)
    generic = next(w for w in shape.resolve(config, found) if w.name == "acme")
    assert (generic.probe, generic.derived) == ("tcp", True)
