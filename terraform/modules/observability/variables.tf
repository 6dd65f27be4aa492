variable "name" {
  description = "Name of the deployment: prefix of every resource of this module."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name must be 2-32 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "The deployment's KMS key (stack region): encrypts the container log groups. Its policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to both alert topics. Each address receives a confirmation mail from AWS first; [] subscribes nobody."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must be e-mail addresses (name@domain.tld)."
  }
}

variable "log_retention_days" {
  description = "Retention of the container log group, in days (one of the values CloudWatch Logs accepts)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "kms_deletion_window_days" {
  description = "Deletion window of the two keys that encrypt the alert topics."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "cluster_name" {
  description = "EKS cluster that receives the Pod Identity associations."
  type        = string
}

variable "service_accounts" {
  description = "Kubernetes namespace and service account of each in-cluster client with an AWS role. Stage 2 creates service accounts with exactly these names."
  type = object({
    log_shipper  = object({ namespace = string, name = string })
    grafana      = object({ namespace = string, name = string })
    alertmanager = object({ namespace = string, name = string })
  })
  default = {
    log_shipper  = { namespace = "monitoring", name = "fluent-bit" }
    grafana      = { namespace = "monitoring", name = "grafana" }
    alertmanager = { namespace = "monitoring", name = "alertmanager" }
  }
}

# --- What the alarms watch ---------------------------------------------------------

variable "mysql_identifier" {
  description = "DBInstanceIdentifier of the RDS MySQL instance."
  type        = string
}

variable "mysql_max_connections" {
  description = "max_connections of the MySQL instance (RDS derives it from the instance memory); the connections alarm fires at thresholds.mysql_connections_percent of it."
  type        = number

  validation {
    condition     = var.mysql_max_connections > 0
    error_message = "mysql_max_connections must be positive."
  }
}

variable "docdb_enabled" {
  description = "Whether the deployment has a DocumentDB cluster (false with a bring-your-own MongoDB)."
  type        = bool
  default     = true
}

variable "docdb_cluster_identifier" {
  description = "DBClusterIdentifier of the DocumentDB cluster (ignored when docdb_enabled is false)."
  type        = string
  default     = null
}

variable "docdb_instance_count" {
  description = "Instances of the DocumentDB cluster: with more than one, the readers' replica lag is watched."
  type        = number
  default     = 1
}

variable "redis_replication_group_id" {
  description = "Replication group of ElastiCache; its member clusters are <id>-001, <id>-002, ..."
  type        = string
}

variable "redis_num_cache_clusters" {
  description = "Member clusters of the replication group (one alarm set each)."
  type        = number

  validation {
    condition     = var.redis_num_cache_clusters >= 1 && var.redis_num_cache_clusters <= 6
    error_message = "redis_num_cache_clusters must be between 1 and 6."
  }
}

variable "alb_arn" {
  description = "ARN of the edge ALB (its LoadBalancer metric dimension is the ARN's suffix)."
  type        = string
}

variable "target_group_arn" {
  description = "ARN of the target group of the NGINX pods."
  type        = string
}

variable "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution."
  type        = string
}

variable "web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope WAF web ACL (us-east-1); its name is the WebACL metric dimension."
  type        = string
}

variable "meilisearch_instance_id" {
  description = "EC2 instance of Meilisearch (status-check alarm)."
  type        = string
}

variable "thresholds" {
  description = "Alarm thresholds (the stack picks them per profile). Percentages are 0-100, durations seconds, counts per 5-minute period."
  type = object({
    rds_cpu_percent              = number
    rds_free_storage_gib         = number
    mysql_connections_percent    = number
    docdb_cpu_percent            = number
    docdb_free_local_storage_gib = number
    docdb_replica_lag_ms         = number
    redis_engine_cpu_percent     = number
    redis_memory_percent         = number
    redis_evictions              = number
    alb_elb_5xx                  = number
    alb_target_5xx               = number
    alb_p99_seconds              = number
    cloudfront_5xx_percent       = number
    waf_blocked_requests         = number
    evaluation_periods           = number
  })

  validation {
    condition = alltrue([
      for k in ["rds_cpu_percent", "mysql_connections_percent", "docdb_cpu_percent", "redis_engine_cpu_percent", "redis_memory_percent", "cloudfront_5xx_percent"] :
      var.thresholds[k] > 0 && var.thresholds[k] <= 100
    ])
    error_message = "thresholds: every *_percent value must be in (0, 100]."
  }
  validation {
    condition     = var.thresholds.evaluation_periods >= 1 && var.thresholds.evaluation_periods <= 12
    error_message = "thresholds.evaluation_periods must be between 1 and 12 (5-minute periods)."
  }
}

variable "tags" {
  description = "Tags for every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
