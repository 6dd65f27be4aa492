"""Write the stage-1 outputs into the Tutor config, then re-render the env.

The config is loaded and saved the way `tutor config save` does it, through
``tutor.config.save_config_file`` (which the plugin wraps with its validation), and
only when a value really changed: a re-run with the same outputs leaves config.yml
byte-identical.
"""

from __future__ import annotations

import typing as t

from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import exceptions

from ..config import full_config_from_user, problems, show


def changes(current: dict[str, t.Any], values: dict[str, t.Any]) -> dict[str, t.Any]:
    return {k: v for k, v in values.items() if current.get(k, object()) != v}


def check_fetched(root: str, values: dict[str, t.Any], origins: dict[str, str]) -> None:
    """Refuse values from the stack that the plugin's rules reject, saying where each
    comes from: the generic "fix it with `tutor config save --set`" is wrong for a value
    that the next sync fetches again."""
    user = tutor_config.load_minimal(root)
    user.update(values)
    lines: list[str] = []
    for problem in problems(full_config_from_user(user)):
        key = next((k for k in origins if problem.startswith((f"{k}=", f"{k} "))), None)
        if key is not None:
            lines += [problem, origins[key]]
    if lines:
        raise exceptions.TutorError(
            "\n".join(lines + ["config.yml was not changed."])
        )


def write(root: str, values: dict[str, t.Any]) -> dict[str, t.Any]:
    """Save the keys that differ; returns them (for a summary, values hidden)."""
    user = tutor_config.load_minimal(root)
    changed = changes(user, values)
    if changed:
        user.update(changed)
        tutor_config.save_config_file(root, user)
    tutor_env.save(root, tutor_config.load_full(root))
    return changed


def summary(changed: dict[str, t.Any]) -> list[str]:
    return [f"{key} = {show(key, value)}" for key, value in sorted(changed.items())]
