# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no CloudFront cache, origin-request or response-headers policy API. The
# distribution's behaviours name AWS's managed policies by their published ids instead
# (moto stores them unchecked).

data "aws_cloudfront_cache_policy" "caching_disabled" {
  count = 0
}

data "aws_cloudfront_origin_request_policy" "all_viewer" {
  count = 0
}

resource "aws_cloudfront_cache_policy" "static" {
  count = 0
}

resource "aws_cloudfront_response_headers_policy" "security" {
  count = 0
}

resource "aws_cloudfront_distribution" "this" {
  default_cache_behavior {
    target_origin_id         = local.origin_id
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = local.all_methods
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3" # Managed-AllViewer
  }

  ordered_cache_behavior {
    path_pattern             = "/asset-v1:*"
    target_origin_id         = local.origin_id
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD", "OPTIONS"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3" # Managed-AllViewer
  }

  ordered_cache_behavior {
    path_pattern           = "/static/*"
    target_origin_id       = local.origin_id
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6" # Managed-CachingOptimized
  }
}
