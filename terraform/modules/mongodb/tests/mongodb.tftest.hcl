# `terraform test` of the mongodb (DocumentDB) module against the real AWS provider schema (mocked).

mock_provider "aws" {
  mock_resource "aws_docdb_cluster" {
    defaults = {
      arn                = "arn:aws:rds:eu-west-1:123456789012:cluster:demo-docdb"
      master_user_secret = [{ kms_key_id = "", secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:docdb-demo-AbCdEf", secret_status = "active" }]
    }
  }
}

variables {
  identifier                 = "demo-docdb"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

# Planned first, from the empty state (after the apply a plan refreshes every resource).
run "docdb_off_creates_no_log_group" {
  command = plan

  variables {
    enabled = false
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0 && length(terraform_data.final_snapshot_suffix) == 0
    error_message = "Bring-your-own MongoDB: no DocumentDB log group or snapshot suffix."
  }
}

run "docdb_logs_and_final_snapshot" {
  command = apply

  assert {
    condition = (
      jsonencode(output.settings.log_exports) == jsonencode(["audit", "profiler"]) &&
      jsonencode(keys(output.settings.log_groups)) == jsonencode(output.settings.log_exports) &&
      alltrue([for k, g in output.settings.log_groups :
        g.name == "/aws/docdb/demo-docdb/${k}" && g.retention_in_days == 365 && g.kms_key_id == var.kms_key_arn
      ])
    )
    error_message = "Every exported DocumentDB log goes to a pre-created group with retention and the deployment key."
  }

  assert {
    condition     = output.settings.parameters["profiler"] == "enabled" && output.settings.parameters["profiler_threshold_ms"] == "1000"
    error_message = "The exported profiler log records operations slower than profiler_threshold_ms."
  }

  assert {
    condition     = can(regex("^demo-docdb-final-[0-9]{14}$", output.settings.final_snapshot_identifier))
    error_message = "The final snapshot name carries a creation-time suffix, so a second destroy does not clash with the first one's snapshot."
  }
}

run "docdb_final_snapshot_name_is_stable" {
  # A plan on the first apply's state: what the next apply would set.
  command = plan

  assert {
    condition     = output.settings.final_snapshot_identifier == run.docdb_logs_and_final_snapshot.settings.final_snapshot_identifier
    error_message = "A later apply keeps the final snapshot name."
  }
}
