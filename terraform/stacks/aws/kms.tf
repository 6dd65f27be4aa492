data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# One customer-managed key for the deployment's data at rest: Kubernetes secrets,
# RDS, DocumentDB, ElastiCache, EFS, EBS, S3, Secrets Manager and the log groups.
# Services use it through the caller's IAM permissions (the account statement);
# CloudWatch Logs acts as itself and needs its own statement.
locals {
  autoscaling_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
}

resource "aws_kms_key" "main" {
  description             = "Data at rest of the Open edX deployment ${var.name}"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = local.p.kms_deletion_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:*"
          }
        }
      },
      # EKS node root volumes are encrypted with this key (modules/eks launch template). EC2
      # Auto Scaling launches the nodes as its service-linked role, which has no IAM
      # permission on customer keys: the key policy must name it. The role may not exist
      # yet in a fresh account (Auto Scaling creates it with the first group) and a key
      # policy cannot name a missing principal, so the statements match its ARN instead.
      {
        Sid       = "AutoScalingUsesKeyForNodeVolumes"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:CallerAccount" = data.aws_caller_identity.current.account_id }
          ArnEquals    = { "aws:PrincipalArn" = local.autoscaling_role_arn }
        }
      },
      {
        Sid       = "AutoScalingGrantsForNodeVolumes"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:CreateGrant"
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:CallerAccount" = data.aws_caller_identity.current.account_id }
          ArnEquals    = { "aws:PrincipalArn" = local.autoscaling_role_arn }
          Bool         = { "kms:GrantIsForAWSResource" = "true" }
        }
      },
    ]
  })

  tags = { Name = var.name }
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.main.key_id
}
