"""Terraform's streamed output never shows a generated password (found by the rehearsal).

The AWS provider sets an aws_secretsmanager_random_password data source's id to the
password, and Terraform prints that id when it reads the data source. The lines are
the ones Terraform 1.11 printed in the rehearsal (tests/rehearsal), values replaced.
"""

from __future__ import annotations

import io

import pytest

from tutor_eks_plugin.infra import terraform

SECRET = "z5tK0Acp7AriXwIKT7sm5bQja00iGntAjbOanTyATwE3tbD1"
READS = [
    f"module.search.data.aws_secretsmanager_random_password.master_key: Read complete after 0s [id={SECRET}]\n",
    f'module.edge.data.aws_secretsmanager_random_password.origin_header["0"]: Read complete after 1s [id={SECRET}]\n',
    # Colours on (no -no-color): the escape codes wrap the line.
    f"\x1b[0m\x1b[1mmodule.redis.data.aws_secretsmanager_random_password.auth: Read complete after 0s [id={SECRET}]\x1b[0m\n",
]


@pytest.mark.parametrize("line", READS)
def test_random_password_ids_are_masked_in_shown_and_kept_output(
    line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kept: list[str] = []
    terraform._pump(io.StringIO(line), kept, stream=True, is_err=False)
    shown = capsys.readouterr().out
    assert SECRET not in shown and SECRET not in "".join(kept)
    assert "Read complete after" in shown and "[id=(sensitive value)]" in shown


def test_other_ids_are_left_alone() -> None:
    line = "module.network.aws_vpc.this: Creation complete after 11s [id=vpc-bf06ca6dcf4e781db]\n"
    data = "module.eks.data.aws_iam_policy_document.x: Read complete after 0s [id=123456]\n"
    assert terraform.masked(line) == line
    assert terraform.masked(data) == data
