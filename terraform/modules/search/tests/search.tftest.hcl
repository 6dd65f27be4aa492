# `terraform test` of the search module against the real AWS provider schema (mocked).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { insecure_value = "ami-0123456789abcdef0" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "MockPassword0123456789abcdefABCDEF" }
  }
  mock_data "aws_secretsmanager_secret_version" {
    defaults = { secret_string = "MockPassword0123456789abcdefABCDEF" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo-meilisearch-master-key-AbCdEf" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/demo-meilisearch" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/demo-meilisearch" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/demo-search" }
  }
}

variables {
  name                          = "demo"
  vpc_id                        = "vpc-0123456789abcdef0"
  meilisearch_subnet_id         = "subnet-0123456789abcdef0"
  meilisearch_availability_zone = "eu-west-1a"
  allowed_security_group_ids    = ["sg-0123456789abcdef0"]
  opensearch_subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn                   = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

# The plan-only runs first, from the empty state (after the apply a plan refreshes every
# resource first).
run "meilisearch_alarms_notify_topics" {
  command = plan

  variables {
    alarm_topic_arns = ["arn:aws:sns:eu-west-1:123456789012:demo-alerts"]
  }

  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.meilisearch :
      contains(a.alarm_actions, "arn:aws:sns:eu-west-1:123456789012:demo-alerts") && a.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:demo-alerts"])
    ])
    error_message = "The recovery alarms also notify the given topics."
  }
}

run "opensearch_creates_its_service_linked_role" {
  command = plan

  variables {
    opensearch_enabled = true
  }

  assert {
    condition     = length(aws_iam_service_linked_role.opensearch) == 1 && aws_iam_service_linked_role.opensearch[0].aws_service_name == "opensearchservice.amazonaws.com"
    error_message = "A VPC domain needs the opensearchservice.amazonaws.com service-linked role."
  }
}

run "opensearch_uses_an_existing_service_linked_role" {
  command = plan

  variables {
    opensearch_enabled                    = true
    create_opensearch_service_linked_role = false
  }

  assert {
    condition     = length(aws_iam_service_linked_role.opensearch) == 0 && length(aws_opensearch_domain.this) == 1
    error_message = "With the toggle off the domain relies on the role the account already has."
  }
}

run "meilisearch_recovers_and_is_backed_up" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.meilisearch["recover"].metric_name == "StatusCheckFailed_System" &&
      aws_cloudwatch_metric_alarm.meilisearch["recover"].alarm_actions == toset(["arn:aws:automate:eu-west-1:ec2:recover"]) &&
      aws_cloudwatch_metric_alarm.meilisearch["reboot"].metric_name == "StatusCheckFailed_Instance" &&
      aws_cloudwatch_metric_alarm.meilisearch["reboot"].alarm_actions == toset(["arn:aws:automate:eu-west-1:ec2:reboot"]) &&
      alltrue([for a in aws_cloudwatch_metric_alarm.meilisearch :
        a.namespace == "AWS/EC2" && a.dimensions["InstanceId"] == aws_instance.meilisearch.id && a.actions_enabled
      ])
    )
    error_message = "A failed system check recovers the host (same id, IP and data volume), a failed instance check reboots it."
  }

  assert {
    condition     = one(aws_instance.meilisearch.maintenance_options).auto_recovery == "default"
    error_message = "EC2 simplified automatic recovery stays on."
  }

  assert {
    condition     = aws_ebs_volume.meilisearch.tags["Backup"] == "true" && output.meilisearch_data_volume_backup_tag == { Backup = "true" }
    error_message = "The data volume carries the tag the AWS Backup plan selects on."
  }

  assert {
    condition     = length(aws_iam_service_linked_role.opensearch) == 0
    error_message = "Without OpenSearch no service-linked role is created."
  }
}
