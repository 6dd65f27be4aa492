"""`tutor eks loadtest` helpers: limits, the kubectl sampler, the Locust run, the summary.

Locust runs as a child process (`python -m locust`): it monkey-patches the standard
library with gevent, which must not happen inside Tutor's process.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
import typing as t
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .context import KubectlError, Target

# Hard caps: a load test from one operator machine, not a denial of service.
MAX_USERS = 500
MAX_SPAWN_RATE = 50
MAX_DURATION_SECONDS = 3600
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
CSV_PREFIX = "locust"
STATS_CSV = f"{CSV_PREFIX}_stats.csv"
HTML_REPORT = "locust.html"
SAMPLES_CSV = "samples.csv"
SUMMARY_JSON = "summary.json"
SUMMARY_TXT = "summary.txt"
AGGREGATED = "Aggregated"


class BadOption(ValueError):
    pass


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(\d+)([smh]?)", text.strip())
    if not match:
        raise BadOption(
            f"--duration {text!r}: expected seconds or a number with s/m/h, e.g. 90s, 5m"
        )
    seconds = int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if not 1 <= seconds <= MAX_DURATION_SECONDS:
        raise BadOption(f"--duration {text!r}: allowed 1s to {MAX_DURATION_SECONDS // 60}m")
    return seconds


def check_limits(users: int, spawn_rate: float) -> None:
    if not 1 <= users <= MAX_USERS:
        raise BadOption(f"--users {users}: allowed 1 to {MAX_USERS} (hard cap)")
    if not 0 < spawn_rate <= MAX_SPAWN_RATE:
        raise BadOption(f"--spawn-rate {spawn_rate:g}: allowed above 0 up to {MAX_SPAWN_RATE} "
                        "users per second (hard cap)")


def check_host(url: str, what: str = "--host") -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?/?", url or ""):
        raise BadOption(f"{what} {url!r}: give the site's base URL explicitly, e.g. "
                        "https://learn.example.com (no path)")
    return url.rstrip("/")


# -- sampling ----------------------------------------------------------------------
@dataclass
class Sample:
    seconds: float  # since the start of the test
    kind: str  # "hpa" or "deployment"
    name: str
    replicas: int
    desired: int
    cpu_percent: t.Optional[int] = None


@dataclass
class Sampler:
    """Samples the HPAs and Deployments of the namespace every `every` seconds."""

    target: Target
    every: float = 10.0
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: t.Optional[threading.Thread] = None
    _started: float = 0.0

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="hpa-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=60)
        self.sample()  # the state at the end

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        now = round(time.monotonic() - self._started, 1)
        try:
            hpas = self.target.kube_items("horizontalpodautoscalers")
            deployments = self.target.kube_items("deployments")
        except (KubectlError, subprocess.SubprocessError, OSError, ValueError) as exc:
            if str(exc) not in self.errors:
                self.errors.append(str(exc))
            return
        for hpa in hpas:
            status = hpa.get("status", {})
            cpu = next((m.get("resource", {}).get("current", {}).get("averageUtilization")
                        for m in status.get("currentMetrics") or []), None)
            self.samples.append(Sample(now, "hpa", hpa["metadata"]["name"],
                                       int(status.get("currentReplicas", 0) or 0),
                                       int(status.get("desiredReplicas", 0) or 0), cpu))
        for dep in deployments:
            status = dep.get("status", {})
            self.samples.append(Sample(now, "deployment", dep["metadata"]["name"],
                                       int(status.get("readyReplicas", 0) or 0),
                                       int(dep.get("spec", {}).get("replicas", 0) or 0)))

    def write_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(Sample.__dataclass_fields__))
            writer.writeheader()
            for s in self.samples:
                writer.writerow(asdict(s))


# -- Locust -------------------------------------------------------------------------
def locust_command(out: Path, host: str, users: int, spawn_rate: float, seconds: int) -> list[str]:
    return [
        sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE), "--headless",
        "--host", host, "--users", str(users), "--spawn-rate", f"{spawn_rate:g}",
        "--run-time", f"{seconds}s", "--stop-timeout", "5",
        "--csv", str(out / CSV_PREFIX), "--html", str(out / HTML_REPORT),
        "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]


def run_locust(command: list[str], env: dict[str, str], log: Path) -> int:
    """Run Locust to the end; on Ctrl-C stop it too (no orphaned child)."""
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env})
        try:
            return process.wait()
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            raise


# -- summary ------------------------------------------------------------------------
@dataclass
class PageStats:
    name: str
    method: str
    requests: int
    failures: int
    error_rate: float  # failures / requests
    rps: float
    p50: float
    p95: float
    p99: float


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def read_stats(path: Path) -> tuple[list[PageStats], PageStats]:
    pages, total = [], None
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            requests, failures = int(row["Request Count"]), int(row["Failure Count"])
            stats = PageStats(
                row["Name"], row["Type"], requests, failures,
                round(failures / requests, 4) if requests else 0.0,
                round(_number(row["Requests/s"]), 3),
                _number(row["50%"]), _number(row["95%"]), _number(row["99%"]),
            )
            if row["Name"] == AGGREGATED:
                total = stats
            else:
                pages.append(stats)
    if total is None:
        raise ValueError(f"{path} has no {AGGREGATED} row: Locust did not finish")
    return pages, total


def replicas_over_time(samples: t.Sequence[Sample]) -> dict[str, list[tuple[float, int]]]:
    """Per Deployment, the (seconds, ready replicas) points where the count changed."""
    series: dict[str, list[tuple[float, int]]] = {}
    for s in samples:
        if s.kind != "deployment":
            continue
        points = series.setdefault(s.name, [])
        if not points or points[-1][1] != s.replicas:
            points.append((s.seconds, s.replicas))
    return series


def first_scale_up(samples: t.Sequence[Sample]) -> dict[str, t.Optional[float]]:
    """Per HPA, seconds into the test when it first wanted more replicas than at start."""
    first: dict[str, int] = {}
    found: dict[str, t.Optional[float]] = {}
    for s in samples:
        if s.kind != "hpa":
            continue
        start = first.setdefault(s.name, s.desired)
        found.setdefault(s.name, None)
        if found[s.name] is None and s.desired > start:
            found[s.name] = s.seconds
    return found


def summarize(
    out: Path, sampler: t.Optional[Sampler], settings: dict[str, t.Any]
) -> dict[str, t.Any]:
    pages, total = read_stats(out / STATS_CSV)
    samples = sampler.samples if sampler else []
    summary = {
        "settings": settings,
        "total": asdict(total),
        "pages": [asdict(p) for p in pages],
        "replicas_over_time": replicas_over_time(samples),
        "first_scale_up_seconds": first_scale_up(samples),
        "sampling_errors": sampler.errors if sampler else ["sampling off (--no-sampling)"],
    }
    (out / SUMMARY_JSON).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / SUMMARY_TXT).write_text("\n".join(summary_lines(summary)) + "\n", encoding="utf-8")
    return summary


def summary_lines(summary: dict[str, t.Any]) -> list[str]:
    total = summary["total"]
    lines = [
        f"Total: {total['requests']} requests, {total['rps']:.2f} req/s, "
        f"p50 {total['p50']:.0f} ms, p95 {total['p95']:.0f} ms, p99 {total['p99']:.0f} ms, "
        f"errors {total['error_rate']:.1%}",
        "",
        f"{'page':<18}{'method':<7}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}"
        f"{'errors':>8}",
    ]
    for p in summary["pages"]:
        lines.append(
            f"{p['name']:<18}{p['method']:<7}{p['requests']:>9}{p['rps']:>8.2f}{p['p50']:>7.0f}"
            f"{p['p95']:>7.0f}{p['p99']:>7.0f}{p['error_rate']:>8.1%}"
        )
    lines.append("")
    series = summary["replicas_over_time"]
    if series:
        lines.append("Ready replicas over time (seconds: replicas):")
        for name, points in sorted(series.items()):
            lines.append(f"  {name}: " + ", ".join(f"{s:g}s: {n}" for s, n in points))
    scale_ups = summary["first_scale_up_seconds"]
    if scale_ups:
        lines.append("First HPA scale-up:")
        for name, seconds in sorted(scale_ups.items()):
            lines.append(f"  {name}: " + (f"{seconds:g}s" if seconds is not None else "none"))
    for error in summary["sampling_errors"]:
        lines.append(f"Sampling: {error}")
    return lines
