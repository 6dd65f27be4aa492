"""Run the checkov CLI many times while importing it once (run by checkov's own Python).

Importing `checkov.main` costs about 4.5 CPU-seconds, nearly all of a checkov run on one
render. This script imports it once, then for every request (one JSON line on stdin:
the CLI arguments and where to write stdout and stderr) forks and runs, in the child,
what the `checkov` console script runs: `Checkov(argv).run()`, its return value as the
exit code. Each run is a fresh process with checkov as it stands right after the import,
as in a new `checkov` process: nothing one run builds (graphs, registries filled while
running, reports) reaches the next. Running `Checkov().run()` twice in one process is
not that: the second run's graph checks differ (seen with CKV2_K8S_6), hence the fork.

Protocol: one request per line, `{"argv": [...], "stdout": path, "stderr": path}`; one
answer per line, `{"code": n}`. The server ends when stdin closes.
"""

from __future__ import annotations

import json
import os
import sys
import warnings


def main() -> None:
    with warnings.catch_warnings():
        # As the console script does.
        warnings.simplefilter("ignore", category=SyntaxWarning)
        from checkov.main import Checkov

    answers = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(Checkov, request)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        answers.write(json.dumps({"code": code}) + "\n")
        answers.flush()


def _child(checkov: type, request: dict) -> None:
    code = 1
    try:
        out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(err, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        sys.stdin = open(0)  # noqa: SIM115 - the child's stdin for its whole life
        sys.argv = ["checkov", *request["argv"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=SyntaxWarning)
            result = checkov(request["argv"]).run()
        code = result if isinstance(result, int) else (0 if result is None else 1)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the child's stderr, as the CLI would
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    main()
