variable "name" {
  description = "Name of the deployment: prefixes the vault, plans, role and bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be 2-21 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "kms_key_arn" {
  description = "The deployment's KMS key: encrypts the vault's recovery points and the dumps bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "mysql_instance_arn" {
  description = "ARN of the RDS MySQL instance: daily snapshots and continuous backup (point-in-time restore)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db:", var.mysql_instance_arn))
    error_message = "mysql_instance_arn must be an RDS DB instance ARN (arn:aws:rds:<region>:<account>:db:<identifier>)."
  }
}

variable "docdb_cluster_arn" {
  description = "ARN of the DocumentDB cluster, or null when MongoDB is brought from outside (nothing to select)."
  type        = string
  default     = null

  validation {
    condition     = var.docdb_cluster_arn == null || can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:", var.docdb_cluster_arn))
    error_message = "docdb_cluster_arn must be a DocumentDB cluster ARN (arn:aws:rds:<region>:<account>:cluster:<identifier>) or null."
  }
}

variable "efs_file_system_arn" {
  description = "ARN of the EFS file system that holds the media."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:[0-9]{12}:file-system/fs-", var.efs_file_system_arn))
    error_message = "efs_file_system_arn must be an EFS file system ARN."
  }
}

variable "meilisearch_volume_arn" {
  description = "ARN of the EBS volume holding the Meilisearch indexes (selected by ARN, not by tag: a tag can be copied to a volume that is not ours)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ec2:[a-z0-9-]+:[0-9]{12}:volume/[A-Za-z0-9-]+$", var.meilisearch_volume_arn))
    error_message = "meilisearch_volume_arn must be an EBS volume ARN (arn:aws:ec2:<region>:<account>:volume/vol-...)."
  }
}

variable "daily_retention_days" {
  description = "Days a daily recovery point is kept."
  type        = number
  default     = 7

  validation {
    condition     = var.daily_retention_days >= 1 && var.daily_retention_days <= 36500
    error_message = "daily_retention_days must be between 1 and 36500."
  }
}

variable "monthly_retention_days" {
  description = "Days a monthly recovery point (first of the month) is kept; 0 takes no monthly backups."
  type        = number
  default     = 0

  validation {
    condition     = var.monthly_retention_days == 0 || (var.monthly_retention_days >= 28 && var.monthly_retention_days <= 36500)
    error_message = "monthly_retention_days must be 0 (none) or between 28 and 36500."
  }
}

variable "continuous_retention_days" {
  description = "Days of continuous backup of RDS (point-in-time restore window). AWS Backup then manages the instance's automated backups: keep this equal to the instance's backup_retention_period so Terraform sees no drift."
  type        = number
  default     = 7

  validation {
    condition     = var.continuous_retention_days >= 1 && var.continuous_retention_days <= 35
    error_message = "continuous_retention_days must be between 1 and 35 (the AWS Backup limit for continuous backups)."
  }
}

variable "schedule" {
  description = "Cron expression (UTC) of the daily backup; the default avoids the RDS backup window (02:00-03:00) and maintenance window."
  type        = string
  default     = "cron(0 4 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule))
    error_message = "schedule must be an AWS cron expression such as cron(0 4 * * ? *)."
  }
}

variable "vault_lock_min_retention_days" {
  description = "Vault lock: no recovery point may be deleted before this many days, nor be created with a shorter retention. 0: no vault lock."
  type        = number
  default     = 0

  validation {
    condition     = var.vault_lock_min_retention_days >= 0 && var.vault_lock_min_retention_days <= 36500
    error_message = "vault_lock_min_retention_days must be between 0 (no lock) and 36500."
  }
}

variable "vault_lock_max_retention_days" {
  description = "Vault lock: the longest retention a recovery point may have (ignored without a lock)."
  type        = number
  default     = 400

  validation {
    condition     = var.vault_lock_max_retention_days >= 1 && var.vault_lock_max_retention_days <= 36500
    error_message = "vault_lock_max_retention_days must be between 1 and 36500."
  }
}

variable "vault_lock_changeable_for_days" {
  description = "null: governance mode (a principal with backup:DeleteBackupVaultLockConfiguration can lift the lock). A number (>= 3): compliance mode, which becomes immutable, for the vault's life, that many days after apply."
  type        = number
  default     = null

  validation {
    condition     = var.vault_lock_changeable_for_days == null || try(var.vault_lock_changeable_for_days >= 3, false)
    error_message = "vault_lock_changeable_for_days must be null (governance mode) or at least 3 (AWS minimum grace time)."
  }
}

variable "copy_region" {
  description = "Second region that receives a copy of every daily and monthly recovery point (EKS_BACKUP_COPY_REGION). \"\" or null: no copy. The aws.copy provider must point at this region."
  type        = string
  default     = null

  validation {
    condition     = var.copy_region == null || var.copy_region == "" || can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.copy_region))
    error_message = "copy_region must be an AWS region name such as eu-central-1, or \"\"/null for no copy."
  }
}

variable "notifications_enabled" {
  description = "Send failed jobs to notifications_topic_arn. null: only when notifications_topic_arn is set. Set it to true when the ARN comes from a resource of the same apply (unknown at plan time)."
  type        = bool
  default     = null
}

variable "notifications_topic_arn" {
  description = "SNS topic that receives failed backup, copy and restore jobs (through EventBridge). null: no notifications. The topic policy must let events.amazonaws.com publish (and use its KMS key)."
  type        = string
  default     = null

  validation {
    condition     = var.notifications_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.notifications_topic_arn))
    error_message = "notifications_topic_arn must be an SNS topic ARN or null."
  }
}

variable "dumps_retention_days" {
  description = "Days the logical dumps (`tutor eks backup --logical`) are kept in the backup bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.dumps_retention_days >= 1 && var.dumps_retention_days <= 36500
    error_message = "dumps_retention_days must be between 1 and 36500."
  }
}

variable "bucket_force_destroy" {
  description = "Let `terraform destroy` delete the backup bucket with its dumps (throw-away deployments only)."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "EKS cluster whose dump Jobs get write access to the backup bucket through Pod Identity."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the dump Jobs (Tutor's K8S_NAMESPACE)."
  type        = string
  default     = "openedx"
}

variable "service_account" {
  description = "Service account of the dump Jobs (`tutor eks backup --logical` creates it)."
  type        = string
  default     = "eks-backup"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.service_account))
    error_message = "service_account must be a Kubernetes object name."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
