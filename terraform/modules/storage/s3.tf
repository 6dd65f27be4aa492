locals {
  bucket_count = var.media_bucket_enabled ? 1 : 0
}

resource "aws_s3_bucket" "media" {
  #checkov:skip=CKV_AWS_18:Server access logs would need a second bucket per deployment; object-level auditing belongs to the account's CloudTrail data events.
  #checkov:skip=CKV_AWS_144:Media are user uploads protected by versioning in one region; cross-region replication is a disaster-recovery choice left to the operator.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events; Open edX reads and writes through the API.
  count = local.bucket_count

  # Account id and region make the global bucket name unique and predictable.
  bucket        = "${var.name}-media-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.name}"
  force_destroy = var.media_bucket_force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "media" {
  count = local.bucket_count

  bucket                  = aws_s3_bucket.media[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: the bucket owner owns every object, access is by policy only.
resource "aws_s3_bucket_ownership_controls" "media" {
  count = local.bucket_count

  bucket = aws_s3_bucket.media[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  count = local.bucket_count

  bucket = aws_s3_bucket.media[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # Bucket keys cut KMS requests (and their cost) by orders of magnitude.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "media" {
  count = local.bucket_count

  bucket = aws_s3_bucket.media[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  count = local.bucket_count

  bucket = aws_s3_bucket.media[0].id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.media_noncurrent_version_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.media]
}

resource "aws_s3_bucket_policy" "media" {
  count = local.bucket_count

  bucket = aws_s3_bucket.media[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.media[0].arn, "${aws_s3_bucket.media[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.media]
}
