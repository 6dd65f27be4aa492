"""`tutor eks loadtest`: Locust for real, a few seconds and a few users, against the local
site stand-in, with the HPAs sampled through the recording kubectl stand-in."""

from __future__ import annotations

import copy
import csv
import json
import sys
import typing as t
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from tutor.exceptions import TutorError
from tutor_cli import new_root, run_tutor

from tests.validate import kubectl_standin
from tutor_eks_plugin.commands.loadtest import loadtest as loadtest_command
from tutor_eks_plugin.live import loadtest as lt

from .site_standin import COURSE, PASSWORD, Site

PAGES = {"home", "catalog", "course about", "login csrf", "login", "dashboard", "courseware",
         "problem submit", "studio login", "course outline"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Tutor root with the eks plugin (EKS_PROFILE: production, the default)."""
    path = tmp_path_factory.mktemp("loadtest-root")
    new_root(path)
    return path


@pytest.fixture
def site() -> t.Iterator[Site]:
    made = Site()
    yield made
    made.close()


def _scaling_cluster() -> dict[str, t.Any]:
    """lms: 2 replicas for the first samples, then the HPA wants 3 and a third pod is ready."""
    def hpa(desired: int, current: int, cpu: int) -> dict[str, t.Any]:
        return {"kind": "List", "items": [{"metadata": {"name": "lms"}, "status": {
            "currentReplicas": current, "desiredReplicas": desired, "currentMetrics": [
                {"type": "Resource", "resource": {"name": "cpu", "current": {
                    "averageUtilization": cpu}}}]}}]}

    def deployment(ready: int) -> dict[str, t.Any]:
        return {"kind": "List", "items": [{"metadata": {"name": "lms"},
                                           "spec": {"replicas": ready},
                                           "status": {"readyReplicas": ready}}]}

    return {
        "get horizontalpodautoscalers openedx": [hpa(2, 2, 20), hpa(2, 2, 60), hpa(3, 2, 95),
                                                 hpa(3, 3, 70)],
        "get deployments openedx": [deployment(2), deployment(2), deployment(2), deployment(3)],
    }


def _loadtest(root: Path, *args: str, stdin: str | None = None,
              env: dict[str, str] | None = None) -> t.Any:
    return run_tutor(root, "eks", "loadtest", *args, check=False, stdin=stdin, env=env)


def test_locust_runs_and_the_summary_matches_its_csv(
    root: Path, site: Site, tmp_path: Path, kubectl_bin: str
) -> None:
    env = kubectl_standin.install(tmp_path / "kubectl", kubectl_bin)
    kubectl_standin.serve(tmp_path / "kubectl", _scaling_cluster())
    out = tmp_path / "report"
    run = _loadtest(
        root, "--host", site.lms_url, "--studio-host", site.studio_url, "--users", "6",
        "--spawn-rate", "6", "--duration", "8s", "--course-id", COURSE,
        "--username", "learner@example.com", "--problem-block",
        "block-v1:OpenedX+DemoX+DemoCourse+type@problem+block@p1",
        "--problem-answer", "input_p1_2_1=choice_1", "--out", str(out),
        "--sample-every", "0.5", "--yes",
        env={**env, "LOADTEST_PASSWORD": PASSWORD},
    )
    assert run.returncode == 0, run.stdout + run.stderr + (out / "locust.log").read_text()
    for name in (lt.HTML_REPORT, lt.STATS_CSV, lt.SAMPLES_CSV, lt.SUMMARY_JSON, lt.SUMMARY_TXT):
        assert (out / name).stat().st_size > 0, name
    (tmp_path.parent / "loadtest-sample.txt").write_text(run.stdout)

    summary = json.loads((out / lt.SUMMARY_JSON).read_text())
    with (out / lt.STATS_CSV).open(newline="") as handle:
        rows = {r["Name"]: r for r in csv.DictReader(handle)}
    pages = {p["name"]: p for p in summary["pages"]}
    assert len(pages) == len(summary["pages"]) == len(rows) - 1  # one row per page name
    assert PAGES <= set(pages), sorted(pages)
    for name, page in [*pages.items(), (lt.AGGREGATED, summary["total"])]:
        row = rows[name]
        assert page["requests"] == int(row["Request Count"]) > 0
        assert page["failures"] == int(row["Failure Count"])
        assert page["error_rate"] == pytest.approx(int(row["Failure Count"]) /
                                                   int(row["Request Count"]), abs=1e-4)
        assert page["rps"] == pytest.approx(float(row["Requests/s"]), abs=1e-3)
        for key, column in (("p50", "50%"), ("p95", "95%"), ("p99", "99%")):
            assert page[key] == float(row[column])
    # The stand-in fails every 4th courseware request; the logged-in pages really logged in.
    assert pages["courseware"]["failures"] > 0
    assert all(pages[p]["failures"] == 0 for p in ("login", "dashboard", "problem submit",
                                                   "studio login", "course outline"))
    assert site.state.logins > 0
    # Sampling: replicas over time and the HPA's first scale-up.
    assert summary["replicas_over_time"]["lms"][0][1] == 2
    assert summary["replicas_over_time"]["lms"][-1][1] == 3
    assert summary["first_scale_up_seconds"]["lms"] is not None
    assert "First HPA scale-up:" in run.stdout and "courseware" in run.stdout
    # Credentials never on a command line.
    assert PASSWORD not in json.dumps(kubectl_standin.calls(tmp_path / "kubectl"))
    assert PASSWORD not in (out / lt.SUMMARY_JSON).read_text()


def test_production_asks_first_and_no_means_nothing_is_sent(root: Path, site: Site) -> None:
    run = _loadtest(root, "--host", site.lms_url, "--duration", "2s", "--no-sampling",
                    stdin="n\n")
    assert run.returncode == 1
    assert "EKS_PROFILE is production" in run.stdout + run.stderr
    assert "Load test cancelled" in run.stdout + run.stderr
    assert site.state.paths == []


@pytest.mark.parametrize("args, message", [
    ([], "--host is required"),
    (["--host", "learn.example.com"], "give the site's base URL explicitly"),
    (["--host", "https://x.test", "--users", "501"], "--users 501: allowed 1 to 500"),
    (["--host", "https://x.test", "--spawn-rate", "80"], "--spawn-rate 80: allowed"),
    (["--host", "https://x.test", "--duration", "2h"], "--duration '2h': allowed 1s to 60m"),
    (["--host", "https://x.test", "--username", "a@b.c"], "LOADTEST_PASSWORD is empty"),
])
def test_bad_options_are_refused_before_anything_runs(
    root: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command in-process: each refusal comes before the config is read or anything
    starts, and is a TutorError (which the CLI prints as one line and exits 1 on, no
    traceback: checked through the real `tutor` below)."""
    monkeypatch.setenv("LOADTEST_PASSWORD", "")
    result = CliRunner().invoke(loadtest_command, [*args, "--yes"],
                                obj=SimpleNamespace(root=str(root)))
    assert result.exit_code == 1
    assert isinstance(result.exception, TutorError), result.exception
    assert message in str(result.exception)


def test_a_bad_option_through_the_cli_exits_1_in_one_line(root: Path) -> None:
    run = _loadtest(root, "--host", "https://x.test", "--users", "501", "--yes",
                    env={"LOADTEST_PASSWORD": ""})
    assert run.returncode == 1
    assert "--users 501: allowed 1 to 500" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_summary_helpers_on_known_samples() -> None:
    samples = [lt.Sample(0, "hpa", "lms", 2, 2), lt.Sample(0, "deployment", "lms", 2, 2),
               lt.Sample(5, "hpa", "lms", 2, 2), lt.Sample(10, "hpa", "lms", 2, 4),
               lt.Sample(10, "deployment", "lms", 2, 4), lt.Sample(15, "deployment", "lms", 4, 4),
               lt.Sample(0, "hpa", "cms", 2, 2), lt.Sample(15, "hpa", "cms", 2, 2)]
    assert lt.first_scale_up(samples) == {"lms": 10, "cms": None}
    assert lt.replicas_over_time(copy.deepcopy(samples)) == {"lms": [(0, 2), (15, 4)]}


def test_an_interrupted_run_stops_its_child(tmp_path: Path) -> None:
    """Ctrl-C during the run terminates the Locust process: no orphan keeps loading."""
    import os
    import signal

    started = tmp_path / "pid"
    command = [sys.executable, "-c",
               f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); "
               "time.sleep(120)"]

    def interrupt(*_: t.Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(3)
    try:
        with pytest.raises(KeyboardInterrupt):
            lt.run_locust(command, {}, tmp_path / "locust.log")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    pid = int(started.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
