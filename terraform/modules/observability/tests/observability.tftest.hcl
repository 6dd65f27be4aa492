# The module against the mocked AWS provider (real provider schema, no account). The
# per-profile thresholds are tested through the stack (terraform/stacks/aws/tests/
# small.tftest.hcl and production.tftest.hcl); here: the topics, their policies, the
# roles, the optional pieces and the input checks.

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

variables {
  name                       = "demo"
  cluster_name               = "demo"
  kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
  log_retention_days         = 30
  mysql_identifier           = "demo-mysql"
  mysql_max_connections      = 341
  docdb_cluster_identifier   = "demo-docdb"
  docdb_instance_count       = 1
  redis_replication_group_id = "demo-redis"
  redis_num_cache_clusters   = 2
  alb_arn                    = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/demo-edge/0123456789abcdef"
  target_group_arn           = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/demo-nginx/fedcba9876543210"
  cloudfront_distribution_id = "E1DEMO"
  web_acl_arn                = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/demo-edge/0000-demo"
  meilisearch_instance_id    = "i-0123456789abcdef0"
  thresholds = {
    rds_cpu_percent              = 80
    rds_free_storage_gib         = 2
    mysql_connections_percent    = 80
    docdb_cpu_percent            = 80
    docdb_free_local_storage_gib = 2
    docdb_replica_lag_ms         = 5000
    redis_engine_cpu_percent     = 80
    redis_memory_percent         = 80
    redis_evictions              = 0
    alb_elb_5xx                  = 10
    alb_target_5xx               = 25
    alb_p99_seconds              = 5
    cloudfront_5xx_percent       = 5
    waf_blocked_requests         = 500
    evaluation_periods           = 3
  }
}

# The refused inputs, first: one plan from the empty state (after an apply it would
# refresh every resource first) that breaks two independent variables and lists both in
# expect_failures; terraform fails the run if either does not report its error.
run "rejects_invalid_inputs" {
  command = plan
  variables {
    alert_emails       = ["not-an-address"]
    log_retention_days = 45
  }
  expect_failures = [var.alert_emails, var.log_retention_days]
}

# One apply; the runs after it plan other inputs on its state (what they assert is set by
# the configuration or read from the state, so it is known in a plan), instead of
# applying the module again each time.
run "topics_policies_and_roles" {
  command = apply
  variables {
    alert_emails = ["ops@example.com", "oncall@example.com"]
  }

  assert {
    condition     = output.settings.alerts_topic_key == aws_kms_key.alerts.arn && output.settings.edge_alerts_topic_key == aws_kms_key.edge_alerts.arn
    error_message = "Both topics are encrypted with their own customer managed key."
  }
  assert {
    condition = alltrue([for p in [output.settings.alerts_topic_policy, output.settings.edge_alerts_topic_policy] :
      jsonencode(sort(flatten([for s in jsondecode(p).Statement : s.Principal.Service if s.Sid == "AlertPublishers"]))) == jsonencode(["backup.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"])
    ])
    error_message = "CloudWatch, EventBridge and AWS Backup may publish to both topics."
  }
  assert {
    condition = alltrue([for p in [output.settings.alerts_topic_policy, output.settings.edge_alerts_topic_policy] :
      one([for s in jsondecode(p).Statement : s.Condition.StringEquals["aws:SourceAccount"] if s.Sid == "AlertPublishers"]) == "123456789012"
    ])
    error_message = "Service publishers are limited to this account (confused deputy)."
  }
  assert {
    condition     = one([for s in jsondecode(output.settings.alerts_topic_policy).Statement : s.Effect if s.Sid == "TLSOnly"]) == "Deny"
    error_message = "Publishing without TLS is denied."
  }
  assert {
    condition     = jsonencode(sort([for s in jsondecode(aws_kms_key.alerts.policy).Statement : s.Sid])) == jsonencode(["AccountAdministersThroughIAM", "AlertPublishersEncrypt"])
    error_message = "The topic key lets the account administer it and the publishers encrypt with it."
  }
  assert {
    condition     = jsonencode(output.settings.email_subscriptions) == jsonencode(["oncall@example.com", "ops@example.com"]) && jsonencode(output.settings.edge_email_subscriptions) == jsonencode(["oncall@example.com", "ops@example.com"])
    error_message = "Every alert e-mail is subscribed to both topics."
  }
  assert {
    condition     = output.settings.log_group_retention_days == 30 && output.settings.log_group_kms_key == var.kms_key_arn && output.container_log_group_name == "/aws/eks/demo/containers"
    error_message = "The container log group has the retention and the deployment key."
  }
  assert {
    condition = jsonencode(output.settings.pod_identity_associations) == jsonencode({
      alertmanager = "monitoring/alertmanager"
      grafana      = "monitoring/grafana"
      log_shipper  = "monitoring/fluent-bit"
    })
    error_message = "The three service accounts get Pod Identity associations."
  }
  assert {
    condition = alltrue([for k, trust in output.settings.role_trust :
      jsondecode(trust).Statement[0].Principal.Service == "pods.eks.amazonaws.com" &&
      jsonencode(sort(jsondecode(trust).Statement[0].Action)) == jsonencode(["sts:AssumeRole", "sts:TagSession"])
    ])
    error_message = "Every role trusts EKS Pod Identity only."
  }
  assert {
    condition = (
      jsonencode(sort(flatten([for s in jsondecode(output.settings.role_policies.log_shipper).Statement : s.Action]))) == jsonencode(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]) &&
      !strcontains(output.settings.role_policies.log_shipper, "CreateLogGroup")
    )
    error_message = "The log shipper writes streams of its group only and never creates a group."
  }
  assert {
    condition = (
      one([for s in jsondecode(output.settings.role_policies.alertmanager).Statement : s.Resource if s.Sid == "PublishAlerts"]) == aws_sns_topic.alerts.arn &&
      one([for s in jsondecode(output.settings.role_policies.alertmanager).Statement : s.Resource if s.Sid == "EncryptForTheTopic"]) == aws_kms_key.alerts.arn
    )
    error_message = "Alertmanager publishes to the alert topic and may use its key, nothing more."
  }
  assert {
    condition     = !strcontains(output.settings.role_policies.grafana, "cloudwatch:Put") && strcontains(output.settings.role_policies.grafana, "cloudwatch:GetMetricData")
    error_message = "Grafana's data source reads CloudWatch and writes nothing."
  }
}

run "alarms_and_their_dimensions" {
  command = plan
  assert {
    condition     = length(output.alarms) == 3 + 2 + 3 * 2 + 4 + 1 + 2
    error_message = "RDS 3, DocumentDB 2 (one instance: no replica lag), Redis 3 per member, ALB 4, Meilisearch 1, edge 2."
  }
  assert {
    condition     = alltrue([for k, a in output.alarms : a.alarm_actions == toset([a.region == "us-east-1" ? aws_sns_topic.edge_alerts.arn : aws_sns_topic.alerts.arn]) && a.ok_actions == a.alarm_actions])
    error_message = "Every alarm notifies (on alarm and on recovery) the topic of its region, nothing else."
  }
  assert {
    condition     = output.alarms["rds-connections"].threshold == 272
    error_message = "The connections alarm fires at 80% of max_connections (341 -> 272)."
  }
  assert {
    condition     = output.alarms["rds-free-storage"].threshold == 2 * 1024 * 1024 * 1024 && output.alarms["rds-free-storage"].comparison == "LessThanThreshold"
    error_message = "Free storage is compared in bytes, below the threshold."
  }
  assert {
    condition     = output.alarms["alb-target-5xx"].dimensions.LoadBalancer == "app/demo-edge/0123456789abcdef" && output.alarms["alb-target-5xx"].dimensions.TargetGroup == "targetgroup/demo-nginx/fedcba9876543210"
    error_message = "ALB metric dimensions are the ARN suffixes."
  }
  assert {
    condition     = output.alarms["alb-p99-response-time"].statistic == "p99"
    error_message = "Response time is watched at p99."
  }
  assert {
    condition     = output.alarms["redis-evictions-demo-redis-002"].dimensions.CacheClusterId == "demo-redis-002"
    error_message = "Each ElastiCache member cluster has its alarms."
  }
  assert {
    condition = (
      output.alarms["waf-blocked-spike"].region == "us-east-1" && output.alarms["waf-blocked-spike"].dimensions.WebACL == "demo-edge" &&
      output.alarms["cloudfront-5xx-rate"].region == "us-east-1" && output.alarms["cloudfront-5xx-rate"].dimensions.Region == "Global"
    )
    error_message = "CloudFront and WAF alarms live in us-east-1, on the web ACL's name and the distribution."
  }
  assert {
    condition     = length(output.settings.email_subscriptions) == 0
    error_message = "Without alert e-mails nobody is subscribed."
  }
}

run "replica_lag_with_readers_and_no_docdb_alarms_without_docdb" {
  command = plan
  variables {
    docdb_instance_count = 3
  }
  assert {
    condition     = output.alarms["docdb-replica-lag"].dimensions.Role == "READER" && output.alarms["docdb-replica-lag"].threshold == 5000
    error_message = "A DocumentDB cluster with readers has a replica lag alarm."
  }
}

run "no_docdb_alarms_with_byo_mongodb" {
  command = plan
  variables {
    docdb_enabled            = false
    docdb_cluster_identifier = null
  }
  assert {
    condition     = length([for k, a in output.alarms : k if a.namespace == "AWS/DocDB"]) == 0
    error_message = "Without DocumentDB there are no DocumentDB alarms."
  }
}
