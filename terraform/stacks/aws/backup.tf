# Backups of every store (RDS MySQL, DocumentDB, EFS media, the Meilisearch data
# volume) through AWS Backup, and the bucket of the logical dumps. See
# ../../modules/backup/README.md and docs/backups.md (RPO/RTO per profile).

variable "backup_copy_region" {
  description = "Second region that receives a copy of every daily and monthly recovery point (Tutor's EKS_BACKUP_COPY_REGION). \"\" or null: no copy."
  type        = string
  default     = ""

  validation {
    condition     = var.backup_copy_region == null || var.backup_copy_region == "" || can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.backup_copy_region))
    error_message = "backup_copy_region must be an AWS region name such as eu-central-1, or \"\" for no copy."
  }
}

variable "backup_notifications_topic_arn" {
  description = "SNS topic for failed backup, copy and restore jobs. null: the deployment's alerts topic (observability module)."
  type        = string
  default     = null
}

locals {
  # Retention per profile (docs/backups.md gives the resulting RPO and RTO). The
  # continuous (point-in-time) window equals the RDS backup retention of profiles.tf:
  # AWS Backup takes over the instance's automated backups and sets that period, so
  # any other value would show as drift on the instance.
  backup_profiles = {
    small = {
      daily_retention_days   = 7
      monthly_retention_days = 0
      vault_lock_min_days    = 0
      dumps_retention_days   = 14
      bucket_force_destroy   = true
    }
    production = {
      daily_retention_days   = 35
      monthly_retention_days = 365
      vault_lock_min_days    = local.profiles.production.backup_retention_days
      dumps_retention_days   = 90
      bucket_force_destroy   = false
    }
  }
  backup = local.backup_profiles[var.profile]
  # The copy provider needs a region even without a copy: then the deployment's own
  # (nothing is created through it).
  backup_copy_region = var.backup_copy_region == null || var.backup_copy_region == "" ? var.region : var.backup_copy_region
}

provider "aws" {
  alias  = "backup_copy"
  region = local.backup_copy_region

  default_tags {
    tags = local.tags
  }
}

module "backup" {
  source    = "../../modules/backup"
  providers = { aws = aws, aws.copy = aws.backup_copy }

  name        = var.name
  kms_key_arn = aws_kms_key.main.arn

  mysql_instance_arn  = module.mysql.instance_arn
  docdb_cluster_arn   = module.mongodb.cluster_arn
  efs_file_system_arn = module.storage.efs_file_system_arn
  # Selected by ARN: the search module outputs the volume id, and an ARN selection
  # cannot pick up a foreign volume that happens to carry the same tag.
  meilisearch_volume_arn = "arn:${data.aws_partition.current.partition}:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:volume/${module.search.meilisearch_data_volume_id}"

  daily_retention_days          = local.backup.daily_retention_days
  monthly_retention_days        = local.backup.monthly_retention_days
  continuous_retention_days     = local.p.backup_retention_days
  vault_lock_min_retention_days = local.backup.vault_lock_min_days
  dumps_retention_days          = local.backup.dumps_retention_days
  bucket_force_destroy          = local.backup.bucket_force_destroy

  copy_region = var.backup_copy_region
  # The deployment's alerts topic (observability module) unless another is given.
  notifications_enabled   = true
  notifications_topic_arn = coalesce(var.backup_notifications_topic_arn, module.observability.alerts_topic_arn)

  cluster_name = module.eks.cluster_name
  namespace    = var.openedx_namespace
}

output "backup_vault_name" {
  description = "AWS Backup vault of the deployment (`tutor eks backup` finds it by EKS_NAME)."
  value       = module.backup.vault_name
}

output "backup_bucket_name" {
  description = "S3 bucket of the logical dumps (`tutor eks backup --logical`)."
  value       = module.backup.bucket_name
}
