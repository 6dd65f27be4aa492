variable "enabled" {
  description = "Create the DocumentDB cluster. false when the user brings their own MongoDB (Atlas, EC2): nothing is created and every output is null."
  type        = bool
  default     = true
}

variable "identifier" {
  description = "DocumentDB cluster identifier (also the prefix of its groups)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,59}$", var.identifier)) && !can(regex("--|-$", var.identifier))
    error_message = "identifier must start with a letter, hold lowercase letters, digits and single hyphens, not end with a hyphen, at most 60 characters."
  }
}

variable "engine_version" {
  description = "DocumentDB engine version. 8.0.0 is the newest major line; see README.md for why (and for retryWrites)."
  type        = string
  default     = "8.0.0"

  validation {
    condition     = contains(["5.0.0", "8.0.0"], var.engine_version)
    error_message = "engine_version must be 5.0.0 or 8.0.0 (3.6 and 4.0 are too old for new clusters)."
  }
}

variable "instance_class" {
  description = "Instance class of every DocumentDB instance."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>."
  }
}

variable "instance_count" {
  description = "Number of instances: 1 (no failover) or more (one primary, the rest replicas in other AZs)."
  type        = number
  default     = 3

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16
    error_message = "instance_count must be between 1 and 16."
  }
}

variable "deletion_protection" {
  description = "Refuse deletion and keep a final snapshot."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "username" {
  description = "Master user name (Tutor's MONGODB_USERNAME). Its password is generated and kept by DocumentDB in Secrets Manager."
  type        = string
  default     = "openedx"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9]{0,62}$", var.username)) && !contains(["admin", "root", "serviceadmin"], lower(var.username))
    error_message = "username must be letters and digits, start with a letter, and not be a reserved name (admin, root, serviceadmin)."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Data subnets (no internet route) in at least two AZs."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "DocumentDB subnet groups need subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on port 27017 (the EKS cluster security group)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "At least one client security group is needed."
  }
}

variable "kms_key_arn" {
  description = "KMS key for storage encryption."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the exported DocumentDB audit and profiler logs (the default, one year, meets common audit baselines; the stack sets it per profile)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "profiler_threshold_ms" {
  description = "Milliseconds after which the DocumentDB profiler logs an operation (exported to CloudWatch)."
  type        = number
  default     = 1000

  validation {
    condition     = var.profiler_threshold_ms >= 50 && var.profiler_threshold_ms <= 2147483646
    error_message = "profiler_threshold_ms must be between 50 and 2147483646."
  }
}
