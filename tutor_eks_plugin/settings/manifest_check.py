"""Settings of `tutor eks check` (render/manifest_check.py): the Kubernetes versions the
rendered manifests are validated against."""

from __future__ import annotations

import re

from . import Setting
from .validators import ListOf, Pattern

SETTINGS = [
    Setting(
        "CHECK_KUBERNETES_VERSIONS",
        # EKS standard support on 2026-11-28 starts at 1.34 (ends 2026-12-02); 1.37 is
        # the newest minor with published schemas. Validating both ends catches
        # removed and not-yet-available API versions.
        ["1.34", "1.37"],
        ListOf(Pattern(re.compile(r"^1\.[0-9]{2}$"), "a Kubernetes minor version like '1.35'")),
        "Kubernetes versions whose strict schemas `tutor eks check` validates every "
        "rendered object against.",
    ),
]
