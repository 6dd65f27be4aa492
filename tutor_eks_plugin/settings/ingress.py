"""Ingress: which controller routes the public hosts, and how."""

from __future__ import annotations

import re
import typing as t

from . import Setting
from .validators import (
    DNS_SUBDOMAIN_RE,
    Boolean,
    Choice,
    Integer,
    ListOf,
    Mapping,
    Pattern,
    Validator,
    host,
    k8s_name,
    nginx_size,
)

F5_NGINX = "f5-nginx"
COMMUNITY_NGINX = "community-nginx"

PATH_RE = re.compile(r"^/[A-Za-z0-9._~/%-]*$")


# Kubernetes qualified name (annotation and label keys): an optional DNS-subdomain prefix
# and '/', then a name of at most 63 characters: alphanumerics, '-', '_' and '.', starting
# and ending with an alphanumeric. Anything else (a newline, ': ', a quote) could break
# out of the YAML key it is written into.
QUALIFIED_NAME_RE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$")


def is_qualified_name(key: t.Any) -> bool:
    if not isinstance(key, str):
        return False
    prefix, slash, name = key.rpartition("/")
    if slash and not DNS_SUBDOMAIN_RE.match(prefix):
        return False
    return bool(QUALIFIED_NAME_RE.match(name))


class Annotations(Validator):
    allowed = (
        "a mapping of annotation names to string values; a name is a Kubernetes qualified "
        "name such as 'nginx.org/server-tokens' (optional DNS-subdomain prefix and '/', then "
        "at most 63 letters, digits, '-', '_' or '.')"
    )

    def ok(self, value: t.Any) -> bool:
        return isinstance(value, dict) and all(
            is_qualified_name(k) and isinstance(v, str) for k, v in value.items()
        )

    def problem(self, value: t.Any) -> t.Optional[str]:
        if self.ok(value):
            return None
        if isinstance(value, dict):
            bad = [k for k in value if not is_qualified_name(k)]
            if bad:
                return f"{self.allowed}; {bad[0]!r} is not one"
        return self.allowed


ROUTE = Mapping(
    required={
        "host": host(),
        "service": k8s_name(),
        "port": Integer(1, 65535),
    },
    optional={
        "path": Pattern(PATH_RE, "a URL path starting with '/'"),
        "max_body_size": nginx_size(),
    },
)

SETTINGS = [
    Setting(
        "INGRESS_CONTROLLER",
        F5_NGINX,
        Choice([F5_NGINX, COMMUNITY_NGINX]),
        "NGINX controller flavour the Ingress annotations are written for: the F5 NGINX "
        "Ingress Controller (`nginx.org/*`) or the retired community ingress-nginx "
        "(`nginx.ingress.kubernetes.io/*`).",
    ),
    Setting(
        "INGRESS_CLASS_NAME",
        "nginx",
        k8s_name(),
        "`ingressClassName` of every Ingress; must match the controller installed by "
        "the cluster stage.",
    ),
    Setting(
        "INGRESS_TLS_SECRET_NAME",
        "",
        k8s_name(allow_empty=True),
        "Secret holding a certificate for the public hosts. Empty: no `tls` section, "
        "TLS ends at CloudFront and the ALB.",
    ),
    Setting(
        "INGRESS_FORCE_HTTPS",
        True,
        Boolean(),
        "Redirect requests whose `X-Forwarded-Proto` is `http` to https and tell Django "
        "the request was https (TLS ends at the ALB).",
    ),
    Setting(
        "INGRESS_LMS_MAX_BODY_SIZE",
        "4m",
        nginx_size(),
        "Largest request body on the LMS host (Caddy's limit was 4 MB).",
    ),
    Setting(
        "INGRESS_CMS_MAX_BODY_SIZE",
        "250m",
        nginx_size(),
        "Largest request body on the CMS host: course imports upload whole archives.",
    ),
    Setting(
        "INGRESS_DEFAULT_MAX_BODY_SIZE",
        "4m",
        nginx_size(),
        "Body limit for hosts published by other plugins that set none themselves.",
    ),
    Setting(
        "INGRESS_PROXY_TIMEOUT_SECONDS",
        300,
        Integer(10, 3600),
        "Read/send timeout towards the pods; course exports and imports need minutes.",
    ),
    Setting(
        "INGRESS_IMPORT_CADDY_ROUTES",
        True,
        Boolean(),
        "Give every host that another plugin publishes through Tutor's `caddyfile` "
        "patch (notes, credentials, discovery, ...) an Ingress of its own.",
    ),
    Setting(
        "INGRESS_EXTRA_ROUTES",
        [],
        ListOf(ROUTE),
        "Your own routes: a list of `{host, service, port}` with optional `path` and "
        "`max_body_size`.",
    ),
    Setting(
        "INGRESS_EXTRA_ANNOTATIONS",
        {},
        Annotations(),
        "Annotations added to every Ingress (after the plugin's own).",
    ),
]

# Tutor's own keys that become Ingress rules: a malformed host fails the render
# late and obscurely, so check it when the config is saved.
TUTOR_KEYS: dict[str, Validator] = {
    "LMS_HOST": host(),
    "CMS_HOST": host(),
    "MFE_HOST": host(),
}
