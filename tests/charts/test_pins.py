"""Chart pins against the chart cache, and the cache's own behaviour."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from . import cache, pins, stack


def test_pins_match_the_cache_or_say_why(releases: dict[str, stack.Release]) -> None:
    problems = []
    for release in pins.remote(releases):
        try:
            cached = cache.chart_meta(cache.chart_dir(release.chart, release.version))
        except cache.ChartMissing as exc:
            pytest.fail(str(exc), pytrace=False)
        problem = pins.drift_problem(release, str(cached["version"]))
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_local_chart_pins_match_their_chart(releases: dict[str, stack.Release]) -> None:
    for release in releases.values():
        if release.local_chart is not None:
            assert cache.chart_meta(release.local_chart)["version"] == release.version


def test_a_pin_without_a_reason_fails_and_a_reason_passes(
    releases: dict[str, stack.Release],
) -> None:
    release = pins.remote(releases)[0]
    older = stack.Release(**{**release.__dict__, "version": "0.0.1"})
    problem = pins.drift_problem(older, release.version)
    assert problem and "0.0.1" in problem and release.version in problem
    assert cache.FETCH in problem
    reasoned = stack.Release(**{
        **older.__dict__,
        "text": older.text + "\n  # chart-pin: 0.0.1 until the upgrade notes are checked\n",
    })
    assert pins.drift_problem(reasoned, release.version) is None


def test_a_missing_chart_names_itself_and_the_fetch_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    with pytest.raises(cache.ChartMissing) as caught:
        cache.chart_dir("cluster-autoscaler", "9.59.0")
    message = str(caught.value)
    assert "cluster-autoscaler" in message and "9.59.0" in message
    assert f"{cache.FETCH} cluster-autoscaler" in message and str(tmp_path) in message


def test_default_cache_is_next_to_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    assert cache.cache_dir() == stack.REPO.parent / "shared" / "charts"


def test_fetch_script_lists_the_pins(releases: dict[str, stack.Release]) -> None:
    """scripts/fetch-charts.sh --list reads the pins from the stack (no network)."""
    result = subprocess.run(
        ["bash", str(stack.REPO / "scripts" / "fetch-charts.sh"), "--list"],
        capture_output=True, text=True, check=False, timeout=120, cwd=stack.REPO,
    )
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert listed == {r.chart: r.version for r in pins.remote(releases)}
    assert listed["aws-load-balancer-controller"] == "3.5.0"


def test_fetch_script_fills_the_cache_from_a_chart_repository(
    releases: dict[str, stack.Release], tmp_path: Path
) -> None:
    """The plain-HTTPS path of fetch-charts.sh against a local Helm repository.

    The charts' public repositories are out of reach here; a `file://` repository with
    an index.yaml and a packaged chart (built from the cache) stands for one, through
    the script's EKS_CHART_MIRROR setting, and curl reads it as it would over HTTPS.
    """
    release = next(r for r in pins.remote(releases) if r.chart == "cluster-autoscaler")
    source = cache.chart_dir(release.chart, release.version)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    archive = f"{release.chart}-{release.version}.tgz"
    subprocess.run(["tar", "-czf", str(mirror / archive), "-C", str(source.parent), source.name],
                   check=True)
    (mirror / "index.yaml").write_text(
        "apiVersion: v1\nentries:\n"
        f"  {release.chart}:\n  - version: {release.version}\n    urls: [{archive}]\n"
    )
    target = tmp_path / "cache"
    env = {**os.environ, "EKS_CHART_MIRROR": mirror.as_uri(), cache.CACHE_ENV: str(target),
           "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                   if not (Path(p) / "helm").exists())}
    result = subprocess.run(
        ["bash", str(stack.REPO / "scripts" / "fetch-charts.sh"), release.chart],
        capture_output=True, text=True, check=False, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert cache.chart_meta(target / release.chart)["version"] == release.version
    missing = subprocess.run(
        ["bash", str(stack.REPO / "scripts" / "fetch-charts.sh"), "nginx-ingress"],
        capture_output=True, text=True, check=False, timeout=300, env=env,
    )
    assert missing.returncode != 0
    assert "nginx-ingress" in missing.stderr
