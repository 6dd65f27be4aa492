variable "name" {
  description = "Name prefix of the search resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 characters: lowercase letters, digits and '-', starting with a letter (OpenSearch domain names are short)."
  }
}

variable "vpc_id" {
  description = "VPC of the search hosts."
  type        = string
}

variable "meilisearch_subnet_id" {
  description = "Private subnet (with NAT egress, to download Meilisearch at first boot) of the Meilisearch instance."
  type        = string
}

variable "meilisearch_availability_zone" {
  description = "Availability zone of meilisearch_subnet_id (the data volume must live there)."
  type        = string
}

variable "meilisearch_version" {
  description = "Meilisearch release, pinned to the one Tutor 22 ships (DOCKER_IMAGE_MEILISEARCH)."
  type        = string
  default     = "v1.36.0"

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+$", var.meilisearch_version))
    error_message = "meilisearch_version must be a v1.x.y release tag."
  }
}

variable "meilisearch_binary_sha256" {
  description = "Optional SHA-256 of the meilisearch-linux-amd64 release asset; when set, the instance refuses a download that does not match."
  type        = string
  default     = ""

  validation {
    condition     = var.meilisearch_binary_sha256 == "" || can(regex("^[0-9a-f]{64}$", var.meilisearch_binary_sha256))
    error_message = "meilisearch_binary_sha256 must be empty or 64 lowercase hex digits."
  }
}

variable "meilisearch_instance_type" {
  description = "EC2 instance type of the Meilisearch host (x86_64; Meilisearch keeps indexes memory-mapped: memory matters)."
  type        = string
  default     = "t3.medium"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.meilisearch_instance_type)) && !can(regex("^[a-z0-9-]*g[a-z]*\\.", var.meilisearch_instance_type))
    error_message = "meilisearch_instance_type must be an x86_64 EC2 type (the AMI and binary are x86_64; Graviton 'g' families are refused)."
  }
}

variable "meilisearch_volume_size" {
  description = "Size in GiB of the encrypted gp3 data volume that holds the indexes."
  type        = number
  default     = 20

  validation {
    condition     = var.meilisearch_volume_size >= 8 && var.meilisearch_volume_size <= 16384
    error_message = "meilisearch_volume_size must be between 8 and 16384 GiB."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to reach Meilisearch on port 7700 and OpenSearch on 443 (the EKS cluster security group)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "At least one client security group is needed."
  }
}

variable "protect_from_termination" {
  description = "Turn on EC2 termination protection of the Meilisearch host and keep its data volume on destroy-by-mistake paths."
  type        = bool
  default     = true
}

variable "meilisearch_recovery_enabled" {
  description = "CloudWatch alarms that recover the Meilisearch host on a failed system status check (same instance id, private IP and attached data volume on new hardware) and reboot it on a failed instance status check."
  type        = bool
  default     = true
}

variable "alarm_topic_arns" {
  description = "SNS topics also notified by the Meilisearch recovery alarms (e.g. the deployment's alerts topic)."
  type        = list(string)
  default     = []
}

variable "opensearch_enabled" {
  description = "Also create an Amazon OpenSearch domain (an extra backend for LMS and forum search)."
  type        = bool
  default     = false
}

variable "create_opensearch_service_linked_role" {
  description = "With opensearch_enabled, create the account-wide service-linked role for opensearchservice.amazonaws.com that VPC domains need. Set false when the account already has AWSServiceRoleForAmazonOpenSearchService (IAM refuses a second one)."
  type        = bool
  default     = true
}

variable "opensearch_engine_version" {
  description = "OpenSearch engine version of the domain."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = can(regex("^OpenSearch_[0-9]+\\.[0-9]+$", var.opensearch_engine_version))
    error_message = "opensearch_engine_version must look like OpenSearch_2.19."
  }
}

variable "opensearch_instance_type" {
  description = "Instance type of the OpenSearch data nodes."
  type        = string
  default     = "t3.medium.search"

  validation {
    condition     = can(regex("\\.search$", var.opensearch_instance_type))
    error_message = "opensearch_instance_type must be an OpenSearch type ending in .search."
  }
}

variable "opensearch_instance_count" {
  description = "Number of OpenSearch data nodes; 2 or 3 spread them over as many AZs (zone awareness)."
  type        = number
  default     = 1

  validation {
    condition     = var.opensearch_instance_count >= 1 && var.opensearch_instance_count <= 20
    error_message = "opensearch_instance_count must be between 1 and 20."
  }
}

variable "opensearch_dedicated_master_count" {
  description = "Dedicated master nodes of the domain: 0 (data nodes elect the master) or 3."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 3], var.opensearch_dedicated_master_count)
    error_message = "opensearch_dedicated_master_count must be 0 or 3."
  }
}

variable "opensearch_volume_size" {
  description = "EBS gp3 size in GiB per OpenSearch data node."
  type        = number
  default     = 20

  validation {
    condition     = var.opensearch_volume_size >= 10 && var.opensearch_volume_size <= 3072
    error_message = "opensearch_volume_size must be between 10 and 3072 GiB."
  }
}

variable "opensearch_subnet_ids" {
  description = "Data subnets of the OpenSearch domain (the first N are used, N = min(instance count, 3))."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "KMS key for the volumes, secrets, logs and the OpenSearch domain."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the OpenSearch logs (the default, one year, meets common audit baselines; the stack sets it per profile)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret (master key, OpenSearch password) can still be restored."
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
