# AWS roles of the three in-cluster clients, handed to their service accounts through
# EKS Pod Identity (the eks-pod-identity-agent add-on is installed by stage 1).

locals {
  pod_identity_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })

  roles = {
    # Fluent Bit: write streams of the container log group, nothing else. No
    # logs:CreateLogGroup: the group exists with its key and retention.
    log_shipper = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid      = "WriteContainerLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
        Resource = [aws_cloudwatch_log_group.containers.arn, "${aws_cloudwatch_log_group.containers.arn}:*"]
      }]
    })

    # Grafana's CloudWatch data source: read metrics, alarms and logs of the account.
    grafana = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          # No resource-level permissions exist for these: "*" is the only value.
          Sid    = "ReadMetrics"
          Effect = "Allow"
          Action = [
            "cloudwatch:ListMetrics", "cloudwatch:GetMetricData",
            "cloudwatch:DescribeAlarmsForMetric",
            "ec2:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeRegions",
            "tag:GetResources",
          ]
          Resource = "*"
        },
        {
          Sid      = "ReadAlarms"
          Effect   = "Allow"
          Action   = ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]
          Resource = "arn:${local.partition}:cloudwatch:*:${local.account}:alarm:*"
        },
        {
          Sid      = "ReadInsightRules"
          Effect   = "Allow"
          Action   = "cloudwatch:GetInsightRuleReport"
          Resource = "arn:${local.partition}:cloudwatch:*:${local.account}:insight-rule/*"
        },
        {
          Sid    = "ReadLogs"
          Effect = "Allow"
          Action = [
            "logs:DescribeLogGroups", "logs:GetLogGroupFields", "logs:StartQuery",
            "logs:StopQuery", "logs:GetQueryResults", "logs:GetLogEvents",
          ]
          Resource = "arn:${local.partition}:logs:*:${local.account}:log-group:*"
        },
      ]
    })

    # Alertmanager: publish to the alert topic, which needs the topic key.
    alertmanager = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Sid = "PublishAlerts", Effect = "Allow", Action = "sns:Publish", Resource = aws_sns_topic.alerts.arn },
        { Sid = "EncryptForTheTopic", Effect = "Allow", Action = ["kms:GenerateDataKey*", "kms:Decrypt"], Resource = aws_kms_key.alerts.arn },
      ]
    })
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name_prefix        = "${substr(var.name, 0, 20)}-${replace(each.key, "_", "-")}-"
  description        = "${each.key} of ${var.name} (Pod Identity ${var.service_accounts[each.key].namespace}/${var.service_accounts[each.key].name})"
  assume_role_policy = local.pod_identity_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.roles

  name   = replace(each.key, "_", "-")
  role   = aws_iam_role.this[each.key].id
  policy = each.value
}

resource "aws_eks_pod_identity_association" "this" {
  for_each = local.roles

  cluster_name    = var.cluster_name
  namespace       = var.service_accounts[each.key].namespace
  service_account = var.service_accounts[each.key].name
  role_arn        = aws_iam_role.this[each.key].arn
  tags            = var.tags
}
