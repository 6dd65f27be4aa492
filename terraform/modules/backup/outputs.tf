output "vault_name" {
  description = "Name of the AWS Backup vault (the deployment name)."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the AWS Backup vault."
  value       = aws_backup_vault.this.arn
}

output "copy_vault_arn" {
  description = "ARN of the vault in the copy region, or null without a copy."
  value       = local.copy_enabled ? aws_backup_vault.copy[0].arn : null
}

output "backup_role_arn" {
  description = "IAM role AWS Backup uses for scheduled and on-demand jobs (`tutor eks backup` passes it to StartBackupJob)."
  value       = aws_iam_role.backup.arn
}

output "bucket_name" {
  description = "S3 bucket of the logical dumps."
  value       = aws_s3_bucket.dumps.id
}

output "dumps_role_arn" {
  description = "IAM role of the dump Jobs (Pod Identity)."
  value       = aws_iam_role.dumps.arn
}

output "protected_resources" {
  description = "Store -> ARN selected by the daily plan (docdb absent when MongoDB is brought from outside)."
  value = { for k, v in {
    mysql       = var.mysql_instance_arn
    mongodb     = var.docdb_cluster_arn
    media       = var.efs_file_system_arn
    meilisearch = var.meilisearch_volume_arn
  } : k => v if v != null }
}

output "settings" {
  description = "Retention, lock, copy and notification settings as applied (read by the tests and handy for reviews)."
  value = {
    vault_kms_key_arn         = aws_backup_vault.this.kms_key_arn
    vault_lock                = length(aws_backup_vault_lock_configuration.this) > 0
    vault_lock_min_days       = try(aws_backup_vault_lock_configuration.this[0].min_retention_days, null)
    vault_lock_max_days       = try(aws_backup_vault_lock_configuration.this[0].max_retention_days, null)
    vault_lock_mode           = length(aws_backup_vault_lock_configuration.this) == 0 ? null : (var.vault_lock_changeable_for_days == null ? "governance" : "compliance")
    daily_retention_days      = var.daily_retention_days
    monthly_retention_days    = var.monthly_retention_days
    continuous_retention_days = var.continuous_retention_days
    daily_rules               = sort([for r in aws_backup_plan.daily.rule : r.rule_name])
    daily_resources           = aws_backup_selection.daily.resources
    pitr_resources            = aws_backup_selection.pitr.resources
    copy_region               = local.copy_enabled ? var.copy_region : null
    notifications             = local.notify
  }
}
