"""One AWS provider process per test process, for the mocked Terraform runs.

Why: every `terraform test` or `terraform validate` starts the AWS provider (a 700 MB Go
binary, about 1.5 CPU-s to start) once per provider configuration and phase: 17 starts for
one apply run of the stack, 4 for one `validate`. Measured on stacks/aws: one shared
process cuts `terraform test -filter=tests/options_inputs.tftest.hcl` from 59.5 to 43.5
CPU-s (terraform plus provider), and small.tftest.hcl from 41.5 to 36.6.

How: the provider is started once in its debug mode (`-debug`, terraform-plugin-go's
managed debug server), which prints a `TF_REATTACH_PROVIDERS` value; terraform then talks
to that process over gRPC instead of starting its own (Terraform's "unmanaged provider").
The same binary still serves the schema and validates every argument.

Only for runs where the provider is never configured: `validate` does not configure it,
and under `mock_provider` Terraform answers ConfigureProvider itself. A configured run
(plan/apply against moto) keeps its own processes: one shared server holds one
configuration, and the stack configures three aliases in different regions.

Set EKS_TF_SHARED_PROVIDER=off to start the provider per command as Terraform does.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ADDRESS = "registry.terraform.io/hashicorp/aws"
_START_TIMEOUT_S = 120
_lock = threading.Lock()
_servers: dict[Path, tuple[subprocess.Popen[bytes], str]] = {}


def enabled() -> bool:
    return os.environ.get("EKS_TF_SHARED_PROVIDER", "on").lower() not in {"off", "0", "false"}


def provider_binary(workdir: Path) -> Path | None:
    """The AWS provider binary `terraform init` installed for ``workdir``, if any."""
    folder = workdir / ".terraform" / "providers" / ADDRESS
    found = sorted(folder.glob("*/*/terraform-provider-aws*"))
    return found[-1].resolve() if found else None


def _die_with_parent() -> None:
    """The server must not outlive a test process that is killed (PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def _reattach_value(log: Path, proc: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            line = line.strip()
            if line.startswith("TF_REATTACH_PROVIDERS="):
                value = line.split("=", 1)[1].strip("'")
                json.loads(value)  # a malformed line fails here, with its text in the trace
                return value
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(
        f"the AWS provider in debug mode printed no TF_REATTACH_PROVIDERS line within "
        f"{_START_TIMEOUT_S}s (exit {proc.poll()}); its output:\n"
        f"{log.read_text(errors='replace')[-2000:]}\n"
        "Set EKS_TF_SHARED_PROVIDER=off to let terraform start the provider itself."
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def reattach_env(workdir: Path) -> dict[str, str]:
    """TF_REATTACH_PROVIDERS for a shared provider process serving ``workdir``'s binary
    (started on first use, stopped when the test process exits); {} when turned off or
    when the folder has no provider installed."""
    if not enabled():
        return {}
    binary = provider_binary(workdir)
    if binary is None:
        return {}
    with _lock:
        server = _servers.get(binary)
        if server is None or server[0].poll() is not None:
            log = Path(tempfile.mkstemp(prefix="tf-provider-", suffix=".log")[1])
            atexit.register(log.unlink, missing_ok=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("TF_LOG")}
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [str(binary), "-debug"], stdout=out, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, env=env, preexec_fn=_die_with_parent,
                )
            atexit.register(_stop, proc)
            server = (proc, _reattach_value(log, proc))
            _servers[binary] = server
    return {"TF_REATTACH_PROVIDERS": server[1]}
