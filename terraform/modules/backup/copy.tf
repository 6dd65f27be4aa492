# The copy in a second region: its own vault and its own key there (a KMS key never
# leaves its region). Created through the aws.copy provider only when copy_region is set.

resource "aws_kms_key" "copy" {
  provider = aws.copy
  count    = local.copy_enabled ? 1 : 0

  description             = "Backup copies of the Open edX deployment ${var.name} (from ${data.aws_region.current.name})"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersThroughIAM"
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })

  tags = merge(var.tags, { Name = "${var.name}-backup-copy" })
}

resource "aws_backup_vault" "copy" {
  provider = aws.copy
  count    = local.copy_enabled ? 1 : 0

  name          = "${var.name}-copy"
  kms_key_arn   = aws_kms_key.copy[0].arn
  force_destroy = false
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = var.copy_region != data.aws_region.current.name
      error_message = "copy_region must differ from the deployment's region: a copy in the same region does not survive a regional outage."
    }
  }
}
