"""The offline check of the rendered manifests behind `tutor eks check`: render a copy,
kustomize it, validate every object against strict Kubernetes schemas, run the policies
(over the objects and over the Django settings rendered beside them).

(`tutor eks validate`, commands/validate.py, is the other check: live, of a running
deployment.)
"""

from __future__ import annotations

import tempfile
import time
import typing as t
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tutor import env as tutor_env

from .. import policies
from . import kustomize, schemas


@dataclass
class CheckReport:
    objects: list[dict[str, t.Any]] = field(default_factory=list)
    schema_results: list[schemas.SchemaResult] = field(default_factory=list)
    policy_failures: dict[str, list[str]] = field(default_factory=dict)
    policies_run: int = 0
    figures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[str]:
        found = [f"schema {r.version}: {f}" for r in self.schema_results for f in r.failures]
        for name, items in self.policy_failures.items():
            found += [f"policy {name}: {item}" for item in items]
        return found

    @property
    def ok(self) -> bool:
        return not self.failures

    def kinds(self) -> Counter[str]:
        return Counter(o["kind"] for o in self.objects)


def run_check(user_root: str, versions: t.Sequence[str] | None = None) -> CheckReport:
    started = time.perf_counter()
    report = CheckReport()
    with tempfile.TemporaryDirectory(prefix="tutor-eks-check-") as work_root:
        config = kustomize.render_copy(user_root, work_root)
        report.objects = kustomize.kustomize(work_root)
        # Policies over the rendered files (Django settings), while the copy exists.
        for name, env_policy in policies.all_env_policies():
            report.policies_run += 1
            problems = env_policy(Path(tutor_env.pathjoin(work_root)), config)
            if problems:
                report.policy_failures[name] = problems
    for version in versions or config["EKS_CHECK_KUBERNETES_VERSIONS"]:
        report.schema_results.append(schemas.validate(report.objects, version))
    for name, policy in policies.all_policies():
        report.policies_run += 1
        problems = policy(report.objects, config)
        if problems:
            report.policy_failures[name] = problems
    for figure in policies.all_figures():
        report.figures += figure(report.objects, config)
    report.seconds = time.perf_counter() - started
    return report


def format_report(report: CheckReport) -> list[str]:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.kinds().items()))
    lines = [f"Rendered {len(report.objects)} objects: {kinds}."]
    for result in report.schema_results:
        lines.append(
            f"Strict schemas, Kubernetes {result.version}: {result.validated} valid, "
            f"{len(result.failures)} invalid"
            + (f", {len(result.unchecked)} custom resources without a schema "
               f"({', '.join(result.unchecked)})." if result.unchecked else ".")
        )
    failed = sum(1 for items in report.policy_failures.values() if items)
    lines += report.figures
    lines.append(f"Policies: {report.policies_run - failed} passed, {failed} failed.")
    lines += [f"  FAIL {item}" for item in report.failures]
    lines.append(f"{'OK' if report.ok else 'FAILED'} in {report.seconds:.1f}s.")
    return lines
