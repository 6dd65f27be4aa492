# CloudFront in front of the ALB. Open edX pages are per-user, so the default behaviour
# caches nothing and forwards everything (Host, cookies, query strings, all methods);
# only /static/* (collected, content-hashed files served by uwsgi) is cached.

data "aws_cloudfront_cache_policy" "caching_disabled" {
  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer" {
  name = "Managed-AllViewer"
}

# /static/*: long TTL, compressed. The LMS and CMS serve different files under the same
# /static/ paths, so the Host header is part of the cache key (and thereby forwarded,
# which the ingress needs to route the request). Cookies are left out: static files are
# the same for everyone.
resource "aws_cloudfront_cache_policy" "static" {
  name        = "${var.name}-static"
  comment     = "Open edX /static/*: cached per host, compressed"
  min_ttl     = 0
  default_ttl = var.static_default_ttl_seconds
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }

    headers_config {
      header_behavior = "whitelist"

      headers {
        items = ["Host"]
      }
    }

    query_strings_config {
      query_string_behavior = "all"
    }
  }
}

# HSTS on every answer; the application keeps its own X-Frame-Options and CSP (LTI and
# Studio previews embed pages in iframes).
resource "aws_cloudfront_response_headers_policy" "security" {
  #checkov:skip=CKV_AWS_259:includeSubDomains and preload would bind every subdomain of the LMS host and the browsers' preload lists; that is the domain owner's decision, not this module's. HSTS itself is on (one year, override).
  name    = "${var.name}-security-headers"
  comment = "HSTS and nosniff for every Open edX host"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = false
      preload                    = false
      override                   = true
    }

    content_type_options {
      override = false
    }
  }
}

locals {
  origin_id   = "alb"
  all_methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_305:No default root object: every host is a dynamic application that routes / itself.
  #checkov:skip=CKV_AWS_310:One origin (the ALB spans several zones); a failover origin group cannot serve POST requests anyway.
  #checkov:skip=CKV2_AWS_47:The web ACL has AWSManagedRulesKnownBadInputsRuleSet (the Log4j rules); this check also wants AWSManagedRulesAnonymousIpList, which would block learners behind VPNs and Tor, often the only way in from censored networks.
  #checkov:skip=CKV2_AWS_46:The only origin is the ALB (custom origin); no S3 origin exists, the S3 bucket only receives logs.
  #checkov:skip=CKV_AWS_374:Open edX serves learners worldwide; geographic restriction is a business decision left to the operator.
  enabled             = true
  comment             = "${var.name}: Open edX (${var.hosts.lms})"
  aliases             = local.host_list
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.price_class
  web_acl_id          = aws_wafv2_web_acl.this.arn
  wait_for_deployment = var.wait_for_deployment

  origin {
    origin_id   = local.origin_id
    domain_name = aws_lb.this.dns_name

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = var.origin_read_timeout_seconds
      origin_keepalive_timeout = 5
    }

    custom_header {
      name  = var.origin_header_name
      value = local.origin_header_value
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = local.all_methods
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id
    origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  # Course assets of locked (and non-public) content are authorised per user through the
  # session cookie: never cache them, forward everything. Listed before /static/* so the
  # intent does not depend on the patterns never overlapping.
  ordered_cache_behavior {
    path_pattern               = "/asset-v1:*"
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id
    origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  ordered_cache_behavior {
    path_pattern               = "/static/*"
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.static.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.cloudfront.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  logging_config {
    bucket          = aws_s3_bucket.logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  tags = local.tags

  # CloudFront checks the bucket ACL setting when logging is turned on.
  # The ALB rule accepts a new origin header value before CloudFront starts sending it.
  depends_on = [aws_s3_bucket_ownership_controls.logs, aws_lb_listener_rule.from_cloudfront]
}
