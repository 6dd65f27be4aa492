"""Draw a Model with the `diagrams` library (AWS and Kubernetes icons, Graphviz).

Imported only by the command and the docs script: `diagrams` and Graphviz are an
optional extra (`pip install 'tutor-contrib-eks[diagram]'`, `apt-get install graphviz`).

Two things make the files fit for a repository:
- the SVG that Graphviz writes points at the icon PNGs by absolute path inside the
  installed `diagrams` package; the icons are inlined as data: URIs instead, so the
  SVG is self-contained and names no path of the machine that drew it;
- the PNG carries the sha256 of the model's canonical text in a tEXt chunk
  (MODEL_KEY), so a test can tell a stale picture from a current one without
  comparing pixels, which differ between Graphviz builds.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import re
import shutil
import struct
import tempfile
import textwrap
import typing as t
import zlib
from pathlib import Path

from tutor import exceptions

from .model import Model, Node

MODEL_KEY = "eks-model-sha256"
FORMATS = ("png", "svg")
INSTALL_HINT = (
    "install the diagram extra and Graphviz: pip install 'tutor-contrib-eks[diagram]' "
    "and apt-get install graphviz (Debian/Ubuntu)"
)

# Node kind -> diagrams class ("module:Class").
ICONS = {
    "users": "diagrams.onprem.client:Users",
    "waf": "diagrams.aws.security:WAF",
    "cloudfront": "diagrams.aws.network:CloudFront",
    "alb": "diagrams.aws.network:ElbApplicationLoadBalancer",
    "nat": "diagrams.aws.network:NATGateway",
    "endpoint": "diagrams.aws.network:Endpoint",
    "nodegroup": "diagrams.aws.compute:EC2AutoScaling",
    "controller": "diagrams.k8s.ecosystem:Helm",
    "monitoring": "diagrams.onprem.monitoring:Prometheus",
    "nginx": "diagrams.onprem.network:Nginx",
    "ingress": "diagrams.k8s.network:Ingress",
    "deployment": "diagrams.k8s.compute:Deployment",
    "rds": "diagrams.aws.database:RDS",
    "documentdb": "diagrams.aws.database:DocumentDB",
    "mongodb": "diagrams.onprem.database:Mongodb",
    "elasticache": "diagrams.aws.database:ElasticacheForRedis",
    "ec2": "diagrams.aws.compute:EC2",
    "opensearch": "diagrams.aws.analytics:AmazonOpensearchService",
    "s3": "diagrams.aws.storage:S3",
    "efs": "diagrams.aws.storage:EFS",
    "ses": "diagrams.aws.engagement:SES",
    "backup": "diagrams.aws.storage:Backup",
    "kms": "diagrams.aws.security:KMS",
}


def require() -> t.Any:
    """The `diagrams` module, or a TutorError naming both missing pieces."""
    try:
        diagrams = importlib.import_module("diagrams")
    except ImportError:
        raise exceptions.TutorError(
            f"The diagram command needs the `diagrams` package: {INSTALL_HINT}."
        ) from None
    if not shutil.which("dot"):
        raise exceptions.TutorError(
            f"The diagram command needs Graphviz's `dot` on PATH: {INSTALL_HINT}."
        )
    return diagrams


def _icon(kind: str) -> t.Any:
    module, name = ICONS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def _tree(nodes: list[Node]) -> dict[str, t.Any]:
    """Nested dict of group names; the key None holds the nodes of that level."""
    root: dict[t.Any, t.Any] = {None: []}
    for node in nodes:
        level = root
        for group in node.group:
            level = level.setdefault(group, {None: []})
        level[None].append(node)
    return root


def _draw_level(diagrams: t.Any, level: dict[t.Any, t.Any], made: dict[str, t.Any]) -> None:
    for node in level[None]:
        # Graphviz does not wrap labels: long ones would overlap their neighbours.
        label = textwrap.fill(node.label, 26, break_on_hyphens=False)
        made[node.id] = _icon(node.kind)(label, nodeid=node.id)
    for name, sub in level.items():
        if name is None:
            continue
        with diagrams.Cluster(name):
            _draw_level(diagrams, sub, made)


def render(model: Model, out_dir: Path, formats: t.Sequence[str] = FORMATS) -> list[Path]:
    """Draw the model into out_dir/<model.name>.<format>; return the files written."""
    diagrams = require()
    out_dir.mkdir(parents=True, exist_ok=True)
    # diagrams writes a Graphviz source file beside its outputs: draw in a temp dir.
    with tempfile.TemporaryDirectory(prefix="eks-diagram-") as tmp:
        base = Path(tmp) / model.name
        with contextlib.redirect_stdout(None):
            with diagrams.Diagram(
                model.title,
                filename=str(base),
                outformat=list(formats),
                show=False,
                direction="LR",
                graph_attr={"fontsize": "20", "pad": "0.4", "splines": "spline"},
                edge_attr={"fontsize": "10"},
            ):
                made: dict[str, t.Any] = {}
                _draw_level(diagrams, _tree(model.nodes), made)
                for edge in model.edges:
                    label = textwrap.fill(edge.label, 34, break_on_hyphens=False)
                    made[edge.src] >> diagrams.Edge(label=label) >> made[edge.dst]
        written = []
        for fmt in formats:
            source = base.with_suffix(f".{fmt}")
            target = out_dir / source.name
            data = source.read_bytes()
            if fmt == "png":
                data = add_text_chunk(data, MODEL_KEY, model.digest())
            elif fmt == "svg":
                data = inline_images(data.decode("utf-8")).encode("utf-8")
            target.write_bytes(data)
            written.append(target)
    return written


_HREF = re.compile(r'xlink:href="([^"]+\.png)"')


def inline_images(svg: str) -> str:
    """Replace every icon file reference by a data: URI of the file's bytes."""

    def embed(match: re.Match[str]) -> str:
        data = base64.b64encode(Path(match.group(1)).read_bytes()).decode("ascii")
        return f'xlink:href="data:image/png;base64,{data}"'

    return _HREF.sub(embed, svg)


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _chunks(png: bytes) -> t.Iterator[tuple[bytes, bytes, int, int]]:
    """(type, data, start, end) of every chunk."""
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG file")
    pos = len(PNG_MAGIC)
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        end = pos + 12 + length
        yield kind, png[pos + 8 : pos + 8 + length], pos, end
        pos = end


def add_text_chunk(png: bytes, key: str, value: str) -> bytes:
    """The PNG with a tEXt chunk key=value right after IHDR."""
    body = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    for kind, _data, _start, end in _chunks(png):
        if kind == b"IHDR":
            return png[:end] + chunk + png[end:]
    raise ValueError("PNG without IHDR")


def text_chunks(png: bytes) -> dict[str, str]:
    """Every tEXt chunk of a PNG, CRC-checked."""
    found = {}
    for kind, data, _start, end in _chunks(png):
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(kind + data) & 0xFFFFFFFF != crc:
            raise ValueError(f"PNG chunk {kind!r} has a bad CRC")
        if kind == b"tEXt":
            key, _, value = data.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
    return found
