# CloudWatch alarms, described as data first (local.regional_alarms and
# local.edge_alarms) and created by two resources, one per region. The `alarms` output
# returns the same data as created, which is what the tests read.

locals {
  period = 300
  gib    = 1024 * 1024 * 1024

  alb_dimension  = regex("loadbalancer/(.+)$", var.alb_arn)[0]
  tg_dimension   = regex("(targetgroup/.+)$", var.target_group_arn)[0]
  web_acl_name   = regex("webacl/([^/]+)/", var.web_acl_arn)[0]
  redis_clusters = [for i in range(var.redis_num_cache_clusters) : format("%s-%03d", var.redis_replication_group_id, i + 1)]

  # Every alarm: namespace, metric, dimensions, statistic (or extended_statistic for a
  # percentile), comparison, threshold. Missing data is "notBreaching" for error counts
  # (CloudWatch publishes nothing while there are no errors) and "missing" otherwise.
  rds_alarms = {
    rds-cpu = {
      namespace   = "AWS/RDS", metric = "CPUUtilization", statistic = "Average"
      dimensions  = { DBInstanceIdentifier = var.mysql_identifier }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.rds_cpu_percent
      description = "MySQL CPU above ${var.thresholds.rds_cpu_percent}%"
    }
    rds-free-storage = {
      namespace   = "AWS/RDS", metric = "FreeStorageSpace", statistic = "Minimum"
      dimensions  = { DBInstanceIdentifier = var.mysql_identifier }
      comparison  = "LessThanThreshold", threshold = var.thresholds.rds_free_storage_gib * local.gib
      description = "MySQL free storage below ${var.thresholds.rds_free_storage_gib} GiB (storage autoscaling may be at its maximum)"
    }
    rds-connections = {
      namespace   = "AWS/RDS", metric = "DatabaseConnections", statistic = "Maximum"
      dimensions  = { DBInstanceIdentifier = var.mysql_identifier }
      comparison  = "GreaterThanThreshold", threshold = floor(var.mysql_max_connections * var.thresholds.mysql_connections_percent / 100)
      description = "MySQL connections above ${var.thresholds.mysql_connections_percent}% of max_connections (${var.mysql_max_connections})"
    }
  }

  docdb_alarms = !var.docdb_enabled ? {} : merge({
    docdb-cpu = {
      namespace   = "AWS/DocDB", metric = "CPUUtilization", statistic = "Maximum"
      dimensions  = { DBClusterIdentifier = var.docdb_cluster_identifier }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.docdb_cpu_percent
      description = "DocumentDB CPU of an instance above ${var.thresholds.docdb_cpu_percent}%"
    }
    docdb-free-local-storage = {
      namespace   = "AWS/DocDB", metric = "FreeLocalStorage", statistic = "Minimum"
      dimensions  = { DBClusterIdentifier = var.docdb_cluster_identifier }
      comparison  = "LessThanThreshold", threshold = var.thresholds.docdb_free_local_storage_gib * local.gib
      description = "DocumentDB free local storage (temporary files, sorts) below ${var.thresholds.docdb_free_local_storage_gib} GiB"
    }
    }, var.docdb_instance_count < 2 ? {} : {
    # Only a cluster with readers has replica lag: the production profile.
    docdb-replica-lag = {
      namespace   = "AWS/DocDB", metric = "DBInstanceReplicaLag", statistic = "Maximum"
      dimensions  = { DBClusterIdentifier = var.docdb_cluster_identifier, Role = "READER" }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.docdb_replica_lag_ms
      description = "DocumentDB reader replica lag above ${var.thresholds.docdb_replica_lag_ms} ms"
    }
  })

  redis_alarms = merge([for c in local.redis_clusters : {
    "redis-engine-cpu-${c}" = {
      namespace   = "AWS/ElastiCache", metric = "EngineCPUUtilization", statistic = "Average"
      dimensions  = { CacheClusterId = c }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.redis_engine_cpu_percent
      description = "Redis ${c}: engine (main thread) CPU above ${var.thresholds.redis_engine_cpu_percent}%"
    }
    "redis-memory-${c}" = {
      namespace   = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage", statistic = "Average"
      dimensions  = { CacheClusterId = c }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.redis_memory_percent
      description = "Redis ${c}: memory use above ${var.thresholds.redis_memory_percent}% of maxmemory"
    }
    "redis-evictions-${c}" = {
      namespace   = "AWS/ElastiCache", metric = "Evictions", statistic = "Sum"
      dimensions  = { CacheClusterId = c }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.redis_evictions
      description = "Redis ${c}: more than ${var.thresholds.redis_evictions} evictions in 5 minutes (Celery messages may be lost)"
      missing     = "notBreaching"
    }
  }]...)

  alb_alarms = {
    alb-elb-5xx = {
      namespace   = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", statistic = "Sum"
      dimensions  = { LoadBalancer = local.alb_dimension }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.alb_elb_5xx
      description = "ALB answered more than ${var.thresholds.alb_elb_5xx} 5xx itself in 5 minutes (no healthy NGINX target?)"
      missing     = "notBreaching"
    }
    alb-target-5xx = {
      namespace   = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", statistic = "Sum"
      dimensions  = { LoadBalancer = local.alb_dimension, TargetGroup = local.tg_dimension }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.alb_target_5xx
      description = "NGINX/Open edX answered more than ${var.thresholds.alb_target_5xx} 5xx in 5 minutes"
      missing     = "notBreaching"
    }
    alb-unhealthy-hosts = {
      namespace   = "AWS/ApplicationELB", metric = "UnHealthyHostCount", statistic = "Maximum"
      dimensions  = { LoadBalancer = local.alb_dimension, TargetGroup = local.tg_dimension }
      comparison  = "GreaterThanOrEqualToThreshold", threshold = 1
      description = "At least one NGINX target is unhealthy"
    }
    alb-p99-response-time = {
      namespace   = "AWS/ApplicationELB", metric = "TargetResponseTime", extended_statistic = "p99"
      dimensions  = { LoadBalancer = local.alb_dimension, TargetGroup = local.tg_dimension }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.alb_p99_seconds
      description = "p99 response time above ${var.thresholds.alb_p99_seconds} s"
      missing     = "notBreaching"
    }
  }

  meilisearch_alarms = {
    meilisearch-status-check = {
      namespace   = "AWS/EC2", metric = "StatusCheckFailed", statistic = "Maximum"
      dimensions  = { InstanceId = var.meilisearch_instance_id }
      comparison  = "GreaterThanOrEqualToThreshold", threshold = 1
      description = "Meilisearch host fails its EC2 status checks (instance or system)"
    }
  }

  regional_alarms = merge(local.rds_alarms, local.docdb_alarms, local.redis_alarms, local.alb_alarms, local.meilisearch_alarms)

  edge_alarms = {
    cloudfront-5xx-rate = {
      namespace   = "AWS/CloudFront", metric = "5xxErrorRate", statistic = "Average"
      dimensions  = { DistributionId = var.cloudfront_distribution_id, Region = "Global" }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.cloudfront_5xx_percent
      description = "CloudFront 5xx error rate above ${var.thresholds.cloudfront_5xx_percent}%"
      missing     = "notBreaching"
    }
    waf-blocked-spike = {
      namespace   = "AWS/WAFV2", metric = "BlockedRequests", statistic = "Sum"
      dimensions  = { WebACL = local.web_acl_name, Rule = "ALL" }
      comparison  = "GreaterThanThreshold", threshold = var.thresholds.waf_blocked_requests
      description = "WAF blocked more than ${var.thresholds.waf_blocked_requests} requests in 5 minutes (attack or a rule hitting real users)"
      missing     = "notBreaching"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "regional" {
  for_each = local.regional_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = lookup(each.value, "statistic", null)
  extended_statistic  = lookup(each.value, "extended_statistic", null)
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = local.period
  evaluation_periods  = var.thresholds.evaluation_periods
  datapoints_to_alarm = var.thresholds.evaluation_periods
  treat_missing_data  = lookup(each.value, "missing", "missing")
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "edge" {
  provider = aws.us_east_1
  for_each = local.edge_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = lookup(each.value, "statistic", null)
  extended_statistic  = lookup(each.value, "extended_statistic", null)
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = local.period
  evaluation_periods  = var.thresholds.evaluation_periods
  datapoints_to_alarm = var.thresholds.evaluation_periods
  treat_missing_data  = lookup(each.value, "missing", "missing")
  alarm_actions       = [aws_sns_topic.edge_alerts.arn]
  ok_actions          = [aws_sns_topic.edge_alerts.arn]
  tags                = var.tags
}
