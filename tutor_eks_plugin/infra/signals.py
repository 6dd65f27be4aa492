"""SIGINT and SIGTERM during a terraform run: forwarded, waited for, never orphaned.

Terraform stops gracefully on its first SIGINT or SIGTERM: it cancels or finishes the
operations in flight, writes the state and releases the state lock. A second signal
makes it exit at once, without saving. So:

- terraform runs in its own session (``start_new_session``): a Ctrl-C in a terminal
  signals the whole foreground process group, and a terraform in tutor's group would
  get that SIGINT *and* the one tutor forwards, i.e. two interrupts and a lost state;
- tutor catches SIGINT and SIGTERM while terraform runs and forwards each to it
  (before, SIGTERM killed tutor and left terraform to die at its next write, and
  SIGINT only stopped tutor);
- tutor waits for terraform to exit, at most ``EKS_TERRAFORM_STOP_TIMEOUT`` seconds
  (default 300), printing how long it has waited; past that bound it sends the second
  interrupt, then SIGKILL, and still waits for the process before returning;
- once terraform exited, what its provisioners started in its session is ended too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import typing as t

from tutor import exceptions, fmt

STOP_TIMEOUT_ENV = "EKS_TERRAFORM_STOP_TIMEOUT"
DEFAULT_STOP_TIMEOUT = 300.0
FORWARDED = (signal.SIGINT, signal.SIGTERM)
PROGRESS_EVERY = 10.0
# After the bound: the second interrupt, then SIGKILL if terraform is still there.
KILL_GRACE = 5.0
POLL = 0.2


def stop_timeout() -> float:
    raw = os.environ.get(STOP_TIMEOUT_ENV, "")
    if not raw:
        return DEFAULT_STOP_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise exceptions.TutorError(
            f"{STOP_TIMEOUT_ENV}={raw!r} is not a positive number of seconds: unset it "
            f"(default {DEFAULT_STOP_TIMEOUT:.0f}) or set it to how long terraform may take "
            "to stop after SIGINT/SIGTERM."
        )
    return value


def name(signum: int) -> str:
    return signal.Signals(signum).name


class Stopped(Exception):
    """terraform ended because tutor received a signal (raised once it has exited)."""

    def __init__(self, signum: int, code: int, killed: bool, out: str, err: str) -> None:
        super().__init__(name(signum))
        self.signum = signum
        self.code = code
        self.killed = killed
        self.out = out
        self.err = err


class Supervisor:
    """Waits for one terraform process, forwarding the signals tutor receives."""

    def __init__(self, process: subprocess.Popen[str], timeout: float) -> None:
        self.process = process
        self.timeout = timeout
        self.received: list[int] = []
        self.killed = False

    def _on_signal(self, signum: int, _frame: t.Any) -> None:
        self.received.append(signum)
        if self.process.poll() is None:
            try:
                os.kill(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def wait(self) -> int:
        if threading.current_thread() is not threading.main_thread():
            # Signal handlers can only be set from the main thread (tutor's CLI runs there).
            return self.process.wait()
        previous = {s: signal.signal(s, self._on_signal) for s in FORWARDED}
        try:
            return self._loop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            if self.received:
                self._end_session_leftovers()

    def _loop(self) -> int:
        announced = 0
        first_at = 0.0
        next_progress = 0.0
        escalated_at = 0.0
        while True:
            try:
                return self.process.wait(timeout=POLL)
            except subprocess.TimeoutExpired:
                pass
            if not self.received:
                continue
            now = time.monotonic()
            if announced == 0:
                first_at = now
                next_progress = now + PROGRESS_EVERY
                fmt.echo_alert(
                    f"{name(self.received[0])} received: terraform was asked to stop "
                    "gracefully (it ends the operations in flight, saves the state and "
                    f"releases the lock). Waiting up to {self.timeout:.0f} s for it to exit; "
                    "send the signal again to stop it at once (the state may then miss "
                    "resources made in this run)."
                )
                announced = 1
            if len(self.received) > announced:
                fmt.echo_alert(
                    f"{name(self.received[-1])} received again: terraform stops at once; "
                    "its state may miss resources made in this run."
                )
                announced = len(self.received)
            waited = now - first_at
            if not escalated_at and waited >= self.timeout:
                fmt.echo_alert(
                    f"terraform did not stop within {self.timeout:.0f} s "
                    f"({STOP_TIMEOUT_ENV}): stopping it at once."
                )
                self._send(signal.SIGINT)
                escalated_at = now
                self.killed = True
            elif escalated_at and now - escalated_at >= KILL_GRACE:
                self._send(signal.SIGKILL)
            elif now >= next_progress:
                fmt.echo_info(
                    f"Still waiting for terraform (pid {self.process.pid}) to stop: "
                    f"{waited:.0f} s of {self.timeout:.0f} s."
                )
                next_progress = now + PROGRESS_EVERY

    def _send(self, signum: int) -> None:
        try:
            os.kill(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def _end_session_leftovers(self) -> None:
        """Processes terraform's provisioners started (they share its process group).

        Terraform kills a local-exec shell on interrupt but not the shell's children.
        The group cannot be reused while any member lives, so this reaches only them.
        """
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
