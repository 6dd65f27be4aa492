variable "identifier" {
  description = "RDS instance identifier (also the prefix of its parameter and subnet groups)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier)) && !can(regex("--|-$", var.identifier))
    error_message = "identifier must start with a letter, hold lowercase letters, digits and single hyphens, not end with a hyphen, at most 63 characters."
  }
}

variable "engine_version" {
  description = "MySQL version: 8.4 (the LTS line; 8.0 left RDS standard support on 2026-07-31). A major-only value lets RDS pick and upgrade the minor version."
  type        = string
  default     = "8.4"

  validation {
    condition     = can(regex("^8\\.4(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be 8.4 or an 8.4.x release: Open edX on Tutor 22 needs MySQL 8.4."
  }
}

variable "instance_class" {
  description = "RDS instance class. Performance Insights needs at least a *.medium burstable class."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class)) && !can(regex("\\.(micro|small)$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, and micro/small sizes are refused (no Performance Insights, too little memory for Open edX)."
  }
}

variable "allocated_storage" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Upper bound of storage autoscaling in GiB."
  type        = number
  default     = 200

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536
    error_message = "max_allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse deletion. A protected database also leaves a final snapshot when it is destroyed later (after protection is turned off); an unprotected one is deleted without snapshot."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35 (0 would disable backups)."
  }
}

variable "username" {
  description = "Master user name (Tutor's MYSQL_ROOT_USERNAME). Its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "admin"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,15}$", var.username)) && !contains(["root", "rdsadmin", "mysql"], lower(var.username))
    error_message = "username must be 1-16 letters, digits or '_', start with a letter, and not be a reserved name (root, rdsadmin, mysql)."
  }
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Data subnets (no internet route) in at least two AZs."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS subnet groups need subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the MySQL port (the EKS cluster security group)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "At least one client security group is needed, otherwise nothing can reach the database."
  }
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights, the master-password and the app-password secrets."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted app-password secret can still be restored."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 (delete at once) or between 7 and 30."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the exported MySQL logs (the default, one year, meets common audit baselines; the stack sets it per profile)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "long_query_time" {
  description = "Seconds after which MySQL writes a query to the slow query log (exported to CloudWatch)."
  type        = number
  default     = 2

  validation {
    condition     = var.long_query_time >= 0.1 && var.long_query_time <= 3600
    error_message = "long_query_time must be between 0.1 and 3600 seconds."
  }
}
