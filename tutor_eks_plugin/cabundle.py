"""The CA bundle that RDS, DocumentDB (and optionally ElastiCache) certificates chain to.

The bundle is public (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem)
but the plugin never downloads anything: the operator (or `tutor eks infra apply`)
points ``EKS_CA_BUNDLE_PATH`` at a PEM file, read when the env is rendered and shipped
to the pods as the generated ConfigMap ``eks-ca-bundle``; or names an existing
ConfigMap with ``EKS_CA_BUNDLE_CONFIGMAP``. Either way every Open edX pod and job
mounts it read-only at ``MOUNT_PATH``.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

CONFIGMAP_NAME = "eks-ca-bundle"
CONFIGMAP_KEY = "ca-bundle.pem"
VOLUME_NAME = "eks-ca-bundle"
MOUNT_DIR = "/etc/ssl/eks-ca"
MOUNT_PATH = f"{MOUNT_DIR}/{CONFIGMAP_KEY}"
# The mysql 8.4 client of mysql-job reads `$HOME/.my.cnf`; Tutor's job script cannot
# take extra flags (`tutor k8s do` replaces the container args), so the TLS options
# travel in this option file and the job's HOME points at its directory.
MYSQL_CLIENT_KEY = "mysql-client.cnf"
MYSQL_CLIENT_HOME = "/etc/eks-mysql-client"
MYSQL_CLIENT_CONFIGMAP = "eks-mysql-client"
# Where the rendered bundle lands under env/ (the configMapGenerator reads it there).
RENDERED_FILE = "plugins/eks/ca/ca-bundle.pem"

_PEM_RE = re.compile(
    r"-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----"
)
MAX_BYTES = 1024 * 1024


class CaBundleError(ValueError):
    """The configured CA bundle cannot be used; the message says why (no secrets)."""


def certificates(text: str) -> int:
    """How many well-formed PEM certificates `text` holds (DER must start a SEQUENCE)."""
    count = 0
    for body in _PEM_RE.findall(text):
        try:
            der = base64.b64decode("".join(body.split()), validate=True)
        except (binascii.Error, ValueError):
            return 0
        if not der or der[0] != 0x30:
            return 0
        count += 1
    return count


def read(path: str) -> str:
    """The bundle's text, checked: an absolute path to a readable PEM file of certificates."""
    if not os.path.isabs(os.path.expanduser(path)):
        raise CaBundleError(f"EKS_CA_BUNDLE_PATH={path!r} must be an absolute path.")
    full = os.path.expanduser(path)
    try:
        with open(full, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaBundleError(
            f"EKS_CA_BUNDLE_PATH={path!r} cannot be read ({exc.strerror or 'error'})."
        ) from None
    if len(raw) > MAX_BYTES:
        raise CaBundleError(f"EKS_CA_BUNDLE_PATH={path!r} is larger than 1 MiB.")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise CaBundleError(f"EKS_CA_BUNDLE_PATH={path!r} is not a PEM text file.") from None
    if "PRIVATE KEY" in text:
        # Never ship a key to every pod: refuse before it reaches a ConfigMap.
        raise CaBundleError(
            f"EKS_CA_BUNDLE_PATH={path!r} contains a private key: give only the CA certificates."
        )
    if certificates(text) == 0:
        raise CaBundleError(
            f"EKS_CA_BUNDLE_PATH={path!r} holds no PEM certificate "
            "('-----BEGIN CERTIFICATE-----' blocks)."
        )
    return text if text.endswith("\n") else text + "\n"


def source(config: dict[str, object]) -> str:
    """'file', 'configmap' or '' (none configured)."""
    if config.get("EKS_CA_BUNDLE_PATH"):
        return "file"
    if config.get("EKS_CA_BUNDLE_CONFIGMAP"):
        return "configmap"
    return ""


def configmap_name(config: dict[str, object]) -> str:
    """Name the pods' volume refers to (kustomize adds a hash suffix to the generated one)."""
    if source(config) == "configmap":
        return str(config["EKS_CA_BUNDLE_CONFIGMAP"])
    return CONFIGMAP_NAME
