"""Template variables of the secrets concern (docs/secrets.md): which Tutor keys the pods
read from the Kubernetes Secret, and the Python the settings partials emit for them.

Everything here comes from EKS_SECRETS_SOURCE / EKS_SECRETS_REFERENCES; no value is
ever read, so nothing here can render one.
"""

from __future__ import annotations

import typing as t
from types import SimpleNamespace

import jinja2

from ..settings import secrets
from ..workloads import CORE, JOBS

# The Open edX workloads and the container that reads the values, per reader: from
# the workload table (its `secrets` flag, and each Job's reader).
READERS: dict[str, list[tuple[str, str, str]]] = {
    secrets.OPENEDX: [("Deployment", w.name, w.main_container) for w in CORE if w.secrets]
    + [("Job", j.name, j.container) for j in JOBS if j.secrets_reader == secrets.OPENEDX],
    secrets.MYSQL_JOB: [
        ("Job", j.name, j.container) for j in JOBS if j.secrets_reader == secrets.MYSQL_JOB
    ],
}
# Deployments restarted by `tutor eks secrets rollout` after a rotation.
DEPLOYMENTS = [name for kind, name, _ in READERS[secrets.OPENEDX] if kind == "Deployment"]


def view(config: dict[str, t.Any]) -> SimpleNamespace:
    moved = secrets.moved(config)
    refs = config.get("EKS_SECRETS_REFERENCES") or {}
    workloads: dict[tuple[str, str, str], list[str]] = {}
    for reader, objects in READERS.items():
        for obj in objects:
            envs = [m.env for m in moved if reader in m.readers]
            if envs:
                workloads.setdefault(obj, []).extend(envs)
    return SimpleNamespace(
        on=bool(moved),
        moved=[
            {
                "key": m.key,
                "env": m.env,
                "placeholder": m.placeholder,
                "secret": refs[m.key]["secret"],
                "property": refs[m.key]["property"],
            }
            for m in moved
        ],
        openedx_envs=[m.env for m in moved if secrets.OPENEDX in m.readers],
        # The other plugins' Django services: only what their data-store wiring reads
        # (service-settings/datastores: the Redis AUTH token).
        service_envs=[m.env for m in moved if m.key == "REDIS_PASSWORD"],
        workloads=[
            {"kind": kind, "name": name, "container": container, "envs": envs}
            for (kind, name, container), envs in workloads.items()
        ],
        kubernetes_secret=secrets.KUBERNETES_SECRET,
        store=secrets.SECRET_STORE,
        external_secret=secrets.EXTERNAL_SECRET,
        region=config.get("EKS_AWS_REGION", ""),
        refresh_interval=config.get("EKS_SECRETS_REFRESH_INTERVAL", "1h"),
        meilisearch_api_key_env=(
            secrets.ENV_PREFIX + "MEILISEARCH_API_KEY"
            if any(m.key == "MEILISEARCH_MASTER_KEY" for m in moved)
            else None
        ),
        master_key_env=secrets.BY_KEY["MEILISEARCH_MASTER_KEY"].env,
        moved_keys=[m.key for m in moved],
    )


@jinja2.pass_context
def eks_secrets(context: jinja2.runtime.Context) -> SimpleNamespace:
    return view({k: v for k, v in context.get_all().items() if k.isupper()})


@jinja2.pass_context
def eks_secret_py(context: jinja2.runtime.Context, key: str) -> str:
    """Python for a Tutor key's value in a settings partial: the literal (source
    'config') or a read of its environment variable at import time."""
    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    if key in [m.key for m in secrets.moved(config)]:
        return f"_EKS_SECRETS[{secrets.BY_KEY[key].env!r}]"
    return repr(config.get(key))


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [
    ("eks_secrets", eks_secrets),
    ("eks_secret_py", eks_secret_py),
]
