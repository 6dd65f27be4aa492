# `terraform test` for the backup module against the real AWS provider schema, both
# provider configurations mocked (no AWS account). The two profiles of the stack are
# passed as the inputs the stack gives (terraform/stacks/aws/backup.tf).

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "copy"
  source = "./tests/mocks/copy"
}

variables {
  name                   = "demo"
  kms_key_arn            = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000001"
  mysql_instance_arn     = "arn:aws:rds:eu-west-1:111122223333:db:demo-mysql"
  docdb_cluster_arn      = "arn:aws:rds:eu-west-1:111122223333:cluster:demo-docdb"
  efs_file_system_arn    = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0"
  meilisearch_volume_arn = "arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123456789abcdef0"
  cluster_name           = "demo"
}

# The refused inputs, first: plans from the empty state (after the applies they would
# refresh every resource first). A run may break several rules and list each object in
# expect_failures (terraform fails the run if any of them does not report its error), as
# long as no listed object depends on another: a resource fed by an invalid variable is
# not planned, so its precondition is never checked. Hence two runs: the variables', then
# the resources' preconditions.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    # A compliance-mode grace period AWS refuses (at least 3 days).
    vault_lock_min_retention_days  = 7
    vault_lock_changeable_for_days = 1
    # An Aurora cluster ARN where an RDS instance is expected.
    mysql_instance_arn = "arn:aws:rds:eu-west-1:111122223333:cluster:demo"
  }

  expect_failures = [
    var.vault_lock_changeable_for_days,
    var.mysql_instance_arn,
  ]
}

run "rejects_unsafe_combinations" {
  command = plan

  variables {
    # A lock longer than the daily retention (AWS Backup would reject every daily job).
    daily_retention_days          = 7
    vault_lock_min_retention_days = 14
    # A copy in the deployment's own region survives no regional outage.
    copy_region = "eu-west-1"
  }

  expect_failures = [
    aws_backup_vault_lock_configuration.this,
    aws_backup_vault.copy,
  ]
}

# Also planned from the empty state: the selection comes from the input ARNs.
run "docdb_absent_when_mongodb_is_external" {
  command = plan

  variables {
    docdb_cluster_arn = null
  }

  assert {
    condition     = length(aws_backup_selection.daily.resources) == 3 && !contains(keys(output.protected_resources), "mongodb")
    error_message = "Without DocumentDB the daily plan selects the three other stores."
  }
}

run "small_profile" {
  command = apply

  variables {
    daily_retention_days      = 7
    monthly_retention_days    = 0
    continuous_retention_days = 7
    dumps_retention_days      = 14
    bucket_force_destroy      = true
  }

  assert {
    condition     = aws_backup_vault.this.name == "demo" && aws_backup_vault.this.kms_key_arn == var.kms_key_arn
    error_message = "The vault is named after the deployment and encrypted with the deployment key."
  }
  assert {
    condition     = length(aws_backup_vault_lock_configuration.this) == 0 && output.settings.vault_lock_mode == null
    error_message = "The small profile has no vault lock (test deployments must be deletable)."
  }
  assert {
    condition     = jsonencode(output.settings.daily_rules) == jsonencode(["daily"]) && one([for r in aws_backup_plan.daily.rule : r.lifecycle[0].delete_after]) == 7
    error_message = "Small: one daily rule kept 7 days, no monthly rule."
  }
  assert {
    condition     = one([for r in aws_backup_plan.daily.rule : r.schedule]) == "cron(0 4 * * ? *)" && !one([for r in aws_backup_plan.daily.rule : r.enable_continuous_backup])
    error_message = "The daily rule runs at 04:00 UTC (after the RDS backup window) as snapshots."
  }
  assert {
    condition = toset(aws_backup_selection.daily.resources) == toset([
      var.mysql_instance_arn, var.docdb_cluster_arn, var.efs_file_system_arn, var.meilisearch_volume_arn,
    ])
    error_message = "The daily plan selects MySQL, DocumentDB, the EFS media and the Meilisearch data volume, by ARN."
  }
  assert {
    condition     = aws_backup_selection.daily.plan_id == aws_backup_plan.daily.id && aws_backup_selection.daily.iam_role_arn == aws_iam_role.backup.arn
    error_message = "The daily selection belongs to the daily plan and uses the backup role."
  }
  assert {
    condition = (
      one([for r in aws_backup_plan.pitr.rule : r.enable_continuous_backup]) &&
      one([for r in aws_backup_plan.pitr.rule : r.lifecycle[0].delete_after]) == 7 &&
      aws_backup_selection.pitr.resources == toset([var.mysql_instance_arn])
    )
    error_message = "Continuous backup (point-in-time restore) covers RDS MySQL only, 7 days."
  }
  assert {
    condition     = alltrue([for r in aws_backup_plan.daily.rule : length(r.copy_action) == 0]) && length(aws_backup_vault.copy) == 0 && length(aws_kms_key.copy) == 0
    error_message = "Without copy_region nothing is created in a second region and no rule copies."
  }
  assert {
    condition     = length(aws_cloudwatch_event_rule.job_failed) == 0 && !output.settings.notifications
    error_message = "Without a topic no notification rule exists."
  }
  assert {
    condition     = toset([for a in aws_iam_role_policy_attachment.backup : a.policy_arn]) == toset(["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"])
    error_message = "The backup role may back up and restore (AWS managed service-role policies)."
  }
  assert {
    condition     = jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com"
    error_message = "Only AWS Backup assumes the backup role."
  }
  assert {
    condition     = aws_s3_bucket.dumps.bucket == "demo-backups-111122223333-eu-west-1" && aws_s3_bucket.dumps.force_destroy
    error_message = "The dumps bucket has the predictable name `tutor eks backup` derives."
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.dumps.rule[0].expiration).days == 14
    error_message = "Dumps expire after dumps_retention_days."
  }
  assert {
    condition = (
      one(one(aws_s3_bucket_server_side_encryption_configuration.dumps.rule).apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn &&
      aws_s3_bucket_public_access_block.dumps.block_public_policy && aws_s3_bucket_public_access_block.dumps.restrict_public_buckets
    )
    error_message = "The dumps bucket is private and encrypted with the deployment key."
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_role_policy.dumps.policy).Statement : s.Action]), "s3:DeleteObject")
    error_message = "The dump Jobs cannot delete dumps."
  }
  assert {
    condition     = aws_eks_pod_identity_association.dumps.service_account == "eks-backup" && aws_eks_pod_identity_association.dumps.namespace == "openedx" && aws_eks_pod_identity_association.dumps.role_arn == aws_iam_role.dumps.arn
    error_message = "The dump Jobs' service account gets the dumps role through Pod Identity."
  }
}

run "production_profile" {
  command = apply

  variables {
    daily_retention_days          = 35
    monthly_retention_days        = 365
    continuous_retention_days     = 30
    vault_lock_min_retention_days = 30
    vault_lock_max_retention_days = 400
    copy_region                   = "eu-central-1"
    notifications_topic_arn       = "arn:aws:sns:eu-west-1:111122223333:demo-alerts"
  }

  assert {
    condition = (
      aws_backup_vault_lock_configuration.this[0].min_retention_days == 30 &&
      aws_backup_vault_lock_configuration.this[0].max_retention_days == 400 &&
      aws_backup_vault_lock_configuration.this[0].backup_vault_name == aws_backup_vault.this.name &&
      output.settings.vault_lock_mode == "governance"
    )
    error_message = "Production locks the vault: 30 days minimum retention, governance mode by default."
  }
  assert {
    condition = (
      jsonencode(output.settings.daily_rules) == jsonencode(["daily", "monthly"]) &&
      jsonencode({ for r in aws_backup_plan.daily.rule : r.rule_name => r.lifecycle[0].delete_after }) == jsonencode({ daily = 35, monthly = 365 })
    )
    error_message = "Production keeps daily points 35 days and monthly points a year."
  }
  assert {
    condition = alltrue([
      for r in aws_backup_plan.daily.rule :
      length(r.copy_action) == 1 &&
      one(r.copy_action).destination_vault_arn == "arn:aws:backup:eu-central-1:111122223333:backup-vault:demo-copy" &&
      one(one(r.copy_action).lifecycle).delete_after == r.lifecycle[0].delete_after
    ])
    error_message = "Every daily and monthly point is copied to the vault in the copy region, kept as long."
  }
  assert {
    condition     = aws_backup_vault.copy[0].name == "demo-copy" && aws_backup_vault.copy[0].kms_key_arn == aws_kms_key.copy[0].arn && aws_kms_key.copy[0].enable_key_rotation
    error_message = "The copy vault uses its own rotating key in the copy region."
  }
  assert {
    condition = (
      jsondecode(aws_cloudwatch_event_rule.job_failed[0].event_pattern).source == ["aws.backup"] &&
      toset(jsondecode(aws_cloudwatch_event_rule.job_failed[0].event_pattern).detail.state) == toset(["FAILED", "ABORTED", "EXPIRED"]) &&
      contains(jsondecode(aws_cloudwatch_event_rule.job_failed[0].event_pattern)["detail-type"], "Backup Job State Change") &&
      aws_cloudwatch_event_target.job_failed[0].arn == var.notifications_topic_arn
    )
    error_message = "Failed, aborted and expired jobs go to the alerts topic through EventBridge."
  }
}
