"""Summary of one cosmic-ray session: mutants, killed, and each survivor with its line.

Called by scripts/mutation.sh as `mutation_report.py SESSION NAME MODULE SECONDS`. A
mutant counts as killed when the tests failed (or timed out: an endless loop is a
failure a user would see); incompetent mutants (not valid Python at import) are
neither, and items skipped by `# pragma: no mutate` are not counted at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome


def main(session: str, name: str, module: str, seconds: str) -> None:
    source = Path(module).read_text().splitlines()
    mutants = killed = 0
    survivors: list[str] = []
    with use_db(session, WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            if result.test_outcome == TestOutcome.INCOMPETENT:
                continue
            mutants += 1
            if result.test_outcome == TestOutcome.KILLED:
                killed += 1
                continue
            for m in item.mutations:
                line = m.start_pos[0]
                text = source[line - 1].strip() if line <= len(source) else ""
                survivors.append(
                    f"  survivor {module}:{line} {m.operator_name} #{m.occurrence}: {text}"
                )
        pending = db.num_work_items - db.num_results
    print(f"== {name} ({module}): {seconds}s")
    for line in sorted(survivors, key=lambda s: int(s.split(":")[1].split()[0])):
        print(line)
    if pending:
        print(f"  {pending} mutants not run (interrupted?)")
    rate = 100 * killed / mutants if mutants else 0.0
    print(f"{name}: score={rate:.1f}% mutants={mutants} killed={killed}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
