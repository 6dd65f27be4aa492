"""Strict validation of the custom resources whose CRD schemas the plugin vendors
(render/crd_schemas/, with their source and licence): the External Secrets Operator's
SecretStore and ExternalSecret (docs/secrets.md), and the F5 NGINX Ingress Controller's
VirtualServer (the MFE host's root redirect, docs/network-isolation.md).

The API server prunes fields a structural schema does not declare, so a misspelt field
would be dropped without a word: here it is an error. An object schema with declared
properties and neither ``additionalProperties`` nor
``x-kubernetes-preserve-unknown-fields`` is closed before validation.
"""

from __future__ import annotations

import copy
import json
import typing as t
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "crd_schemas"


def _file(api_version: str, kind: str) -> Path:
    group, _, version = api_version.rpartition("/")
    return SCHEMA_DIR / f"{group}_{version}_{kind}.json"


def _closed(schema: t.Any) -> t.Any:
    if isinstance(schema, dict):
        schema = {k: _closed(v) for k, v in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@cache
def _schema(api_version: str, kind: str) -> t.Optional[dict[str, t.Any]]:
    path = _file(api_version, kind)
    if not path.is_file():
        return None
    schema = _closed(json.loads(path.read_text(encoding="utf-8")))
    # metadata is the API server's ObjectMeta, not part of the CRD's own schema.
    schema["properties"]["metadata"] = {"type": "object"}
    return t.cast(dict[str, t.Any], schema)


def has_schema(obj: dict[str, t.Any]) -> bool:
    return _schema(str(obj.get("apiVersion", "")), str(obj.get("kind", ""))) is not None


def validate(obj: dict[str, t.Any]) -> list[str]:
    """Problems of one object against its vendored schema ('path: message' each)."""
    import jsonschema  # a dependency of kubernetes-validate; only `tutor eks check` needs it

    schema = _schema(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if schema is None:
        raise KeyError(f"no vendored schema for {obj.get('apiVersion')} {obj.get('kind')}")
    validator = jsonschema.Draft7Validator(copy.deepcopy(schema))
    found = []
    for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path) or "(root)"
        found.append(f"{where}: {error.message}")
    return found
