"""The one adapter around python-terraform.

python-terraform 0.10.1 predates Terraform 1.x; this module hides its gaps:

- ``destroy()`` sends ``-force`` (removed in Terraform 0.15): we pass
  ``force=IsNotFlagged, auto_approve=IsFlagged``;
- a positional directory is no longer accepted: every call runs in ``working_dir``;
- ``plan -detailed-exitcode`` returns 2 for "changes", which is not an error;
- the default ``var={}`` becomes an empty ``-var-file``, which Terraform rejects
  when applying a saved plan: we always pass ``var=None`` (the variables come from
  the generated ``tutor.auto.tfvars.json``);
- ``output()`` returns None on failure and hides why: we run ``output -json``
  ourselves and parse it;
- its runner either captures (nothing shown until the end of a 20-minute apply)
  or passes the terminal through (nothing left to build an error from); its
  ``synchronous=False`` leaks into the command line as ``-synchronous=false``.
  ``_Streaming.cmd`` keeps python-terraform's command building and replaces the
  runner: lines are shown as they come and kept, so a failure raises one
  ``TerraformFailed`` carrying Terraform's own ``Error:`` blocks (only when they
  were not already shown: a streamed run has printed them once);
- secrets Terraform prints although they are secret (a random password's data source
  id, a terraform_data ``output`` mirroring a sensitive ``input``) are masked in what
  is shown and kept (``_Masker``);
- signals: terraform runs in its own session and tutor forwards SIGINT/SIGTERM to
  it, then waits for it (``signals``); an interrupted run raises ``Interrupted``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import typing as t
from pathlib import Path

import click
from python_terraform import IsFlagged, IsNotFlagged
from python_terraform import Terraform as _PythonTerraform
from tutor import exceptions

from .. import tools
from . import locks, signals
from .backend import Backend

# Terraform wraps each diagnostic in box-drawing characters (also with -no-color).
_BOX = re.compile(r"^[\u2502\u2577\u2575] ?")
_DIAGNOSTIC = re.compile(r"^(Error|Warning): ")
_ENV = {
    "TF_IN_AUTOMATION": "1",  # no "run terraform apply next" hints aimed at humans
    "TF_INPUT": "0",  # never wait for an answer on stdin
    "CHECKPOINT_DISABLE": "1",  # no version check call home (offline installs)
}


class TerraformFailed(exceptions.TutorError):
    """A terraform command failed; the message holds Terraform's own error lines."""


class Interrupted(exceptions.TutorError):
    """tutor received SIGINT/SIGTERM during a terraform run, which has now ended."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        # The shell convention for "ended by signal N".
        return 128 + self.signum


class Result(t.NamedTuple):
    code: int
    out: str
    err: str


def error_lines(stderr: str) -> str:
    """Terraform's ``Error:`` diagnostics, without the box drawing and the warnings.

    Terraform writes diagnostics to stderr (the plan and progress go to stdout).
    """
    blocks: list[list[str]] = []
    current: t.Optional[list[str]] = None
    for raw in stderr.splitlines():
        line = _BOX.sub("", raw.rstrip())
        if raw.strip() in ("\u2577", "\u2575"):
            continue
        if _DIAGNOSTIC.match(line):
            current = [line] if line.startswith("Error:") else None
            if current is not None:
                blocks.append(current)
        elif current is not None:
            current.append(line)
    if not blocks:
        tail = [line for line in stderr.splitlines() if line.strip()][-15:]
        return "\n".join(tail)
    seen: list[str] = []
    for block in blocks:
        text = "\n".join(block).strip()
        if text not in seen:
            seen.append(text)
    return "\n\n".join(seen)


class _Streaming(_PythonTerraform):  # type: ignore[misc]
    """python-terraform with a runner that streams and keeps the output."""

    def cmd(self, cmd: str, *args: t.Any, **kwargs: t.Any) -> tuple[int, str, str]:
        stream = kwargs.pop("capture_output", True) is not True
        kwargs.pop("raise_on_error", None)
        command = self.generate_cmd_string(cmd, *args, **kwargs)
        env = {**os.environ, **_ENV} if self.is_env_vars_included else dict(_ENV)
        timeout = signals.stop_timeout()
        try:
            process = subprocess.Popen(
                command,
                cwd=self.working_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                # Its own session: a terminal's Ctrl-C reaches tutor only, which forwards
                # it once (two interrupts would make terraform quit without saving).
                start_new_session=True,
            )
        finally:
            self.temp_var_files.clean_up()
        out: list[str] = []
        err: list[str] = []
        readers = [
            threading.Thread(target=_pump, args=(process.stdout, out, stream, False)),
            threading.Thread(target=_pump, args=(process.stderr, err, stream, True)),
        ]
        for reader in readers:
            reader.start()
        supervisor = signals.Supervisor(process, timeout)
        code = supervisor.wait()
        for reader in readers:
            reader.join()
        if supervisor.received:
            raise signals.Stopped(
                supervisor.received[0], code, supervisor.killed, "".join(out), "".join(err)
            )
        return code, "".join(out), "".join(err)


_ECHO_LOCK = threading.Lock()


# The AWS provider makes the generated password the id of an
# aws_secretsmanager_random_password data source, and Terraform prints a data source's
# id once read ("...: Read complete after 0s [id=<password>]"): the Redis AUTH token,
# the Meilisearch master key and the origin header value would reach the terminal and
# CI logs. Found by the rehearsal (tests/rehearsal).
_RANDOM_PASSWORD_ID = re.compile(
    r"(data\.aws_secretsmanager_random_password\.\S*: Read complete after \S+ \[id=)[^\]\s]*"
)


def masked(line: str) -> str:
    """A line of Terraform's output without the values it shows but should not."""
    return _RANDOM_PASSWORD_ID.sub(r"\1(sensitive value)", line)


# terraform_data copies `input` to `output`, but only `input` keeps the sensitive mark:
# a plan that destroys or replaces one printed the value as `output` (the edge
# module's origin header). Within a terraform_data block whose input is sensitive,
# the output is masked too.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BLOCK_START = re.compile(r'^\s*[-+~<=/]*\s*(?:resource|data) "([a-z0-9_]+)"')
_SENSITIVE_INPUT = re.compile(r"^\s*[-+~]?\s*input\s*=\s*\(sensitive value\)")
_OUTPUT_LINE = re.compile(r"^\s*[-+~]?\s*output\s*=")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


class _Masker:
    """Masks line by line, remembering the resource block a plan line belongs to."""

    def __init__(self) -> None:
        self.block = ""
        self.sensitive_input = False

    def __call__(self, line: str) -> str:
        plain = _ANSI.sub("", line)
        start = _BLOCK_START.match(plain)
        if start:
            self.block, self.sensitive_input = start.group(1), False
        elif self.block == "terraform_data":
            if _SENSITIVE_INPUT.match(plain):
                self.sensitive_input = True
            elif self.sensitive_input and _OUTPUT_LINE.match(plain):
                return _QUOTED.sub("(sensitive value)", line)
        return masked(line)


def _pump(pipe: t.IO[str], kept: list[str], stream: bool, is_err: bool) -> None:
    mask = _Masker()
    for raw in iter(pipe.readline, ""):
        line = mask(raw)
        kept.append(line)
        if stream:
            with _ECHO_LOCK:
                click.echo(line, nl=False, err=is_err)
    pipe.close()


def version(binary: str) -> tuple[int, ...]:
    raw = subprocess.run(
        [binary, "version", "-json"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    try:
        text = json.loads(raw)["terraform_version"]
    except (ValueError, KeyError, TypeError):
        text = raw
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(g) for g in match.groups()) if match else ()


class Terraform:
    """Terraform commands in one stage's working directory."""

    def __init__(self, workdir: Path, stage: str, binary: t.Optional[str] = None) -> None:
        self.workdir = workdir
        self.stage = stage
        self.binary = binary or tools.terraform()
        self.backend: t.Optional[Backend] = None
        self._tf = _Streaming(working_dir=str(workdir), terraform_bin_path=self.binary)

    def _run(self, action: str, call: t.Callable[[], tuple[int, str, str]]) -> Result:
        try:
            return Result(*call())
        except signals.Stopped as stopped:
            raise self._interrupted(action, stopped) from None

    def _interrupted(self, action: str, stopped: signals.Stopped) -> Interrupted:
        how = (
            "was stopped at once: its state may miss resources made in this run"
            if stopped.killed
            else "stopped gracefully and saved its state"
        )
        parts = [
            f"{signals.name(stopped.signum)} received: terraform {action} in stage "
            f"{self.stage!r} {how} (exit code {stopped.code}). Nothing was written to "
            "config.yml. Run the same `tutor eks infra` command again to finish; "
            "`tutor eks infra plan` shows where it stopped."
        ]
        found = locks.left_behind(self.backend)
        lock_id = found.lock_id or locks.id_from_error(stopped.err)
        if lock_id:
            parts.append(locks.release_advice(self.stage, self.workdir, lock_id))
        elif found.problem:
            parts.append(
                f"Could not check whether the state lock was released ({found.problem}): "
                "if the next run reports \"Error acquiring the state lock\", it says how "
                "to release it."
            )
        return Interrupted("\n".join(parts), stopped.signum)

    def _check(
        self, action: str, result: Result, ok: t.Collection[int] = (0,), streamed: bool = False
    ) -> Result:
        if result.code in ok:
            return result
        # A streamed run has already shown Terraform's error blocks: not twice.
        detail = (
            "Terraform's error is printed above."
            if streamed
            else error_lines(result.err)
        )
        message = (
            f"terraform {action} failed in stage {self.stage!r} "
            f"(exit code {result.code}):\n{detail}"
        )
        lock_id = locks.id_from_error(result.err)
        if lock_id:
            message += "\n" + locks.release_advice(self.stage, self.workdir, lock_id)
        raise TerraformFailed(message)

    def init(
        self,
        backend: t.Optional[Backend],
        plugin_dir: t.Optional[str] = None,
        reconfigure: bool = False,
        migrate_state: bool = False,
        stream: bool = False,
    ) -> Result:
        """``terraform init``; ``backend=None`` skips the backend (validate only)."""
        self.backend = backend
        options: dict[str, t.Any] = {
            "backend_config": backend.settings if backend else None,
            "backend": backend is not None,
            "reconfigure": IsFlagged if reconfigure else IsNotFlagged,
            "migrate_state": IsFlagged if migrate_state else IsNotFlagged,
            "force_copy": IsFlagged if migrate_state else IsNotFlagged,
            "plugin_dir": plugin_dir,
            "var": None,
            "capture_output": not stream,
        }
        result = self._run("init", lambda: self._tf.init(**options))
        return self._check("init", result, streamed=stream)

    def validate(self) -> Result:
        return self._check(
            "validate", self._run("validate", lambda: self._tf.cmd("validate", no_color=IsFlagged))
        )

    def plan(self, out: t.Optional[str] = None, destroy: bool = False) -> Result:
        """Exit code 0: no changes; 2: changes (``-detailed-exitcode``)."""
        result = self._run(
            "plan",
            lambda: self._tf.plan(
                out=out,
                destroy=IsFlagged if destroy else IsNotFlagged,
                var=None,
                capture_output=False,
            ),
        )
        return self._check("plan", result, ok=(0, 2), streamed=True)

    def apply(self, plan_file: t.Optional[str] = None) -> Result:
        result = self._run(
            "apply",
            lambda: self._tf.apply(plan_file, skip_plan=True, var=None, capture_output=False),
        )
        return self._check("apply", result, streamed=True)

    def destroy(self) -> Result:
        result = self._run(
            "destroy",
            lambda: self._tf.destroy(
                force=IsNotFlagged, auto_approve=IsFlagged, var=None, capture_output=False
            ),
        )
        return self._check("destroy", result, streamed=True)

    def force_unlock(self, lock_id: str) -> Result:
        """``terraform force-unlock -force ID`` (the caller asked for this very lock)."""
        result = self._run(
            "force-unlock",
            lambda: self._tf.cmd("force-unlock", lock_id, force=IsFlagged, no_color=IsFlagged),
        )
        return self._check("force-unlock", result)

    def outputs(self) -> dict[str, dict[str, t.Any]]:
        """``terraform output -json``: {name: {"value", "type", "sensitive"}}."""
        result = self._check(
            "output",
            self._run(
                "output", lambda: self._tf.cmd("output", json=IsFlagged, no_color=IsFlagged)
            ),
        )
        text = result.out.strip()
        try:
            parsed = json.loads(text) if text else {}
        except ValueError as exc:
            raise TerraformFailed(
                f"terraform output -json printed something that is not JSON in stage "
                f"{self.stage!r}: {exc}"
            ) from exc
        return parsed if isinstance(parsed, dict) else {}

    def state_resources(self) -> list[str]:
        result = self._check(
            "state list",
            self._run("state list", lambda: self._tf.cmd("state list", no_color=IsFlagged)),
        )
        return [line for line in result.out.splitlines() if line.strip()]
