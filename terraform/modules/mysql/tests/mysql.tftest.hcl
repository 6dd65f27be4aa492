# `terraform test` of the mysql module against the real AWS provider schema (mocked).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      arn                = "arn:aws:rds:eu-west-1:123456789012:db:demo-mysql"
      master_user_secret = [{ kms_key_id = "", secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-demo-AbCdEf", secret_status = "active" }]
    }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo-mysql-app-password-AbCdEf" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "MockAppPassword0123456789abcdefghijklmno" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/demo-mysql-rds-mon" }
  }
}

variables {
  identifier                 = "demo-mysql"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

# Planned first, from the empty state (after the apply a plan refreshes every resource).
run "mysql_recovery_window_is_validated" {
  command = plan

  variables {
    secret_recovery_window_days = 3
  }

  expect_failures = [var.secret_recovery_window_days]
}

run "mysql_logs_and_final_snapshot" {
  command = apply

  assert {
    condition = (
      jsonencode(output.settings.log_exports) == jsonencode(["error", "iam-db-auth-error", "slowquery"]) &&
      jsonencode(keys(output.settings.log_groups)) == jsonencode(output.settings.log_exports) &&
      alltrue([for k, g in output.settings.log_groups :
        g.name == "/aws/rds/instance/demo-mysql/${k}" && g.retention_in_days == 365 && g.kms_key_id == var.kms_key_arn
      ])
    )
    error_message = "Every exported RDS log goes to a pre-created group with retention and the deployment key (RDS would create it without either)."
  }

  assert {
    condition = (
      output.settings.parameters["slow_query_log"] == "1" &&
      output.settings.parameters["long_query_time"] == "2" &&
      output.settings.parameters["log_output"] == "FILE"
    )
    error_message = "The exported slowquery log needs slow_query_log=1, a long_query_time and log_output=FILE."
  }

  assert {
    condition     = can(regex("^demo-mysql-final-[0-9]{14}$", output.settings.final_snapshot_identifier))
    error_message = "The final snapshot name carries a creation-time suffix, so a second destroy does not clash with the first one's snapshot."
  }
}

run "mysql_final_snapshot_name_is_stable" {
  # A plan on the first apply's state: what the next apply would set.
  command = plan

  variables {
    long_query_time = 0.5
  }

  assert {
    condition     = output.settings.final_snapshot_identifier == run.mysql_logs_and_final_snapshot.settings.final_snapshot_identifier
    error_message = "A later apply keeps the final snapshot name (no diff on every plan)."
  }

  assert {
    condition     = output.settings.parameters["long_query_time"] == "0.5"
    error_message = "long_query_time follows the variable."
  }
}

run "mysql_app_password_secret" {
  # Planned on the first apply's state: the secret's ARN is known from it.
  command = plan

  variables {
    secret_recovery_window_days = 30
  }

  assert {
    condition     = output.app_password_secret_arn == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo-mysql-app-password-AbCdEf"
    error_message = "The module publishes the ARN of the app user's password secret."
  }

  assert {
    condition = (
      output.settings.app_password_secret.kms_key_id == var.kms_key_arn &&
      output.settings.app_password_secret.recovery_window_in_days == 30 &&
      output.settings.app_password_secret.password_length == 40 &&
      output.settings.app_password_secret.exclude_punctuation
    )
    error_message = "The app password secret uses the deployment key and the recovery window, and holds 40 letters and digits (safe in Tutor's quoted shell words and mysql:// URLs)."
  }

  assert {
    condition     = aws_secretsmanager_secret.app.name_prefix == "demo-mysql-app-password-"
    error_message = "The secret's name starts with the instance identifier."
  }
}
