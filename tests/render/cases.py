"""The render cases every gate (strict schemas, checkov, `tutor eks check` policies) runs on.

Each concern adds its own cases here, so the gates cover every mode.
"""

from __future__ import annotations

import typing as t

# name -> (plugins, settings)
CASES: dict[str, tuple[tuple[str, ...], dict[str, t.Any]]] = {
    "default": (("eks", "mfe"), {}),
    "no-mfe": (("eks",), {}),
    "community-tls": (
        ("eks", "mfe"),
        {"EKS_INGRESS_CONTROLLER": "community-nginx", "EKS_INGRESS_TLS_SECRET_NAME": "openedx-tls"},
    ),
    "plugins": (("eks", "mfe", "forum", "notes", "credentials"), {}),
    # Same plugins and settings as tests/render/test_workloads_render.py: the render
    # cache is shared.
    "media-s3": (
        ("eks", "mfe"),
        {
            "EKS_MEDIA_BACKEND": "s3",
            "EKS_MEDIA_IAM": "irsa",
            "EKS_S3_MEDIA_BUCKET": "openedx-media-example",
            "EKS_MEDIA_ROLE_ARN": "arn:aws:iam::123456789012:role/openedx-media",
            "EKS_ZONE_SPREAD": "DoNotSchedule",
        },
    ),
    "k8s-pair": (("eks", "mfe", "k8s"), {}),
}

# Workloads that other plugins render and own (image, probes, resources). The eks
# plugin routes them but does not reshape them, so checkov's verdict on them belongs
# to those plugins; the gates still validate them against the strict schemas.
OTHER_PLUGINS_WORKLOADS = {"forum", "notes", "credentials", "discovery"}
