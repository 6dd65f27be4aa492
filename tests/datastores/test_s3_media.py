"""S3 media: django-storages' S3Boto3Storage, built from the rendered LMS settings,
against a moto S3 server on 127.0.0.1.

The settings module is executed with only edx-platform's imports stood in for
(edx_settings_standin.py, which carries edx-platform's own media defaults: edx.org's
`edxuploads.s3.amazonaws.com` custom domain and 10-year signatures). Each storage is
built the way Django and edx-platform build it: `STORAGES["default"]` (BACKEND +
OPTIONS), `PROFILE_IMAGE_BACKEND` (class + options), `OPENEDX_LEARNING["MEDIA"]`, with
every `AWS_*` setting in django.conf.settings.

TEST DOUBLE for the network path to AWS: the storages talk to
`<bucket>.s3.<region>.amazonaws.com` over HTTPS, which cannot be reached here. A
botocore `before-send` hook (and `_through_moto` for plain HTTP GETs) sends each
request to the moto server instead, keeping the virtual-hosted `Host` header, so moto
serves the same bucket/key the real endpoint would. URLs are built untouched.
moto does not enforce X-Amz-Expires, so the expiry is read from the signed URL.
"""

from __future__ import annotations

import typing as t
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import django
import pytest
import requests
from datastore_roots import mount_ca, render_root
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils.module_loading import import_string
from edx_settings_standin import evaluate
from moto_server import moto_server

BUCKET = "openedx-media-test"
REGION = "eu-west-1"
BUCKET_HOST = f"{BUCKET}.s3.{REGION}.amazonaws.com"
MEDIA_DOMAIN = "media.learn.example.com"


@pytest.fixture(scope="module")
def moto_s3(monkeypatch_module) -> t.Iterator[str]:
    # Throw-away credentials: the pods' IAM role in production, boto3's chain here.
    monkeypatch_module.setenv("AWS_ACCESS_KEY_ID", "AKIAMEDIATEST")
    monkeypatch_module.setenv("AWS_SECRET_ACCESS_KEY", "media-test-secret")
    monkeypatch_module.delenv("AWS_PROFILE", raising=False)
    # Another folder's session fixture may point boto3 at its own moto server.
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch_module.delenv(variable, raising=False)
    with moto_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint, region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint


@pytest.fixture(scope="module", autouse=True)
def django_ready() -> None:
    """An empty Django configuration; each test overrides it with the rendered AWS_*."""
    if not django_settings.configured:
        django_settings.configure()
        django.setup()


@pytest.fixture(scope="module")
def monkeypatch_module() -> t.Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _settings_for(tmp_path_factory, name: str, extra: dict[str, t.Any]) -> dict[str, t.Any]:
    root = render_root(
        tmp_path_factory.mktemp(name),
        {
            "EKS_MEDIA_BACKEND": "s3",
            "EKS_S3_MEDIA_BUCKET": BUCKET,
            "EKS_AWS_REGION": REGION,
            **extra,
        },
    )
    return evaluate(root, mount_ca(root, tmp_path_factory.mktemp(f"{name}-ca")))


@pytest.fixture(scope="module")
def signed_settings(tmp_path_factory) -> dict[str, t.Any]:
    return _settings_for(tmp_path_factory, "s3-signed", {"EKS_MEDIA_URL_EXPIRY": 900})


@pytest.fixture(scope="module")
def domain_settings(tmp_path_factory) -> dict[str, t.Any]:
    return _settings_for(tmp_path_factory, "s3-domain", {"EKS_MEDIA_DOMAIN": MEDIA_DOMAIN})


def _aws(settings: dict[str, t.Any]) -> dict[str, t.Any]:
    return {k: v for k, v in settings.items() if k.startswith("AWS_")}


def _storages(settings: dict[str, t.Any]) -> dict[str, t.Any]:
    """Every S3 storage of the LMS, built as Django/edx-platform build them."""
    default = settings["STORAGES"]["default"]
    profile = settings["PROFILE_IMAGE_BACKEND"]
    learning = settings["OPENEDX_LEARNING"]["MEDIA"]
    return {
        "default": import_string(default["BACKEND"])(**default.get("OPTIONS", {})),
        "profile_images": import_string(profile["class"])(**profile.get("options", {})),
        "openedx_learning": import_string(learning["BACKEND"])(**learning.get("OPTIONS", {})),
    }


def _through_moto(storage: t.Any, endpoint: str) -> None:
    """Send this storage's S3 calls to moto, Host header kept (see module docstring)."""

    def redirect(request: t.Any, **_kwargs: t.Any) -> None:
        parts = urlsplit(request.url)
        request.headers["Host"] = parts.netloc
        request.url = f"{endpoint}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    storage.connection.meta.client.meta.events.register("before-send.s3", redirect)


def _get(url: str, endpoint: str) -> requests.Response:
    parts = urlsplit(url)
    target = f"{endpoint}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return requests.get(target, headers={"Host": parts.netloc}, timeout=10)


def test_media_urls_are_signed_on_the_bucket_endpoint(signed_settings, moto_s3) -> None:
    """No media domain: every storage saves into the bucket and hands out SigV4 URLs on
    the bucket's regional endpoint that expire after EKS_MEDIA_URL_EXPIRY; the signed
    URL returns the file, the same URL without its signature is refused."""
    with override_settings(**_aws(signed_settings)):
        for name, storage in _storages(signed_settings).items():
            _through_moto(storage, moto_s3)
            body = f"{name}-{uuid.uuid4()}".encode()
            key = storage.save(f"eks-test/{name}.txt", ContentFile(body))
            url = storage.url(key)
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.hostname == BUCKET_HOST, (name, url)
            query = parse_qs(parts.query)
            assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"], name
            assert query["X-Amz-Expires"] == ["900"], name
            assert f"/{REGION}/s3/aws4_request" in query["X-Amz-Credential"][0], name
            response = _get(url, moto_s3)
            assert response.status_code == 200 and response.content == body, name
            unsigned = _get(f"https://{parts.netloc}{parts.path}", moto_s3)
            assert unsigned.status_code == 403, (name, unsigned.status_code)


def test_media_domain_serves_public_media_private_stays_signed(domain_settings, moto_s3) -> None:
    """EKS_MEDIA_DOMAIN: public media (default storage, profile images) gets plain URLs
    on that domain; content-library media stays signed on the bucket endpoint with the
    default 3600 s expiry."""
    with override_settings(**_aws(domain_settings)):
        storages = _storages(domain_settings)
        for name in ("default", "profile_images"):
            url = storages[name].url(f"eks-test/{name}.png")
            parts = urlsplit(url)
            assert (parts.scheme, parts.hostname, parts.query) == ("https", MEDIA_DOMAIN, ""), url
        private = storages["openedx_learning"]
        _through_moto(private, moto_s3)
        key = private.save("eks-test/library.txt", ContentFile(b"library asset"))
        url = private.url(key)
        parts = urlsplit(url)
        assert parts.hostname == BUCKET_HOST, url
        assert parse_qs(parts.query)["X-Amz-Expires"] == ["3600"]
        assert _get(url, moto_s3).content == b"library asset"
        assert _get(f"https://{parts.netloc}{parts.path}", moto_s3).status_code == 403


def test_edx_defaults_alone_give_unsigned_urls_on_edx_org(signed_settings) -> None:
    """The defect: with edx-platform's media globals (what Tutor leaves in place) the
    S3 storage builds unsigned URLs on edx.org's bucket host."""
    edx_defaults = {
        **_aws(signed_settings),
        "AWS_S3_CUSTOM_DOMAIN": "edxuploads.s3.amazonaws.com",
        "AWS_QUERYSTRING_EXPIRE": 10 * 365 * 24 * 60 * 60,
    }
    with override_settings(**edx_defaults):
        storage = import_string("storages.backends.s3boto3.S3Boto3Storage")()
        parts = urlsplit(storage.url("eks-test/x.txt"))
        assert parts.hostname == "edxuploads.s3.amazonaws.com" and parts.query == ""
