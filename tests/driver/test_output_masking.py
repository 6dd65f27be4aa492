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


# The destroy plan Terraform 1.11 printed for the edge module's origin header slots in
# the rehearsal (value replaced): `output` mirrors the sensitive `input` unmasked.
DESTROY_PLAN = f"""\
  # module.edge.terraform_data.origin_header["0"] will be destroyed
  - resource "terraform_data" "origin_header" {{
      - id               = "8b71ecd5-9b2f-4b06-1493-1b9933fe27c4" -> null
      - input            = (sensitive value) -> null
      - output           = "{SECRET}" -> null
      - triggers_replace = 0 -> null
    }}

  # module.edge.terraform_data.plain will be destroyed
  - resource "terraform_data" "plain" {{
      - id     = "d77a76a6-a9fa-fb0a-a1d4-8baf52441d24" -> null
      - input  = "not-a-secret" -> null
      - output = "not-a-secret" -> null
    }}
"""
REPLACE_PLAN = f"""\
-/+ resource "terraform_data" "origin_header" {{
      ~ id               = "8b71ecd5" -> (known after apply)
      ~ input            = (sensitive value)
      ~ output           = "{SECRET}" -> (known after apply)
      ~ triggers_replace = 0 -> 2 # forces replacement
    }}
"""


@pytest.mark.parametrize("plan", [DESTROY_PLAN, REPLACE_PLAN])
def test_terraform_data_output_of_a_sensitive_input_is_masked(plan: str) -> None:
    kept: list[str] = []
    terraform._pump(io.StringIO(plan), kept, stream=False, is_err=False)
    shown = "".join(kept)
    assert SECRET not in shown
    assert "output           = (sensitive value)" in shown
    if "plain" in plan:
        assert '- output = "not-a-secret" -> null' in shown
