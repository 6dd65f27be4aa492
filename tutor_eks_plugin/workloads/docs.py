"""docs/workloads.md's table of workloads, generated from the workload table.

`python -m tutor_eks_plugin.workloads.docs` prints it; `--write docs/workloads.md`
replaces the block between the markers. tests/plugin_workloads/test_docs.py fails when
the page and the code disagree.
"""

from __future__ import annotations

from .. import docs_block
from . import CORE, GENERIC_WEB, GENERIC_WORKER, KNOWN, Workload

BEGIN, END = docs_block.markers("workload-table", "tutor_eks_plugin.workloads.docs")

# The core formulas are shown with the defaults they follow: Tutor's 2 uwsgi
# processes and the plugin's celery concurrency of 2.
DEFAULTS = {
    "OPENEDX_LMS_UWSGI_WORKERS": 2, "OPENEDX_CMS_UWSGI_WORKERS": 2,
    "EKS_LMS_WORKER_CONCURRENCY": 2, "EKS_CMS_WORKER_CONCURRENCY": 2,
}


def _value(text: str) -> str:
    import jinja2

    # Formulas of quantities, rendered to Markdown text: no HTML to escape.
    return jinja2.Environment(autoescape=False).from_string(text).render(DEFAULTS)  # noqa: S701


def _replicas(w: Workload, profile: str) -> str:
    low, high = w.replicas[profile]
    return f"fixed {low}" if low == high and not w.dedicated_settings else f"HPA {low}-{high}"


def _probe(w: Workload) -> str:
    if w.kind == "worker" or w.probe == "none":
        return "none (documented skip)"
    if w.probe == "http":
        host = f", Host `{w.probe_host}`" if w.probe_host else ""
        return f"HTTP `{w.probe_path}`{host} (startup), TCP {w.port} (readiness, liveness)"
    return f"TCP {w.port or '(routed port)'}"


def _row(w: Workload, name: str, plugin: str) -> str:
    cpu = f"{_value(w.cpu_request)} / {_value(w.cpu_limit)}"
    memory = f"{_value(w.memory_request)} / {_value(w.memory_limit)}"
    sidecars = "".join(
        f"; {s.container}: {s.cpu_request} / {s.cpu_limit}, "
        f"{s.memory_request} / {s.memory_limit}" for s in w.sidecars
    )
    return (f"| {name} | {plugin} | {w.kind} | {cpu} | {memory}{sidecars} | "
            f"{_replicas(w, 'production')} | {_replicas(w, 'small')} | {_probe(w)} | "
            "maxUnavailable 1 |")


def table() -> str:
    rows = [
        "| workload | plugin | kind | CPU request / limit | memory request / limit | "
        "replicas (production) | replicas (small) | probes | PDB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for w in CORE + KNOWN:
        rows.append(_row(w, f"`{w.name}`", w.plugin or "(Tutor)"))
    rows.append(_row(GENERIC_WEB, "any other Deployment behind a route", "any"))
    rows.append(_row(GENERIC_WORKER, "any other Deployment without a route", "any"))
    return "\n".join(rows)


def replace_block(text: str) -> str:
    return docs_block.splice(text, BEGIN, END, table())


def main(argv: list[str] | None = None) -> int:
    return docs_block.main(argv, description=__doc__ or "", render=table,
                           target="docs/workloads.md", block=(BEGIN, END))


if __name__ == "__main__":
    raise SystemExit(main())
