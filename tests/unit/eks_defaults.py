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


def ingress_config(**user: t.Any) -> dict[str, t.Any]:
    """The keys the route code reads, at their defaults: no Tutor config needed, so a
    test of the rules stays fast enough to run once per mutant (scripts/mutation.sh)."""
    from tutor_eks_plugin.settings import ingress

    config: dict[str, t.Any] = {st.key: st.default for st in ingress.SETTINGS}
    config.update(LMS_HOST="learn.example.com", CMS_HOST="studio.learn.example.com")
    config.update(user)
    return config
