"""Every user string that reaches a Kubernetes template is quoted YAML-safely.

Validation keeps most hostile strings out, but the templates must not rely on it: here
every EKS_* string setting gets a string made to break out of a YAML scalar (a quote,
a newline and a key of its own), *without* the plugin's validation, and Tutor renders
the env (in a child process with the plugins loaded as `tutor` loads them). `kubectl
kustomize` must still build it, and the injected key must appear nowhere, only the
string itself, intact, as a value.

Not overwritten: the keys that Python reads before anything is rendered, because a
hostile value stops the render before any template (they can never reach YAML):
EKS_CA_BUNDLE_PATH (a file that is read) and the body sizes (compared as byte counts
to pick the largest per host), and the replica counts (their defaults are templates
that render to numbers, validator RenderedInteger: the workload table reads them as
whole numbers to build the HPAs; validation refuses anything else first). Choice keys (EKS_MEDIA_BACKEND, EKS_INGRESS_CONTROLLER,
...) decide which templates render: each branch is rendered in its own pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
import yaml
from tutor_cli import new_root

HOSTILE = 'x"\ninjected-by-test: yes\n#'
INJECTED = "injected-by-test"
READ_BY_PYTHON = {
    "EKS_CA_BUNDLE_PATH",
    "EKS_INGRESS_LMS_MAX_BODY_SIZE",
    "EKS_INGRESS_CMS_MAX_BODY_SIZE",
    "EKS_INGRESS_DEFAULT_MAX_BODY_SIZE",
}

# Renders <root>/env from the root's config.yml with the overrides, as `tutor config
# save` would, but without the eks plugin's validation (nothing is written to config.yml).
RENDER = r"""
import json, sys
from tutor.commands import cli  # registers Tutor's template filters, as `tutor` does
from tutor import config as tutor_config, env, hooks, plugins
from tutor_eks_plugin import config as eks_config
from tutor_eks_plugin.settings.validators import Choice, RenderedInteger

root, overrides, hostile, skip = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], set(json.loads(sys.argv[4]))
hooks.Actions.CORE_READY.do()
config = tutor_config.get_user(root)
plugins.load_all(config["PLUGINS"])
tutor_config.update_with_base(config)
tutor_config.update_with_defaults(config)
strings = [s.key for s in eks_config.all_settings()
           if isinstance(s.default, str)
           and not isinstance(s.validator, (Choice, RenderedInteger))
           and s.key not in skip]
for key in strings:
    config[key] = hostile
config.update(overrides)
tutor_config.render_full(config)
env.save(root, config)
print(json.dumps(strings))
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    new_root(root, ("mfe", "eks"))
    return root


def _walk(node: t.Any, found: list[tuple[str, t.Any]], path: str = "") -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((f"{path}/{key}", key))
            _walk(value, found, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, found, f"{path}/{index}")
    else:
        found.append((path, node))


BRANCHES = {
    "efs, F5 NGINX": {},
    "s3 with IRSA, community NGINX": {
        "EKS_MEDIA_BACKEND": "s3", "EKS_MEDIA_IAM": "irsa",
        "EKS_INGRESS_CONTROLLER": "community-nginx",
    },
}


@pytest.mark.parametrize("branch", list(BRANCHES))
def test_hostile_strings_stay_values(base: Path, tmp_path: Path, kubectl_bin: str,
                                     branch: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "config.yml").write_bytes((base / "config.yml").read_bytes())
    overrides = {
        **BRANCHES[branch],
        # Bypassing validation, the key of an annotation and every field of a route too.
        "EKS_INGRESS_EXTRA_ANNOTATIONS": {HOSTILE: HOSTILE, "example.com/note": HOSTILE},
        "EKS_INGRESS_EXTRA_ROUTES": [
            {"host": HOSTILE, "service": HOSTILE, "port": 80, "path": "/" + HOSTILE}
        ],
    }
    rendered = subprocess.run(
        [sys.executable, "-c", RENDER, str(root), json.dumps(overrides), HOSTILE,
         json.dumps(sorted(READ_BY_PYTHON))],
        capture_output=True, text=True, check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    overwritten = json.loads(rendered.stdout.strip().splitlines()[-1])
    assert "EKS_INGRESS_CLASS_NAME" in overwritten and "EKS_MEDIA_STORAGE_CLASS" in overwritten

    built = subprocess.run([kubectl_bin, "kustomize", str(root / "env")],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    objects = [o for o in yaml.safe_load_all(built.stdout) if o]
    found: list[tuple[str, t.Any]] = []
    for obj in objects:
        _walk(obj, found, f"{obj['kind']}/{obj['metadata']['name']}")
    assert not [p for p, v in found if v == INJECTED or p.endswith("/" + INJECTED)], found
    intact = {p for p, v in found if v == HOSTILE}
    ingresses = [o for o in objects if o["kind"] == "Ingress"]
    assert ingresses and all(i["spec"]["ingressClassName"] == HOSTILE for i in ingresses)
    assert all(i["metadata"]["annotations"][HOSTILE] == HOSTILE for i in ingresses)
    assert any(i["spec"]["rules"][0]["host"] == HOSTILE for i in ingresses)
    if branch.startswith("efs"):
        claim = next(o for o in objects if o["kind"] == "PersistentVolumeClaim"
                     and o["metadata"]["name"] == "openedx-media")
        assert claim["spec"]["storageClassName"] == HOSTILE
    else:
        account = next(o for o in objects if o["kind"] == "ServiceAccount")
        assert account["metadata"]["name"] == HOSTILE
        assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == HOSTILE
    assert intact
