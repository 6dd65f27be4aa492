"""`tutor eks loadtest`: a headless Locust run against a host you name, with the HPAs
and pods sampled through kubectl while it runs, and a report folder at the end.

Locust and the helpers are imported inside the command (the plugin loads on every
`tutor` command).
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import typing as t
from pathlib import Path

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt


@click.command(
    help="Load-test a site with Locust (anonymous pages, a logged-in learner, a Studio "
    "author) while sampling the HPAs and Deployments, and write a report folder. "
    "The host must be given explicitly; the production profile asks for confirmation."
)
@click.option("--host", default="", help="LMS base URL to load, e.g. https://learn.example.com "
              "(required: never taken from the config).")
@click.option("--studio-host", default="", help="Studio base URL for the author scenario "
              "(needs --username); without it there is no Studio traffic.")
@click.option("--users", type=int, default=10, show_default=True,
              help="Simulated users at full load (hard cap 500).")
@click.option("--spawn-rate", type=float, default=1.0, show_default=True,
              help="Users started per second (hard cap 50).")
@click.option("--duration", default="5m", show_default=True,
              help="Run time: seconds, or a number with s/m/h (hard cap 60m).")
@click.option("--course-id", default="course-v1:OpenedX+DemoX+DemoCourse", show_default=True,
              help="Course of the about page, courseware and Studio outline.")
@click.option("--username", envvar="LOADTEST_USERNAME", default="",
              help="Learner account (env LOADTEST_USERNAME); its password comes from the "
              "environment variable LOADTEST_PASSWORD only. Without it: anonymous pages only.")
@click.option("--problem-block", default="", help="Usage key of a problem to submit answers to.")
@click.option("--problem-answer", default="", help="Form body of the submission, "
              "e.g. input_<id>_2_1=choice_1.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Report folder (default: loadtest-<UTC time> in the Tutor root).")
@click.option("--sample-every", type=click.FloatRange(0.5, 300), default=10.0,
              show_default=True, help="Seconds between kubectl samples.")
@click.option("--no-sampling", is_flag=True, help="Do not sample the cluster (no kubectl).")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation on production.")
@click.pass_obj
def loadtest(
    context: t.Any, host: str, studio_host: str, users: int, spawn_rate: float, duration: str,
    course_id: str, username: str, problem_block: str, problem_answer: str,
    out_dir: t.Optional[str], sample_every: float, no_sampling: bool, yes: bool,
) -> None:
    from ..live import loadtest as lt
    from ..live.context import Target

    if importlib.util.find_spec("locust") is None:
        raise exceptions.TutorError(
            "Locust is not installed: pip install 'tutor-contrib-eks[loadtest]' "
            "(or pip install locust) in the environment that runs tutor."
        )

    if not host:
        raise exceptions.TutorError(
            "--host is required: name the site to load explicitly, e.g. "
            "--host https://learn.example.com (the load test never picks a host itself)."
        )
    try:
        host = lt.check_host(host)
        studio_host = lt.check_host(studio_host, "--studio-host") if studio_host else ""
        seconds = lt.parse_duration(duration)
        lt.check_limits(users, spawn_rate)
    except lt.BadOption as exc:
        raise exceptions.TutorError(str(exc)) from exc
    password = os.environ.get("LOADTEST_PASSWORD", "")
    if username and not password:
        raise exceptions.TutorError(
            "--username is set but LOADTEST_PASSWORD is empty: export the learner's password "
            "in LOADTEST_PASSWORD (it is never taken from the command line)."
        )
    config = tutor_config.load(context.root)
    if config.get("EKS_PROFILE") == "production" and not yes:
        question = (f"EKS_PROFILE is production: send {users} users to {host} for "
                    f"{seconds} s? Real learners share this site")
        if not click.confirm(fmt.question(question), default=False):
            raise exceptions.TutorError("Load test cancelled: nothing was sent.")
    out = Path(out_dir) if out_dir else Path(context.root) / (
        "loadtest-" + datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    out.mkdir(parents=True, exist_ok=True)

    sampler = None
    if not no_sampling:
        sampler = lt.Sampler(Target(config=config, outputs={}), every=sample_every)
        sampler.start()
    env = {
        "LOADTEST_COURSE_ID": course_id, "LOADTEST_USERNAME": username,
        "LOADTEST_PASSWORD": password, "LOADTEST_STUDIO_HOST": studio_host,
        "LOADTEST_PROBLEM_BLOCK": problem_block, "LOADTEST_PROBLEM_ANSWER": problem_answer,
    }
    fmt.echo_info(f"Locust: {users} users (+{spawn_rate:g}/s) against {host} for {seconds} s; "
                  f"report in {out}")
    try:
        code = lt.run_locust(lt.locust_command(out, host, users, spawn_rate, seconds), env,
                             out / "locust.log")
    finally:
        if sampler:
            sampler.stop()
            sampler.write_csv(out / lt.SAMPLES_CSV)
    if code != 0 or not (out / lt.STATS_CSV).exists():
        raise exceptions.TutorError(f"Locust exited with code {code}: see {out / 'locust.log'}")
    settings = {"host": host, "studio_host": studio_host, "users": users,
                "spawn_rate": spawn_rate, "seconds": seconds, "course_id": course_id,
                "learner": bool(username)}
    summary = lt.summarize(out, sampler, settings)
    for line in lt.summary_lines(summary):
        fmt.echo_info(line)
    fmt.echo_info(f"Report: {out} ({lt.HTML_REPORT}, {lt.STATS_CSV}, {lt.SUMMARY_TXT})")
