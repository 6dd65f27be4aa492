# The backup bucket: portable logical dumps (`tutor eks backup --logical`: mysqldump,
# mongodump, Meilisearch dumps) that can move a site to another account or region.
# The dump Jobs write here through Pod Identity; nothing else may.

resource "aws_s3_bucket" "dumps" {
  #checkov:skip=CKV_AWS_18:Server access logs would need a second bucket per deployment; object-level auditing belongs to the account's CloudTrail data events.
  #checkov:skip=CKV_AWS_144:Dumps are the portable copy; the recovery points themselves are copied to the second region by AWS Backup (copy_region).
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events; the dump Jobs and `tutor eks backup list` use the API.
  # Account id and region make the global name unique and predictable: `tutor eks
  # backup` derives the same name (tutor_eks_plugin/backup/stores.py).
  bucket        = "${var.name}-backups-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.name}"
  force_destroy = var.bucket_force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "dumps" {
  bucket                  = aws_s3_bucket.dumps.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "dumps" {
  bucket = aws_s3_bucket.dumps.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "dumps" {
  bucket = aws_s3_bucket.dumps.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "dumps" {
  bucket = aws_s3_bucket.dumps.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "dumps" {
  bucket = aws_s3_bucket.dumps.id

  rule {
    id     = "expire-dumps"
    status = "Enabled"
    filter {}

    expiration {
      days = var.dumps_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }

  depends_on = [aws_s3_bucket_versioning.dumps]
}

resource "aws_s3_bucket_policy" "dumps" {
  bucket = aws_s3_bucket.dumps.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.dumps.arn, "${aws_s3_bucket.dumps.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.dumps]
}

resource "aws_iam_role" "dumps" {
  name_prefix = "${substr(var.name, 0, 20)}-dumps-"
  description = "Logical dump Jobs of ${var.name}: write and read the backup bucket"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "dumps" {
  name = "backup-bucket"
  role = aws_iam_role.dumps.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListDumps"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.dumps.arn]
      },
      {
        # No s3:DeleteObject: a compromised Job cannot remove earlier dumps.
        Sid      = "WriteAndReadDumps"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetObject"]
        Resource = ["${aws_s3_bucket.dumps.arn}/*"]
      },
      {
        Sid      = "UseTheDeploymentKey"
        Effect   = "Allow"
        Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource = [var.kms_key_arn]
      },
    ]
  })
}

resource "aws_eks_pod_identity_association" "dumps" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = aws_iam_role.dumps.arn
  tags            = var.tags
}
