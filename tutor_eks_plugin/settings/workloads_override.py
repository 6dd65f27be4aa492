"""The validator of EKS_WORKLOADS: per-workload overrides of the workload table.

Kept apart from settings/workloads.py (which declares the keys) because it is a
validator with its own grammar: a mapping of Deployment name -> {key: value}, each
value checked like the dedicated setting of the same meaning, and the first problem
said in one line naming the workload, the key and what is allowed.
"""

from __future__ import annotations

import re
import typing as t

from ..workloads import CORE, OVERRIDE_FIELDS, PROBES
from .validators import (
    DNS_LABEL_RE,
    Boolean,
    Choice,
    Integer,
    Pattern,
    Validator,
    cpu,
    cpu_millis,
    memory,
    memory_bytes,
)

_PATH_RE = re.compile(r"^/[A-Za-z0-9._~/%-]*$")
_HOST_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?$")
_CHECK_RE = re.compile(r"^CKV2?_K8S_[0-9]+$")


class _Skips(Validator):
    allowed = "a mapping of checkov check id (CKV_K8S_n) -> the reason (a sentence)"

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, dict) and all(
            isinstance(k, str) and _CHECK_RE.match(k) and isinstance(v, str)
            and len(v.split()) >= 3
            for k, v in value.items()
        )


FIELDS: dict[str, Validator] = {
    "cpu_request": cpu(),
    "cpu_limit": cpu(),
    "memory_request": memory(),
    "memory_limit": memory(),
    "min_replicas": Integer(1, 100),
    "max_replicas": Integer(1, 200),
    "cpu_target": Integer(10, 300),
    "port": Integer(1, 65535),
    "probe": Choice(list(PROBES)),
    "probe_path": Pattern(_PATH_RE, "an absolute URL path such as '/health/'"),
    "probe_host": Pattern(_HOST_RE, "a lower-case host name such as 'notes', or ''",
                          allow_empty=True),
    "media": Boolean(),
    "skips": _Skips(),
}
assert set(FIELDS) == set(OVERRIDE_FIELDS), "FIELDS and workloads.OVERRIDE_FIELDS drifted"

_CORE = {w.name: w.prefix for w in CORE}


def entry_problem(name: t.Any, values: t.Any) -> str | None:
    """The first problem of one EKS_WORKLOADS item, as the end of 'expected ...'."""

    if not isinstance(name, str) or not DNS_LABEL_RE.match(name):
        return f"Deployment names as keys ({name!r} is not a Kubernetes name)"
    if name in _CORE:
        return (f"no entry for {name}: its values have their own keys, "
                f"EKS_{_CORE[name]}_* (see the README's configuration table)")
    if not isinstance(values, dict):
        return f"{name}: a mapping of overrides, not {type(values).__name__}"
    for key, value in values.items():
        if key not in FIELDS:
            return f"{name}.{key} to be one of the keys {', '.join(OVERRIDE_FIELDS)}"
        allowed = FIELDS[key].problem(value)
        if allowed:
            return f"{name}.{key}={value!r} to be {allowed}"
    if values.get("min_replicas", 0) > values.get("max_replicas", 10**6):
        return f"{name}.min_replicas to be at most {name}.max_replicas"
    for resource, measure in (("cpu", cpu_millis), ("memory", memory_bytes)):
        request, limit = values.get(f"{resource}_request"), values.get(f"{resource}_limit")
        if request is not None and limit is not None and measure(request) > measure(limit):
            return f"{name}.{resource}_request to be at most {name}.{resource}_limit"
    return None


class WorkloadOverrides(Validator):
    allowed = ("a mapping of workload (Deployment) name -> overrides, e.g. "
               "{notes: {cpu_request: 500m, max_replicas: 6}}")

    def ok(self, value: t.Any) -> bool:
        return self.problem(value) is None

    def problem(self, value: t.Any) -> t.Optional[str]:
        if not isinstance(value, dict):
            return self.allowed
        for name, values in value.items():
            found = entry_problem(name, values)
            if found:
                return found
        return None
