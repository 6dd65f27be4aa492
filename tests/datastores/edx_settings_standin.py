"""Evaluate the rendered Open edX settings in a namespace shaped like edx-platform's.

edx-platform cannot be installed here (it is not on PyPI and needs the whole Open edX
image), so this module is a TEST DOUBLE for the parts of it that Tutor's settings touch
before and around the plugin's code:

- `lms.envs.production` / `cms.envs.production`: a module whose globals are what
  edx-platform's production.py derives from the rendered `lms.env.yml` (Tutor's real
  file): every YAML key as a setting, ENV_TOKENS/AUTH_TOKENS, BROKER_URL built the way
  production.py builds it, and the default MODULESTORE/CONTENTSTORE/LOGGING shapes.
- `xmodule.modulestore.modulestore_settings.update_module_store_settings`: copies the
  doc store settings into each non-XML store (dict.update), as edx-platform does.
- `codejail.jail_code.configure`: a no-op.

What runs for real: Tutor's rendered settings text up to the end of the settings
common to LMS and CMS (with every plugin's `openedx-common-settings` patch, e.g. the
forum's Mongo client and this plugin's media block), then the plugin's later rendered
blocks (between `######## tutor-contrib-eks: <name> (begin|end)` markers: profile
images, external data stores). The pod's CA mount path is replaced by a
local folder holding the CA bundle file Tutor rendered, as the kubelet would mount it.
"""

from __future__ import annotations

import copy
import re
import sys
import types
import typing as t
from pathlib import Path

import yaml

BEGIN = "######## tutor-contrib-eks: external data stores (begin)"
END = "######## tutor-contrib-eks: external data stores (end)"
TUTOR_COMMON_END = "######## End of settings common to LMS and CMS"
# Any block of the plugin's settings patches.
BLOCK_RE = re.compile(
    r"^######## tutor-contrib-eks: (?P<name>[^\n]+) \(begin\)$.*?"
    r"^######## tutor-contrib-eks: (?P=name) \(end\)$",
    re.MULTILINE | re.DOTALL,
)
POD_CA_DIR = "/etc/ssl/eks-ca"


def edx_doc_store_config() -> dict[str, t.Any]:
    """edx-platform's own DOC_STORE_CONFIG (lms/envs/common.py, same commit as
    edx_mongo_connect.py): the dict each store of
    its MODULESTORE starts from, before Tutor's update_module_store_settings() merges
    Tutor's parameters into it. Its `read_preference` survives that merge."""
    return {
        "db": "edxapp",
        "host": "localhost",
        "password": "password",
        "port": 27017,
        "user": "edxapp",
        "collection": "modulestore",
        "ssl": False,
        "socketTimeoutMS": 6000,
        "connectTimeoutMS": 2000,
        "auth_source": None,
        "read_preference": "SECONDARY_PREFERRED",
    }


def _store(name: str, engine: str) -> dict[str, t.Any]:
    return {
        "NAME": name,
        "ENGINE": engine,
        "DOC_STORE_CONFIG": edx_doc_store_config(),
        "OPTIONS": {"default_class": "xmodule.hidden_block.HiddenBlock", "fs_root": "/tmp"},
    }


def production_globals(env_yml: dict[str, t.Any]) -> dict[str, t.Any]:
    """What `from lms.envs.production import *` brings in, for the keys Tutor uses."""
    names: dict[str, t.Any] = copy.deepcopy(env_yml)
    names["ENV_TOKENS"] = copy.deepcopy(env_yml)
    names["AUTH_TOKENS"] = copy.deepcopy(env_yml)
    names["BROKER_URL"] = "{}://{}:{}@{}/{}".format(
        env_yml["CELERY_BROKER_TRANSPORT"],
        env_yml["CELERY_BROKER_USER"],
        env_yml["CELERY_BROKER_PASSWORD"],
        env_yml["CELERY_BROKER_HOSTNAME"],
        env_yml["CELERY_BROKER_VHOST"],
    )
    names["BROKER_USE_SSL"] = env_yml.get("CELERY_BROKER_USE_SSL", False)
    names["MODULESTORE"] = {
        "default": {
            "ENGINE": "xmodule.modulestore.mixed.MixedModuleStore",
            "OPTIONS": {
                "mappings": {},
                "stores": [
                    _store(
                        "split",
                        "xmodule.modulestore.split_mongo.split_draft.DraftVersioningModuleStore",
                    ),
                    _store("draft", "xmodule.modulestore.mongo.DraftMongoModuleStore"),
                ],
            },
        }
    }
    names["INSTALLED_APPS"] = ["lms.djangoapps.coursewarehistoryextended"]
    names["DATABASE_ROUTERS"] = [
        "openedx.core.lib.django_courseware_routers.StudentModuleHistoryExtendedRouter"
    ]
    names["LOGGING"] = {"handlers": {}, "loggers": {"tracking": {}}}
    names["JWT_AUTH"] = {}
    names["VIDEO_IMAGE_SETTINGS"] = {"STORAGE_KWARGS": {}}
    names["VIDEO_TRANSCRIPTS_SETTINGS"] = {"STORAGE_KWARGS": {}}
    # Media: edx-platform's defaults (lms/envs/common.py and production.py) that the
    # S3 mode must override: edx.org's bucket host and 10-year signatures.
    names["STORAGES"] = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "openedx.core.storage.ProductionStorage"},
    }
    names["AWS_QUERYSTRING_AUTH"] = True
    names["AWS_S3_CUSTOM_DOMAIN"] = "edxuploads.s3.amazonaws.com"
    names["AWS_QUERYSTRING_EXPIRE"] = 10 * 365 * 24 * 60 * 60
    names["PROFILE_IMAGE_BACKEND"] = {
        "class": "openedx.core.storage.OverwriteStorage",
        "options": {"location": "/openedx/media/profile-images/", "base_url": "/media/"},
    }
    return names


def _update_module_store_settings(module_store_setting, doc_store_settings=None, **_ignored):
    for store in module_store_setting["default"]["OPTIONS"]["stores"]:
        if store["NAME"] != "xml" and doc_store_settings:
            store["DOC_STORE_CONFIG"].update(doc_store_settings)


def _install_fake_modules(variant: str, env_yml: dict[str, t.Any]) -> dict[str, types.ModuleType]:
    production = types.ModuleType(f"{variant}.envs.production")
    production.__dict__.update(production_globals(env_yml))
    modulestore_settings = types.ModuleType("xmodule.modulestore.modulestore_settings")
    modulestore_settings.update_module_store_settings = _update_module_store_settings
    jail_code = types.ModuleType("codejail.jail_code")
    jail_code.configure = lambda *args, **kwargs: None
    codejail = types.ModuleType("codejail")
    codejail.jail_code = jail_code
    fakes = {
        variant: types.ModuleType(variant),
        f"{variant}.envs": types.ModuleType(f"{variant}.envs"),
        f"{variant}.envs.production": production,
        "xmodule": types.ModuleType("xmodule"),
        "xmodule.modulestore": types.ModuleType("xmodule.modulestore"),
        "xmodule.modulestore.modulestore_settings": modulestore_settings,
        "codejail": codejail,
        "codejail.jail_code": jail_code,
    }
    return fakes


def split_settings(text: str) -> tuple[str, str]:
    """(Tutor's common LMS/CMS settings with the plugins' common patches, the plugin's
    blocks after them: every `######## tutor-contrib-eks: <name> (begin|end)` pair, in
    the order of the file)."""
    assert TUTOR_COMMON_END in text, "Tutor's common settings end marker not found"
    cut = text.index(TUTOR_COMMON_END) + len(TUTOR_COMMON_END)
    tutor_part = text[:cut] + "\n"
    assert BEGIN in text and END in text, "the plugin's data store block is not rendered"
    blocks = []
    for match in BLOCK_RE.finditer(text, cut):
        blocks.append(match.group(0))
    return tutor_part, "\n".join(blocks) + "\n"


def evaluate(
    root: Path, ca_dir: Path, variant: str = "lms", with_plugin: bool = True
) -> dict[str, t.Any]:
    """The settings namespace of `variant` as rendered under `root` (a Tutor root)."""
    settings = root / "env" / "apps" / "openedx" / "settings" / variant / "production.py"
    env_yml = yaml.safe_load(
        (root / "env" / "apps" / "openedx" / "config" / f"{variant}.env.yml").read_text()
    )
    tutor_part, eks_part = split_settings(settings.read_text())
    code = tutor_part + (eks_part if with_plugin else "")
    code = code.replace(POD_CA_DIR, str(ca_dir))
    fakes = _install_fake_modules(variant, env_yml)
    saved = {name: sys.modules.get(name) for name in fakes}
    sys.modules.update(fakes)
    namespace: dict[str, t.Any] = {"__name__": f"{variant}.envs.tutor.production"}
    try:
        exec(compile(code, str(settings), "exec"), namespace)  # noqa: S102 - rendered settings
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return namespace
