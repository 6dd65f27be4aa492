data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  copy_enabled = var.copy_region != null && var.copy_region != ""
  # Every store in the daily plan. DocumentDB is absent when MongoDB comes from outside.
  daily_resources = compact([
    var.mysql_instance_arn,
    var.docdb_cluster_arn,
    var.efs_file_system_arn,
    var.meilisearch_volume_arn,
  ])
}

# One vault per deployment, encrypted with the deployment key. Its name is what
# `tutor eks backup` looks up (EKS_NAME).
resource "aws_backup_vault" "this" {
  name        = var.name
  kms_key_arn = var.kms_key_arn
  # Recovery points are the backups: a vault that still holds some is never deleted
  # by Terraform (AWS refuses, and the lock forbids it before their retention ends).
  force_destroy = false
  tags          = var.tags
}

resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock_min_retention_days > 0 ? 1 : 0

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock_min_retention_days
  max_retention_days  = var.vault_lock_max_retention_days
  changeable_for_days = var.vault_lock_changeable_for_days

  lifecycle {
    precondition {
      condition     = var.vault_lock_min_retention_days <= var.daily_retention_days && var.vault_lock_min_retention_days <= var.continuous_retention_days
      error_message = "vault_lock_min_retention_days must not exceed the daily or continuous retention: AWS Backup would reject every job of a shorter rule."
    }
    precondition {
      condition     = var.vault_lock_max_retention_days >= max(var.daily_retention_days, var.monthly_retention_days)
      error_message = "vault_lock_max_retention_days must be at least the longest retention of a rule."
    }
  }
}

resource "aws_iam_role" "backup" {
  name_prefix = "${substr(var.name, 0, 20)}-backup-"
  description = "AWS Backup of ${var.name}: takes and restores recovery points"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.backup.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/${each.key}"
}

# Daily (and, in production, monthly) snapshots of every store, copied to the second
# region when one is set.
resource "aws_backup_plan" "daily" {
  name = "${var.name}-daily"

  rule {
    rule_name                = "daily"
    target_vault_name        = aws_backup_vault.this.name
    schedule                 = var.schedule
    start_window             = 60
    completion_window        = 480
    enable_continuous_backup = false
    recovery_point_tags      = merge(var.tags, { BackupRule = "daily" })

    lifecycle {
      delete_after = var.daily_retention_days
    }

    dynamic "copy_action" {
      for_each = local.copy_enabled ? [1] : []
      content {
        destination_vault_arn = aws_backup_vault.copy[0].arn
        lifecycle {
          delete_after = var.daily_retention_days
        }
      }
    }
  }

  dynamic "rule" {
    for_each = var.monthly_retention_days > 0 ? [1] : []
    content {
      rule_name           = "monthly"
      target_vault_name   = aws_backup_vault.this.name
      schedule            = "cron(0 5 1 * ? *)"
      start_window        = 60
      completion_window   = 480
      recovery_point_tags = merge(var.tags, { BackupRule = "monthly" })

      lifecycle {
        delete_after = var.monthly_retention_days
      }

      dynamic "copy_action" {
        for_each = local.copy_enabled ? [1] : []
        content {
          destination_vault_arn = aws_backup_vault.copy[0].arn
          lifecycle {
            delete_after = var.monthly_retention_days
          }
        }
      }
    }
  }

  tags = var.tags
}

resource "aws_backup_selection" "daily" {
  name         = "${var.name}-stores"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = local.daily_resources

  depends_on = [aws_iam_role_policy_attachment.backup]
}

# Continuous backup, the point-in-time restore of RDS through AWS Backup. A plan of
# its own because its selection must hold RDS only: DocumentDB, EFS and EBS have no
# continuous backup, and a rule applies to every resource its plan selects.
resource "aws_backup_plan" "pitr" {
  name = "${var.name}-pitr"

  rule {
    rule_name                = "continuous"
    target_vault_name        = aws_backup_vault.this.name
    schedule                 = "cron(0 3 * * ? *)"
    start_window             = 60
    completion_window        = 180
    enable_continuous_backup = true
    recovery_point_tags      = merge(var.tags, { BackupRule = "continuous" })

    lifecycle {
      delete_after = var.continuous_retention_days
    }
  }

  tags = var.tags
}

resource "aws_backup_selection" "pitr" {
  name         = "${var.name}-rds-pitr"
  plan_id      = aws_backup_plan.pitr.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [var.mysql_instance_arn]

  depends_on = [aws_iam_role_policy_attachment.backup]
}
