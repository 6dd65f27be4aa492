variable "name" {
  description = "Name prefix of the storage resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters: lowercase letters, digits and '-', starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the file system."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per AZ: each gets a mount target so every node mounts in its own zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "At least one subnet is needed."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to mount the file system over NFS (the EKS cluster security group)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "At least one client security group is needed."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting the file system and the media bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "efs_backup_enabled" {
  description = "Turn on AWS Backup's automatic daily backups of the file system."
  type        = bool
  default     = true
}

variable "efs_transition_to_ia" {
  description = "Move files not read for this long to EFS Infrequent Access (AFTER_n_DAYS), or empty to keep everything in Standard."
  type        = string
  default     = "AFTER_30_DAYS"

  validation {
    condition     = var.efs_transition_to_ia == "" || contains(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"], var.efs_transition_to_ia)
    error_message = "efs_transition_to_ia must be empty or an EFS value such as AFTER_30_DAYS."
  }
}

variable "media_bucket_enabled" {
  description = "Create an S3 bucket for Open edX media (opt-in; EFS holds media by default)."
  type        = bool
  default     = false
}

variable "media_bucket_force_destroy" {
  description = "Let Terraform delete a non-empty media bucket (only for throw-away environments)."
  type        = bool
  default     = false
}

variable "media_noncurrent_version_days" {
  description = "Days a replaced or deleted media object version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.media_noncurrent_version_days >= 1
    error_message = "media_noncurrent_version_days must be at least 1."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
