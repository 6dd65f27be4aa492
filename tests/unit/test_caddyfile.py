"""The Caddyfile reader that keeps other plugins' hosts routed."""

from __future__ import annotations

from tutor_eks_plugin.render.caddyfile import CaddyRoute, parse_block_body, parse_sites

NOTES = """
# Notes
notes.example.com{$default_site_port} {
    import proxy "notes:8000"
}
"""

MFE = """
apps.example.com{$default_site_port} {
    redir / https://example.com
    request_body {
        max_size 2MB
    }
    import proxy "mfe:8002"
}
"""

PATHS = """
jupyter.example.com{$default_site_port} {
    handle_path /hub/* {
        reverse_proxy jupyterhub:8081
    }
    import proxy "jupyter:8000"
}
(snippet) {
    import proxy "nowhere:1"
}
"""


def test_site_block_with_proxy() -> None:
    assert parse_sites(NOTES) == [CaddyRoute("notes.example.com", "/", "notes", 8000, None)]


def test_body_limit_is_converted_to_nginx_units() -> None:
    assert parse_sites(MFE) == [CaddyRoute("apps.example.com", "/", "mfe", 8002, "2m")]


def test_path_blocks_and_snippets() -> None:
    assert parse_sites(PATHS) == [
        CaddyRoute("jupyter.example.com", "/", "jupyter", 8000, None),
        CaddyRoute("jupyter.example.com", "/hub", "jupyterhub", 8081, None),
    ]


def test_lms_patch_body_gives_path_routes() -> None:
    body = ["handle /xqueue/* {", 'import proxy "xqueue:8000"', "}"]
    assert parse_block_body("lms.example.com", body) == [
        CaddyRoute("lms.example.com", "/xqueue", "xqueue", 8000, None)
    ]


def test_blocks_without_a_proxy_are_ignored() -> None:
    assert parse_sites("static.example.com {\n    file_server\n}\n") == []
