"""Facts about the deployment that live in the Terraform code, read at run time.

One truth per fact: the stage-2 controllers are the `helm_release` resources of
terraform/stacks/cluster, the edge ports are the edge module's variable defaults,
and the backup plan exists when the stage-1 stack has a `backup` module.
"""

from __future__ import annotations

import re
import typing as t
from importlib import resources

_HELM_RELEASE = re.compile(r'^resource\s+"helm_release"\s+"([A-Za-z0-9_-]+)"\s*\{', re.MULTILINE)
_NAME = re.compile(r'^\s*name\s*=\s*"([^"$]+)"', re.MULTILINE)
_BACKUP_MODULE = re.compile(r'^module\s+"backup"\s*\{', re.MULTILINE)


def terraform_root() -> t.Any:  # a Traversable (importlib.resources.abc only from 3.11)
    return resources.files("tutor_eks_plugin.terraform")


def _tf_files(folder: str) -> list[str]:
    root = terraform_root() / folder
    return [
        f.read_text(encoding="utf-8")
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.is_file() and f.name.endswith(".tf")
    ]


def helm_releases() -> list[str]:
    """Release names (the `name` attribute) of every stage-2 helm_release."""
    found: list[str] = []
    for text in _tf_files("stacks/cluster"):
        for match in _HELM_RELEASE.finditer(text):
            # The release's own `name` is its first top-level attribute line after the
            # resource header (nested blocks come later in this codebase's style).
            name = _NAME.search(text, match.end())
            found.append(name.group(1) if name else match.group(1))
    return found


def has_backup_module() -> bool:
    return any(_BACKUP_MODULE.search(text) for text in _tf_files("stacks/aws"))


def edge_variable_default(name: str) -> t.Union[int, str]:
    """Default of a variable of the edge module (NGINX ports, origin header name)."""
    return module_variable_default("edge", name)


def module_variable_default(module: str, name: str) -> t.Union[int, str]:
    """Default of a number or string variable of terraform/modules/<module>."""
    text = "\n".join(_tf_files(f"modules/{module}"))
    match = re.search(
        rf'^variable\s+"{re.escape(name)}"\s*\{{[^}}]*?^\s*default\s*=\s*(\d+|"[^"]*")',
        text,
        re.M | re.S,
    )
    if not match:
        raise LookupError(f"terraform/modules/{module}: no default for variable {name!r}")
    value = match.group(1)
    return value.strip('"') if value.startswith('"') else int(value)


def az_count() -> int:
    """The availability zones the stage-1 network spans (module "network" az_count)."""
    text = "\n".join(_tf_files("stacks/aws"))
    match = re.search(r'^module\s+"network"\s*\{[^}]*?^\s*az_count\s*=\s*(\d+)', text, re.M | re.S)
    if not match:
        raise LookupError('terraform/stacks/aws: module "network" sets no literal az_count')
    return int(match.group(1))


def waf_rule_count() -> int:
    """Rules of the edge web ACL: managed groups, static rules, host-scoped rules."""
    text = (terraform_root() / "modules/edge/waf.tf").read_text(encoding="utf-8")
    groups = re.search(r"managed_rule_groups\s*=\s*\{([^}]*)\}", text)
    managed = len(re.findall(r"^\s*AWSManagedRules\w+\s*=", groups.group(1), re.M)) if groups else 0
    static = len(re.findall(r"^\s*rule\s*\{", text, re.M))
    variables = (terraform_root() / "modules/edge/variables.tf").read_text(encoding="utf-8")
    scoped = re.search(
        r'variable\s+"waf_host_scoped_common_rules"\s*\{.*?default\s*=\s*\{([^}]*)\}',
        variables,
        re.S,
    )
    host_scoped = len(re.findall(r"^\s*\w+\s*=", scoped.group(1), re.M)) if scoped else 0
    return managed + static + host_scoped
