"""A full config the way Tutor builds it (base, defaults, every EKS_* default, rendered)
without a Tutor root on disk: for tests that call the plugin's code directly."""

from __future__ import annotations

import typing as t

from tutor import config as tutor_config

from tutor_eks_plugin import config as eks_config


def rendered_defaults(**user: t.Any) -> dict[str, t.Any]:
    config: dict[str, t.Any] = {}
    tutor_config.update_with_base(config)
    tutor_config.update_with_defaults(config)
    config.update({st.key: st.default for st in eks_config.all_settings()})
    config["PLUGINS"] = ["eks"]
    config.update(user)
    tutor_config.render_full(config)
    return config
