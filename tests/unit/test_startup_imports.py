"""The plugin is imported on every `tutor` command: it must not load the heavy libraries
that only some `tutor eks` commands need (they import them inside the command)."""

from __future__ import annotations

import subprocess
import sys

# Each of these costs tens to hundreds of milliseconds to import (python -X importtime;
# kubernetes_validate alone about 0.1 s).
HEAVY = ("kubernetes_validate", "boto3", "botocore", "locust", "gevent", "diagrams",
         "helm_python", "hcl2", "moto", "django")


def test_loading_the_plugin_imports_no_heavy_library() -> None:
    code = (
        "import sys, tutor_eks_plugin.plugin; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]", f"loaded at plugin import: {out.strip()}"
