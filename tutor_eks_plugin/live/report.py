"""One line per check: status, what was seen, what to do."""

from __future__ import annotations

import json
import typing as t
from dataclasses import asdict, dataclass

OK = "ok"
WARN = "warn"
FAIL = "fail"
STATUSES = (OK, WARN, FAIL)


@dataclass(frozen=True)
class Result:
    check: str  # the check's name in the CHECKS list
    status: str  # ok | warn | fail
    seen: str  # what was observed, in one line
    todo: str = ""  # what to do about it (empty when ok)
    subject: str = ""  # the resource or host the line is about, when a check has several

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {STATUSES}")


# The checks build their lines without their own name; the runner fills it in from
# the CHECKS list, so a check's name is written once.
def ok(seen: str, subject: str = "") -> Result:
    return Result("", OK, seen, "", subject)


def warn(seen: str, todo: str, subject: str = "") -> Result:
    return Result("", WARN, seen, todo, subject)


def fail(seen: str, todo: str, subject: str = "") -> Result:
    return Result("", FAIL, seen, todo, subject)


def failed(results: t.Iterable[Result]) -> list[Result]:
    return [r for r in results if r.status == FAIL]


def text_lines(results: t.Sequence[Result]) -> list[str]:
    lines = []
    for r in results:
        name = f"{r.check} [{r.subject}]" if r.subject else r.check
        line = f"{r.status.upper():4}  {name}: {r.seen}"
        if r.todo:
            line += f" -> {r.todo}"
        lines.append(line)
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
    lines.append(
        f"{counts[OK]} ok, {counts[WARN]} warn, {counts[FAIL]} fail."
    )
    return lines


def to_json(results: t.Sequence[Result]) -> str:
    counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
    return json.dumps(
        {"ok": not failed(results), "counts": counts, "results": [asdict(r) for r in results]},
        indent=2,
    )
