# Observability, stage-1 side (docs/observability.md): the alert topics, the CloudWatch
# alarms with their per-profile thresholds, the container log group and the roles of
# the log shipper, Grafana's CloudWatch data source and Alertmanager.

variable "alert_emails" {
  description = "E-mail addresses that receive the alerts (EKS_ALERT_EMAILS); each confirms a mail from AWS first. [] subscribes nobody."
  type        = list(string)
  default     = []
}

variable "container_log_retention_days" {
  description = "Retention of the container log group in days (EKS_CONTAINER_LOG_RETENTION_DAYS); 0 keeps the profile's value (small 30, production 90)."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.container_log_retention_days)
    error_message = "container_log_retention_days must be 0 (the profile's value) or one of the retentions CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "alarm_thresholds" {
  description = "Alarm thresholds that replace the profile's (EKS_ALARM_THRESHOLDS), by name: see docs/observability.md for the names and defaults."
  type        = map(number)
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.alarm_thresholds) : contains([
      "rds_cpu_percent", "rds_free_storage_gib", "mysql_connections_percent",
      "docdb_cpu_percent", "docdb_free_local_storage_gib", "docdb_replica_lag_ms",
      "redis_engine_cpu_percent", "redis_memory_percent", "redis_evictions",
      "alb_elb_5xx", "alb_target_5xx", "alb_p99_seconds", "cloudfront_5xx_percent",
      "waf_blocked_requests", "evaluation_periods",
    ], k)])
    error_message = "alarm_thresholds: unknown name; allowed: rds_cpu_percent, rds_free_storage_gib, mysql_connections_percent, docdb_cpu_percent, docdb_free_local_storage_gib, docdb_replica_lag_ms, redis_engine_cpu_percent, redis_memory_percent, redis_evictions, alb_elb_5xx, alb_target_5xx, alb_p99_seconds, cloudfront_5xx_percent, waf_blocked_requests, evaluation_periods."
  }
}

locals {
  # Per profile, like profiles.tf. Small: a single instance of everything, so alarms
  # wait 15 minutes (3 periods) and tolerate more errors before paging; production
  # pages sooner and on fewer errors.
  alarm_thresholds = {
    small = {
      rds_cpu_percent              = 90
      rds_free_storage_gib         = 2
      mysql_connections_percent    = 80
      docdb_cpu_percent            = 90
      docdb_free_local_storage_gib = 2
      docdb_replica_lag_ms         = 10000
      redis_engine_cpu_percent     = 90
      redis_memory_percent         = 90
      redis_evictions              = 100
      alb_elb_5xx                  = 25
      alb_target_5xx               = 50
      alb_p99_seconds              = 10
      cloudfront_5xx_percent       = 10
      waf_blocked_requests         = 1000
      evaluation_periods           = 3
    }
    production = {
      rds_cpu_percent              = 80
      rds_free_storage_gib         = 10
      mysql_connections_percent    = 80
      docdb_cpu_percent            = 80
      docdb_free_local_storage_gib = 5
      docdb_replica_lag_ms         = 5000
      redis_engine_cpu_percent     = 80
      redis_memory_percent         = 80
      redis_evictions              = 0
      alb_elb_5xx                  = 10
      alb_target_5xx               = 25
      alb_p99_seconds              = 5
      cloudfront_5xx_percent       = 5
      waf_blocked_requests         = 500
      evaluation_periods           = 2
    }
  }

  # RDS for MySQL's default max_connections is {DBInstanceClassMemory/12582880}. The
  # nominal memory of the class is used: DBInstanceClassMemory is a little lower (the
  # OS share), so the real limit is a few connections below this figure.
  mysql_memory_gib = {
    "db.t4g.medium" = 4
    "db.t4g.large"  = 8
    "db.m7g.large"  = 8
    "db.m7g.xlarge" = 16
    "db.r7g.large"  = 16
  }
  mysql_max_connections = floor(local.mysql_memory_gib[local.p.mysql_instance_class] * 1024 * 1024 * 1024 / 12582880)
}

module "observability" {
  source    = "../../modules/observability"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name                     = var.name
  cluster_name             = module.eks.cluster_name
  kms_key_arn              = aws_kms_key.main.arn
  kms_deletion_window_days = local.p.kms_deletion_days
  alert_emails             = var.alert_emails
  log_retention_days       = var.container_log_retention_days == 0 ? local.p.log_retention_days : var.container_log_retention_days
  thresholds               = merge(local.alarm_thresholds[var.profile], var.alarm_thresholds)

  mysql_identifier           = "${var.name}-mysql"
  mysql_max_connections      = local.mysql_max_connections
  docdb_enabled              = !var.bring_your_own_mongodb
  docdb_cluster_identifier   = var.bring_your_own_mongodb ? null : "${var.name}-docdb"
  docdb_instance_count       = local.p.docdb_instance_count
  redis_replication_group_id = "${var.name}-redis"
  redis_num_cache_clusters   = local.p.redis_num_nodes
  alb_arn                    = module.edge.alb_arn
  target_group_arn           = module.edge.alb_target_group_arn
  cloudfront_distribution_id = module.edge.cloudfront_distribution_id
  web_acl_arn                = module.edge.web_acl_arn
  meilisearch_instance_id    = module.search.meilisearch_instance_id
}

output "alerts_topic_arn" {
  description = "SNS topic of the alerts in the stack region (Alertmanager, AWS Backup, `tutor eks alerts test`)."
  value       = module.observability.alerts_topic_arn
}

output "edge_alerts_topic_arn" {
  description = "SNS topic in us-east-1 of the CloudFront and WAF alarms."
  value       = module.observability.edge_alerts_topic_arn
}

output "container_log_group_name" {
  description = "CloudWatch log group of every container (stage 2: the log shipper's target)."
  value       = module.observability.container_log_group_name
}

output "alb_metric_dimension" {
  description = "CloudWatch LoadBalancer dimension of the edge ALB (stage 2: the AWS dashboard)."
  value       = module.observability.alb_metric_dimension
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms of the deployment, by key."
  value       = { for k, a in module.observability.alarms : k => "${var.name}-${k}" }
}
