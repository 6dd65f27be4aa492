"""What the media settings partials render from (s3 mode): the template variable
``eks_media``. The keys, their rules and the storage options are in settings/media.py."""

from __future__ import annotations

import typing as t

import jinja2

from ..settings.media import storage_options


@jinja2.pass_context
def eks_media(context: jinja2.runtime.Context) -> dict[str, t.Any]:
    """What the media settings partials need (s3 mode)."""
    config = {k: v for k, v in context.get_all().items() if k.isupper()}
    return {"expiry": int(config["EKS_MEDIA_URL_EXPIRY"]), **storage_options(config)}


TEMPLATE_VARIABLES: list[tuple[str, t.Any]] = [("eks_media", eks_media)]
