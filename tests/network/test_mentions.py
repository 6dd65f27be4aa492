"""network_policies.mentions scans the occurrences of a host name with str.find instead
of a regex (the regex tried every position of 100 KB settings texts). It must answer
exactly as the regex it replaced, ``(?<![\\w.-])TOKEN(?![\\w-]|\\.\\w)``, on texts built
from the characters that matter at a name's edges."""

from __future__ import annotations

import random
import re

import pytest

from tutor_eks_plugin.render.network_policies import mentions

ALPHABET = ["a", "b", "Z", "0", "_", ".", "-", " ", "\n", ":", "/", '"', "é", "٣", "²"]
TOKENS = ["a", "ab", "a.b", "a-b", "b.", "-a", "rds.example", "ab_0"]


def _regex(text: str, token: str) -> bool:
    return bool(re.search(rf"(?<![\w.-]){re.escape(token)}(?![\w-]|\.\w)", text))


@pytest.mark.parametrize("seed", range(20))
def test_the_scan_answers_as_the_regex(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        token = rng.choice(TOKENS)
        pieces = [rng.choice(ALPHABET) for _ in range(rng.randrange(0, 12))]
        for _ in range(rng.randrange(0, 3)):
            pieces.insert(rng.randrange(0, len(pieces) + 1), token)
        text = "".join(pieces)
        assert mentions(text, token) == _regex(text, token), (text, token)


@pytest.mark.parametrize(("text", "expected"), [
    ("host: rds.example", True), ("host: rds.example.", True), ("rds.example.com", False),
    ("myrds.example", False), ("x-rds.example", False), ("rds.example-2", False),
    ("'rds.example'", True), ("rds.example:3306", True), ("", False),
])
def test_a_name_inside_a_longer_name_is_not_mentioned(text: str, expected: bool) -> None:
    assert mentions(text, "rds.example") is expected
