"""The real checkov CLI for many renders, with checkov imported once per test process.

`CheckovRunner(checkov_bin).run(args)` answers as `subprocess.run([checkov_bin, *args])`
would (exit code, stdout, stderr). When `checkov_bin` is a Python console script, the
runs go through checkov_forkserver.py under that script's own interpreter (one import of
checkov, a forked fresh process per run; see there). Otherwise each run is a plain
subprocess. `tests/render/test_gates.py::test_forkserver_answers_as_the_cli` holds the
two to the same report.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
import typing as t
from pathlib import Path

SERVER = Path(__file__).with_name("checkov_forkserver.py")


def console_script_python(script: str) -> str | None:
    """The interpreter of a Python console script (its `#!` line), or None."""
    try:
        with open(script, "rb") as f:
            first = f.readline(512).decode(errors="replace").strip()
            head = f.read(4096).decode(errors="replace")
    except OSError:
        return None
    if not first.startswith("#!") or "checkov.main" not in head:
        return None
    python = first[2:].strip().split()[0]
    return python if Path(python).is_file() else None


class CheckovRunner:
    def __init__(self, checkov_bin: str) -> None:
        self.checkov_bin = checkov_bin
        self.python = console_script_python(checkov_bin)
        self._server: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._dir = tempfile.TemporaryDirectory(prefix="checkov-runs-")
        self._count = 0

    def run(self, args: t.Sequence[str]) -> subprocess.CompletedProcess[str]:
        if self.python is None:
            return subprocess.run([self.checkov_bin, *args], capture_output=True, text=True,
                                  check=False)
        with self._lock:
            if self._server is None:
                self._server = subprocess.Popen(
                    [self.python, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    text=True,
                )
            self._count += 1
            out = Path(self._dir.name) / f"{self._count}.out"
            err = Path(self._dir.name) / f"{self._count}.err"
            request = {"argv": list(args), "stdout": str(out), "stderr": str(err)}
            assert self._server.stdin and self._server.stdout
            self._server.stdin.write(json.dumps(request) + "\n")
            self._server.stdin.flush()
            answer = self._server.stdout.readline()
            assert answer, f"the checkov fork server ({SERVER.name}) ended early"
            code = json.loads(answer)["code"]
            result = subprocess.CompletedProcess(
                [self.checkov_bin, *args], code, out.read_text(), err.read_text()
            )
            out.unlink()
            err.unlink()
            return result

    def close(self) -> None:
        if self._server is not None:
            assert self._server.stdin
            self._server.stdin.close()
            try:
                self._server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
            self._server = None
        self._dir.cleanup()
