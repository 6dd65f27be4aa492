# Observability of the production profile, through the whole stack against the mocked AWS
# provider: how many alarms, on which metric, at which threshold, notifying which topic (the
# small profile's alarms are asserted in small.tftest.hcl, on its apply).

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

mock_provider "aws" {
  alias  = "backup_copy"
  source = "./tests/mocks/backup_copy"
}

variables {
  name             = "tutor-obs"
  region           = "eu-west-1"
  lms_host         = "learn.example.com"
  cms_host         = "studio.learn.example.com"
  mfe_host         = "apps.learn.example.com"
  meilisearch_host = "search.learn.example.com"
}

run "production_profile_alarms" {
  variables {
    profile                      = "production"
    alert_emails                 = ["ops@example.com"]
    container_log_retention_days = 365
    alarm_thresholds             = { alb_p99_seconds = 3 }
  }

  assert {
    condition     = length([for a in module.observability.alarms : a if a.region == "stack"]) == 17 && length([for a in module.observability.alarms : a if a.region == "us-east-1"]) == 2
    error_message = "Production: 17 regional alarms (RDS 3, DocumentDB 3 with replica lag, two Redis nodes 6, ALB 4, Meilisearch 1) and 2 in us-east-1."
  }
  assert {
    condition = jsonencode({ for k, a in module.observability.alarms : k => [a.namespace, a.metric, a.threshold] }) == jsonencode({
      alb-elb-5xx                          = ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", 10]
      alb-p99-response-time                = ["AWS/ApplicationELB", "TargetResponseTime", 3]
      alb-target-5xx                       = ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", 25]
      alb-unhealthy-hosts                  = ["AWS/ApplicationELB", "UnHealthyHostCount", 1]
      cloudfront-5xx-rate                  = ["AWS/CloudFront", "5xxErrorRate", 5]
      docdb-cpu                            = ["AWS/DocDB", "CPUUtilization", 80]
      docdb-free-local-storage             = ["AWS/DocDB", "FreeLocalStorage", 5368709120]
      docdb-replica-lag                    = ["AWS/DocDB", "DBInstanceReplicaLag", 5000]
      meilisearch-status-check             = ["AWS/EC2", "StatusCheckFailed", 1]
      rds-connections                      = ["AWS/RDS", "DatabaseConnections", 545]
      rds-cpu                              = ["AWS/RDS", "CPUUtilization", 80]
      rds-free-storage                     = ["AWS/RDS", "FreeStorageSpace", 10737418240]
      redis-engine-cpu-tutor-obs-redis-001 = ["AWS/ElastiCache", "EngineCPUUtilization", 80]
      redis-engine-cpu-tutor-obs-redis-002 = ["AWS/ElastiCache", "EngineCPUUtilization", 80]
      redis-evictions-tutor-obs-redis-001  = ["AWS/ElastiCache", "Evictions", 0]
      redis-evictions-tutor-obs-redis-002  = ["AWS/ElastiCache", "Evictions", 0]
      redis-memory-tutor-obs-redis-001     = ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", 80]
      redis-memory-tutor-obs-redis-002     = ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", 80]
      waf-blocked-spike                    = ["AWS/WAFV2", "BlockedRequests", 500]
    })
    error_message = "Production: the alarms watch these metrics at these thresholds (db.m7g.large: max_connections 682, 80% is 545; p99 overridden to 3 s)."
  }
  assert {
    condition = alltrue([for a in module.observability.alarms :
      a.alarm_actions == toset([a.region == "us-east-1" ? output.edge_alerts_topic_arn : output.alerts_topic_arn]) && a.ok_actions == a.alarm_actions
    ])
    error_message = "Every alarm notifies the alert topic of its region and nothing else."
  }
  assert {
    condition     = module.observability.settings.log_group_retention_days == 365
    error_message = "container_log_retention_days replaces the profile's retention."
  }
  assert {
    condition     = jsonencode(module.observability.settings.email_subscriptions) == jsonencode(["ops@example.com"])
    error_message = "Alert e-mails are subscribed."
  }
}
