# Alerts: one SNS topic per region that raises alarms. CloudWatch alarms only notify a
# topic of their own region, and CloudFront's and the CLOUDFRONT-scope WAF's metrics
# only exist in us-east-1, so the edge alarms get a twin topic there. Both have the same
# e-mail subscribers. Alertmanager, AWS Backup, EventBridge rules and `tutor eks alerts
# test` use the topic of the stack region (output alerts_topic_arn).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  # The services that publish to the topics. Each one encrypts its message with the
  # topic's key as itself, hence the key policies below (the deployment key does not
  # name these services, so the topics get keys of their own).
  publishers = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"]

  topics = {
    alerts      = "${var.name}-alerts"
    edge_alerts = "${var.name}-edge-alerts"
  }
}

locals {
  topic_key_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AlertPublishersEncrypt"
        Effect    = "Allow"
        Principal = { Service = local.publishers }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
    ]
  })
}

resource "aws_kms_key" "alerts" {
  description             = "SNS alert topic of the Open edX deployment ${var.name}"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = local.topic_key_policy
  tags                    = merge(var.tags, { Name = local.topics.alerts })
}

resource "aws_kms_key" "edge_alerts" {
  provider = aws.us_east_1

  description             = "SNS edge alert topic (us-east-1) of the Open edX deployment ${var.name}"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = local.topic_key_policy
  tags                    = merge(var.tags, { Name = local.topics.edge_alerts })
}

resource "aws_sns_topic" "alerts" {
  name              = local.topics.alerts
  kms_master_key_id = aws_kms_key.alerts.arn
  tags              = merge(var.tags, { Name = local.topics.alerts })
}

resource "aws_sns_topic" "edge_alerts" {
  provider = aws.us_east_1

  name              = local.topics.edge_alerts
  kms_master_key_id = aws_kms_key.edge_alerts.arn
  tags              = merge(var.tags, { Name = local.topics.edge_alerts })
}

# Replaces SNS's default policy: the account's own principals still publish through
# IAM (Alertmanager's role), and the three services may publish on behalf of this
# account only (aws:SourceAccount stops another account's alarms from using the topic).
locals {
  topic_policies = {
    for key, arn in { alerts = aws_sns_topic.alerts.arn, edge_alerts = aws_sns_topic.edge_alerts.arn } : key => jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "AccountManagesTopic"
          Effect    = "Allow"
          Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
          Action = [
            "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission",
            "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
            "sns:ListSubscriptionsByTopic", "sns:Publish",
          ]
          Resource = arn
        },
        {
          Sid       = "AlertPublishers"
          Effect    = "Allow"
          Principal = { Service = local.publishers }
          Action    = "sns:Publish"
          Resource  = arn
          Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
        },
        {
          Sid       = "TLSOnly"
          Effect    = "Deny"
          Principal = "*"
          Action    = "sns:Publish"
          Resource  = arn
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
      ]
    })
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = local.topic_policies.alerts
}

resource "aws_sns_topic_policy" "edge_alerts" {
  provider = aws.us_east_1

  arn    = aws_sns_topic.edge_alerts.arn
  policy = local.topic_policies.edge_alerts
}

resource "aws_sns_topic_subscription" "alerts_email" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_sns_topic_subscription" "edge_alerts_email" {
  provider = aws.us_east_1
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.edge_alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

# --- Container logs ---------------------------------------------------------------
# One group for every container of the cluster. The log shipper writes one stream per
# container (namespace.pod.container) and each record keeps its Kubernetes metadata, so
# Logs Insights filters on kubernetes.namespace_name, pod_name and container_name.
# Terraform creates the group so that it has the key and the retention from the start
# (a group the shipper auto-creates would have neither).
resource "aws_cloudwatch_log_group" "containers" {
  name              = "/aws/eks/${var.cluster_name}/containers"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}
