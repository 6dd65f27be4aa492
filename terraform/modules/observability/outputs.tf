output "alerts_topic_arn" {
  description = "SNS topic (stack region) for alerts: CloudWatch alarms of the region, Alertmanager, AWS Backup, EventBridge, `tutor eks alerts test`."
  value       = aws_sns_topic.alerts.arn
}

output "edge_alerts_topic_arn" {
  description = "SNS topic in us-east-1 for the CloudFront and WAF alarms (alarms notify only topics of their own region)."
  value       = aws_sns_topic.edge_alerts.arn
}

output "container_log_group_name" {
  description = "CloudWatch log group of every container's output."
  value       = aws_cloudwatch_log_group.containers.name
}

output "log_shipper_role_arn" {
  description = "Role of the log shipper (Pod Identity)."
  value       = aws_iam_role.this["log_shipper"].arn
}

output "grafana_role_arn" {
  description = "Role of Grafana's CloudWatch data source (Pod Identity)."
  value       = aws_iam_role.this["grafana"].arn
}

output "alertmanager_role_arn" {
  description = "Role Alertmanager publishes to the alert topic with (Pod Identity)."
  value       = aws_iam_role.this["alertmanager"].arn
}

output "alb_metric_dimension" {
  description = "The ALB's LoadBalancer dimension in CloudWatch (app/<name>/<id>), for the AWS dashboard."
  value       = local.alb_dimension
}

output "service_accounts" {
  description = "Namespace and service account each role is associated with (stage 2 creates them)."
  value       = var.service_accounts
}

output "alarms" {
  description = "Every alarm as created: name => region, namespace, metric, statistic, dimensions, comparison, threshold and actions (read by the tests and docs)."
  value = merge(
    { for k, a in aws_cloudwatch_metric_alarm.regional : k => {
      region        = "stack", namespace = a.namespace, metric = a.metric_name
      statistic     = coalesce(a.statistic, a.extended_statistic), dimensions = a.dimensions
      comparison    = a.comparison_operator, threshold = a.threshold
      alarm_actions = a.alarm_actions, ok_actions = a.ok_actions
    } },
    { for k, a in aws_cloudwatch_metric_alarm.edge : k => {
      region        = "us-east-1", namespace = a.namespace, metric = a.metric_name
      statistic     = coalesce(a.statistic, a.extended_statistic), dimensions = a.dimensions
      comparison    = a.comparison_operator, threshold = a.threshold
      alarm_actions = a.alarm_actions, ok_actions = a.ok_actions
    } },
  )
}

output "settings" {
  description = "Security-relevant settings as applied (read by the tests)."
  value = {
    alerts_topic_key          = aws_sns_topic.alerts.kms_master_key_id
    edge_alerts_topic_key     = aws_sns_topic.edge_alerts.kms_master_key_id
    alerts_topic_policy       = aws_sns_topic_policy.alerts.policy
    edge_alerts_topic_policy  = aws_sns_topic_policy.edge_alerts.policy
    email_subscriptions       = sort([for s in aws_sns_topic_subscription.alerts_email : s.endpoint])
    edge_email_subscriptions  = sort([for s in aws_sns_topic_subscription.edge_alerts_email : s.endpoint])
    log_group_retention_days  = aws_cloudwatch_log_group.containers.retention_in_days
    log_group_kms_key         = aws_cloudwatch_log_group.containers.kms_key_id
    role_trust                = { for k, r in aws_iam_role.this : k => r.assume_role_policy }
    role_policies             = { for k, p in aws_iam_role_policy.this : k => p.policy }
    pod_identity_associations = { for k, a in aws_eks_pod_identity_association.this : k => "${a.namespace}/${a.service_account}" }
    pod_identity_role_arns    = { for k, a in aws_eks_pod_identity_association.this : k => a.role_arn }
  }
}
