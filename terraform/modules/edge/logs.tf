# Access logs of CloudFront (prefix cloudfront/) and of the ALB (prefix alb/) in one bucket
# in the stack's region. CloudFront standard logging writes through bucket ACLs, so the
# bucket keeps ACLs enabled (BucketOwnerPreferred) and CloudFront adds its log delivery
# grant itself; objects still end up owned by this account.

data "aws_elb_service_account" "this" {
  count = var.alb_log_delivery_principal == "elb-account" ? 1 : 0
}

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This bucket is the access-log destination; logging it to itself would loop and another bucket only moves the question.
  #checkov:skip=CKV_AWS_144:Access logs are expendable operational data; cross-region replication would double their cost for no recovery need.
  #checkov:skip=CKV2_AWS_62:No consumer of bucket events: logs are read on demand (Athena, console).
  #checkov:skip=CKV_AWS_21:Log objects are written once and expire by lifecycle; versioning would only keep deleted logs longer.
  #checkov:skip=CKV_AWS_145:ALB access logs only support SSE-S3 (AES256), not SSE-KMS.
  bucket        = "${var.name}-edge-logs-${local.account_id}-${local.region}"
  force_destroy = var.log_bucket_force_destroy
  tags          = merge(local.tags, { Name = "${var.name}-edge-logs" })
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  #checkov:skip=CKV2_AWS_65:CloudFront standard logging writes through bucket ACLs (awslogsdelivery grant); BucketOwnerPreferred keeps ACLs usable while this account owns the objects.
  bucket = aws_s3_bucket.logs.id

  rule {
    # CloudFront standard logging needs ACLs; BucketOwnerEnforced would disable them.
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

locals {
  alb_log_principal = var.alb_log_delivery_principal == "elb-account" ? {
    AWS = data.aws_elb_service_account.this[0].arn
    } : {
    Service = "logdelivery.elasticloadbalancing.amazonaws.com"
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "AlbAccessLogs"
        Effect    = "Allow"
        Principal = local.alb_log_principal
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/alb/AWSLogs/${local.account_id}/*"
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

# --- WAF logs ------------------------------------------------------------------------
# A CLOUDFRONT-scope web ACL logs to CloudWatch Logs in us-east-1; AWS requires the log
# group name to start with aws-waf-logs-.

resource "aws_cloudwatch_log_group" "waf" {
  #checkov:skip=CKV_AWS_158:A customer managed key is optional (waf_log_kms_key_arn); CloudWatch Logs encrypts at rest with its own key otherwise.
  provider = aws.us_east_1

  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = var.waf_log_kms_key_arn
  tags              = local.tags
}

# Lets the log delivery service write this account's WAF logs to the group (instead of
# relying on the implicit, account-wide policy AWS would otherwise add on first use).
resource "aws_cloudwatch_log_resource_policy" "waf" {
  provider = aws.us_east_1

  policy_name = "${var.name}-waf-logs"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "WafLogDelivery"
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "${aws_cloudwatch_log_group.waf.arn}:*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:logs:us-east-1:${local.account_id}:*" }
      }
    }]
  })
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  provider = aws.us_east_1

  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Session cookies and credentials have no place in logs.
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  depends_on = [aws_cloudwatch_log_resource_policy.waf]
}
