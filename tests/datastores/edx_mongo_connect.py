"""How edx-platform opens a MongoDB client from a DOC_STORE_CONFIG-shaped dict.

TEST DOUBLE for `xmodule.mongo_utils.connect_to_mongodb` of openedx/edx-platform, read
at commit 1150ba77d541e0f4f386e4f9365cea73a0097c05 (master, the stored version of
xmodule/mongo_utils.py; edx-platform itself cannot be installed here: it is not on PyPI
and needs the whole Open edX image). A later revision that drops the MongoProxy wrapper
handles the options the same way. Only the option handling is rewritten here, from its
behaviour:

- `authSource`/`authsource` is popped and becomes the authentication database (default:
  the database itself); a stray `auth_source` is dropped;
- `read_preference` given as a mode name ("secondaryPreferred") or a ReadPreference
  constant name ("SECONDARY_PREFERRED") becomes the ReadPreference object, which pymongo
  then prefers over a `readPreference` URI-style option;
- `replicaSet=''` becomes None;
- host, port, tz_aware=True, document_class=dict and every other key go to MongoClient;
  user/password become username/password/authSource.

The split and draft modulestores and the GridFS contentstore all call it with their
DOC_STORE_CONFIG as keyword arguments (minus `collection`, which the store keeps).
`connect=False` is added so that no server is contacted: pymongo still validates and
resolves every option.
"""

from __future__ import annotations

import typing as t

import pymongo
from pymongo.read_preferences import ReadPreference

# Mode names ("secondaryPreferred") to ReadPreference attribute names ("SECONDARY_PREFERRED").
_CONSTANT_OF_MODE = {
    "primary": "PRIMARY",
    "primaryPreferred": "PRIMARY_PREFERRED",
    "secondary": "SECONDARY",
    "secondaryPreferred": "SECONDARY_PREFERRED",
    "nearest": "NEAREST",
}


def connect_to_mongodb(
    db: str,
    host: str,
    port: int = 27017,
    tz_aware: bool = True,
    user: str | None = None,
    password: str | None = None,
    **kwargs: t.Any,
) -> pymongo.MongoClient:
    auth_source = db
    for key in ("authSource", "authsource"):
        if key in kwargs:
            auth_source = kwargs.pop(key)
            break
    kwargs.pop("auth_source", None)
    if "read_preference" in kwargs:
        name = _CONSTANT_OF_MODE.get(kwargs["read_preference"], kwargs["read_preference"])
        resolved = getattr(ReadPreference, name, None) if isinstance(name, str) else None
        if resolved is not None:
            kwargs["read_preference"] = resolved
    if kwargs.get("replicaSet") == "":
        kwargs["replicaSet"] = None
    params = {"host": host, "port": port, "tz_aware": tz_aware, "document_class": dict, **kwargs}
    if user is not None and password is not None and not db.startswith("test_"):
        params.update(username=user, password=password, authSource=auth_source)
    params["connect"] = False
    return pymongo.MongoClient(**params)


def open_store(doc_store_config: dict[str, t.Any]) -> pymongo.MongoClient:
    """A modulestore/contentstore client: the store keeps `collection` for itself."""
    kwargs = dict(doc_store_config)
    kwargs.pop("collection", None)
    return connect_to_mongodb(**kwargs)
