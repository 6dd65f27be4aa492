"""The diagrams are drawn for real (diagrams + Graphviz's `dot` from Debian) for both
profiles and three option mixes: the files are valid PNG and SVG, the SVG is
self-contained (icons inlined, no path of this machine), and its nodes are exactly
the stores and hosts the config has."""

from __future__ import annotations

import shutil
import typing as t
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from eks_configs import BYO_S3_OPENSEARCH, PLUGIN_HOST_SES, make_config

from tutor_eks_plugin.diagram import config as diagram_config
from tutor_eks_plugin.diagram import draw, facts, model

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

# (case, profile, overrides, store node ids, labels that must appear, labels that must not)
CASES = [
    ("small-default", "small", {},
     {"mysql", "mongodb", "redis", "meilisearch", "media"},
     ["DocumentDB 1 x db.t4g.medium", "EFS media volume", "NAT gateway AZ 1"],
     ["OpenSearch", "your own MongoDB", "S3 media", "SES", "NAT gateway AZ 2", "interface"]),
    ("production-default", "production", {},
     {"mysql", "mongodb", "redis", "meilisearch", "media"},
     ["DocumentDB 3 x db.r6g.large", "Multi-AZ", "NAT gateway AZ 3", "interface endpoints"],
     ["OpenSearch", "your own MongoDB", "S3 media", "SES"]),
    ("byo-mongodb-opensearch-s3", "production", BYO_S3_OPENSEARCH,
     {"mysql", "mongodb", "redis", "meilisearch", "opensearch", "media"},
     ["your own MongoDB (mongo.example.net)", "OpenSearch 3 x m7g.large.search", "S3 media bucket"],
     ["DocumentDB", "EFS media", "SES"]),
    ("documentdb-opensearch-s3", "small", {
        "EKS_OPENSEARCH_LMS_SEARCH": True,
        "EKS_OPENSEARCH_ENDPOINT": "vpc-openedx.us-east-1.es.amazonaws.com",
        "EKS_OPENSEARCH_USERNAME": "openedx", "EKS_OPENSEARCH_PASSWORD": "OpenSearch-Pass-1",
        "EKS_MEDIA_BACKEND": "s3", "EKS_S3_MEDIA_BUCKET": "openedx-media"},
     {"mysql", "mongodb", "redis", "meilisearch", "opensearch", "media"},
     ["DocumentDB 1 x db.t4g.medium", "OpenSearch 1 x t3.medium.search", "S3 media bucket"],
     ["your own MongoDB", "EFS media", "masters", "SES"]),
    ("plugin-host-ses", "small", PLUGIN_HOST_SES,
     {"mysql", "mongodb", "redis", "meilisearch", "media", "ses"},
     ["notes.learn.example.com", "Amazon SES", "SMTP 587/tcp, STARTTLS"],
     ["OpenSearch", "your own MongoDB"]),
]


@pytest.fixture(scope="module")
def dot() -> str:
    found = shutil.which("dot")
    if not found:
        pytest.fail("Graphviz `dot` is not on PATH: apt-get install graphviz", pytrace=False)
    return found


def _svg_nodes(path: Path) -> dict[str, str]:
    """node title (the model's node id) -> the node's text, from the SVG's XML."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    found = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            title = g.find(f"{SVG}title")
            assert title is not None
            found[t.cast(str, title.text)] = " ".join(
                (x.text or "") for x in g.iter(f"{SVG}text")
            )
    return found


@pytest.mark.parametrize("case,profile,overrides,stores,present,absent", CASES,
                         ids=[c[0] for c in CASES])
def test_diagrams_show_exactly_what_the_config_has(
    dot: str, tmp_path: Path, case: str, profile: str, overrides: dict[str, t.Any],
    stores: set[str], present: list[str], absent: list[str],
) -> None:
    cfg = make_config(profile, **overrides)
    patches = diagram_config.caddy_patches(cfg)
    models = model.build(cfg, patches)
    hosts = {f"host-{i.host}" for i in model.public_hosts(cfg, patches)}
    assert {f"host-{cfg['LMS_HOST']}", f"host-{cfg['CMS_HOST']}"} <= hosts
    for m in models:
        files = draw.render(m, tmp_path)
        png, svg = (tmp_path / f"{m.name}.png", tmp_path / f"{m.name}.svg")
        assert set(files) == {png, svg}
        data = png.read_bytes()
        assert data.startswith(draw.PNG_MAGIC)
        assert draw.text_chunks(data) == {draw.MODEL_KEY: m.digest()}

        text = svg.read_text()
        assert str(Path.home()) not in text and "site-packages" not in text
        images = [e.get(XLINK) for e in ET.parse(svg).getroot().iter(f"{SVG}image")]
        assert images and all(h and h.startswith("data:image/png;base64,") for h in images)

        nodes = _svg_nodes(svg)
        assert set(nodes) == {n.id for n in m.nodes}
        known_stores = {"mysql", "mongodb", "redis", "meilisearch", "opensearch", "media", "ses"}
        assert set(nodes) & known_stores == stores, m.name
        if m.name == "architecture":
            assert {n for n in nodes if n.startswith("host-")} == hosts
        labels = " ".join(nodes.values())
        words = " ".join(labels.split())
        for needle in absent:
            assert needle not in words, (m.name, needle)
        if m.name == "architecture":
            for needle in present:
                if "SMTP" not in needle:
                    assert needle in words, (m.name, needle)
        else:
            flows = " ".join(e.label for e in m.edges)
            for needle in (n for n in present if "SMTP" in n):
                assert needle in flows


def test_network_flows_carry_the_configured_ports() -> None:
    cfg = make_config("small", MYSQL_PORT=3307, REDIS_PORT=6380, MONGODB_PORT=27018,
                      MEILISEARCH_URL="http://10.0.16.10:7701")
    flows = {e.dst: e.label for e in model.network(cfg, diagram_config.caddy_patches(cfg)).edges
             if e.src == "openedx"}
    assert flows["mysql"] == "MySQL 3307/tcp, TLS"
    assert flows["redis"] == "Redis 6380/tcp, TLS"
    assert flows["mongodb"] == "MongoDB 27018/tcp, TLS"
    assert flows["meilisearch"] == "HTTP 7701/tcp, no TLS"
    assert flows["media"].startswith("NFS 2049/tcp")


def test_missing_diagrams_package_names_both_install_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from tutor import exceptions

    real = importlib.import_module

    def no_diagrams(name: str, *args: t.Any) -> t.Any:
        if name == "diagrams":
            raise ImportError("No module named 'diagrams'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_diagrams)
    with pytest.raises(exceptions.TutorError, match=r"pip install 'tutor-contrib-eks\[diagram\]' "
                       r"and apt-get install graphviz"):
        draw.require()
    monkeypatch.setattr(importlib, "import_module", real)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(exceptions.TutorError, match="Graphviz's `dot` on PATH"):
        draw.require()


def test_real_endpoints_appear_once_stage1_wrote_them() -> None:
    cfg = make_config("small", MYSQL_HOST="openedx-mysql.abc.eu-west-1.rds.amazonaws.com",
                      EKS_CA_BUNDLE_CONFIGMAP="rds-ca", EKS_CLUSTER_NAME="openedx-prod")
    arch = model.architecture(cfg, diagram_config.caddy_patches(cfg))
    labels = {n.id: n.label for n in arch.nodes}
    assert labels["mysql"].endswith(" at openedx-mysql.abc.eu-west-1.rds.amazonaws.com")
    assert not labels["redis"].endswith(".amazonaws.com")  # still the placeholder host
    assert any("EKS cluster openedx-prod" in n.group for n in arch.nodes)


def test_monitoring_release_and_backup_module_appear_when_the_stacks_have_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository's stacks have a kube-prometheus-stack helm_release (stage 2) and a
    `module "backup"` (stage 1): both are drawn. A copy of terraform/ without those files
    draws neither, so the picture follows the stacks rather than a list."""
    cfg = make_config("production")
    patches = diagram_config.caddy_patches(cfg)
    nodes = {n.id: n for n in model.architecture(cfg, patches).nodes}
    assert nodes["helm-kube-prometheus-stack"].kind == "monitoring"
    assert nodes["backup"].kind == "backup"

    src = Path(__file__).resolve().parents[2] / "terraform"
    copy = tmp_path / "terraform"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"))
    (copy / "stacks/cluster/monitoring.tf").unlink()
    (copy / "stacks/aws/backup.tf").unlink()
    monkeypatch.setattr(facts, "terraform_root", lambda: copy)
    without = {n.id for n in model.architecture(cfg, patches).nodes}
    assert "helm-kube-prometheus-stack" not in without and "backup" not in without
