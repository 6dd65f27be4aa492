"""Rules that pick one value among several give the same answer whatever the order.

One Ingress is one NGINX server, so a host's body-size limit is the largest of its
routes' limits ('0' = unlimited outranks every number). The cases put the largest limit
on each path in turn and feed the routes in every order, so a rule that took the first
(or last) route's value, or compared the sizes as text, fails here. The expected winner
of each case is written out, not computed with the code under test.
"""

from __future__ import annotations

import itertools
import typing as t

import pytest
from eks_defaults import ingress_config
from eks_in_process import unload_eks_plugin

from tutor_eks_plugin.render import routes
from tutor_eks_plugin.settings.ingress import COMMUNITY_NGINX


@pytest.fixture(autouse=True)
def _no_plugin_hooks() -> None:
    """These tests build routes from partial configs: no callback of a plugin loaded
    in-process by an earlier test (the Meilisearch route) may join them."""
    unload_eks_plugin()


HOST = "docs.example.com"
PATHS = ("/", "/api", "/api/upload")

# (three limits, the one NGINX must get): units mixed on purpose.
SIZE_SETS = [
    (("1m", "250m", "4m"), "250m"),
    (("2048k", "1m", "3m"), "3m"),  # 2048k = 2m: text order would pick "3m" too, bytes decide
    (("900k", "1m", "1000k"), "1m"),  # as text "900k" is largest; in bytes 1m = 1024k
    (("1g", "0", "500m"), "0"),  # 0 = no limit
    (("10", "9", "1k"), "1k"),  # plain bytes
    # One unit step either side of the next unit: the factors are exactly 1024.
    (("1g", "1025m", "1m"), "1025m"),
    (("1g", "1023m", "1m"), "1g"),
    (("1m", "1025k", "1k"), "1025k"),
    (("1m", "1023k", "1k"), "1m"),
    (("1k", "1025", "10"), "1025"),
    (("1k", "1023", "10"), "1k"),
]

CASES = [
    pytest.param(sizes, order, expected, id=f"{'-'.join(sizes)}@{''.join(map(str, order))}")
    for (three, expected) in SIZE_SETS
    for sizes in itertools.permutations(three)
    for order in itertools.permutations(range(3))
]


@pytest.fixture(scope="module")
def defaults() -> dict[str, t.Any]:
    return ingress_config()


def _extra(sizes: tuple[str, ...], order: tuple[int, ...]) -> list[dict[str, t.Any]]:
    items = [
        {"host": HOST, "path": path, "service": "lms", "port": 8000, "max_body_size": size}
        for path, size in zip(PATHS, sizes)
    ]
    return [items[i] for i in order]


@pytest.mark.parametrize(("sizes", "order", "expected"), CASES)
def test_largest_body_limit_wins_in_any_order(
    defaults: dict[str, t.Any], sizes: tuple[str, ...], order: tuple[int, ...], expected: str
) -> None:
    config = dict(defaults, EKS_INGRESS_EXTRA_ROUTES=_extra(sizes, order))
    ingress = next(i for i in routes.build_ingresses(config, {}) if i.host == HOST)
    assert ingress.annotations["nginx.org/client-max-body-size"] == expected
    community = dict(config, EKS_INGRESS_CONTROLLER=COMMUNITY_NGINX)
    ingress = next(i for i in routes.build_ingresses(community, {}) if i.host == HOST)
    assert ingress.annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == expected


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_route_precedence_does_not_depend_on_order(
    defaults: dict[str, t.Any], order: tuple[int, ...]
) -> None:
    """Longest path first within a host, the root route names the Ingress, and a user
    route for a core host's path replaces the core route, whatever the list order."""
    lms = defaults["LMS_HOST"]
    items = [
        {"host": HOST, "path": "/api", "service": "api", "port": 8080},
        {"host": HOST, "path": "/", "service": "docs", "port": 8000},
        {"host": lms, "path": "/", "service": "lms-canary", "port": 8001, "max_body_size": "8m"},
    ]
    config = dict(defaults, EKS_INGRESS_EXTRA_ROUTES=[items[i] for i in order])
    built = {i.host: i for i in routes.build_ingresses(config, {})}
    docs = built[HOST]
    assert docs.name == "docs"
    assert [(r.path, r.service, r.port) for r in docs.routes] == [
        ("/api", "api", 8080), ("/", "docs", 8000)]
    assert [(r.path, r.service, r.port, r.max_body_size) for r in built[lms].routes] == [
        ("/", "lms-canary", 8001, "8m")]
