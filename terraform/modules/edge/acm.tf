# One certificate per region with every public host: the regional one terminates TLS on
# the ALB, the us-east-1 one on CloudFront. CloudFront forwards the viewer's Host header,
# so it validates the ALB's certificate against that host: both hold the same names.

resource "aws_acm_certificate" "regional" {
  domain_name               = local.host_list[0]
  subject_alternative_names = slice(local.host_list, 1, length(local.host_list))
  validation_method         = "DNS"
  tags                      = merge(local.tags, { Name = "${var.name}-edge-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "cloudfront" {
  provider = aws.us_east_1

  domain_name               = local.host_list[0]
  subject_alternative_names = slice(local.host_list, 1, length(local.host_list))
  validation_method         = "DNS"
  tags                      = merge(local.tags, { Name = "${var.name}-edge-cloudfront" })

  lifecycle {
    create_before_destroy = true
  }
}

# ACM derives the validation CNAME from the account and the domain name, not the region,
# so one record per host validates both certificates. Keys come from the configuration
# (not from the computed validation options) so that for_each is known at plan time.
resource "aws_route53_record" "validation" {
  for_each = var.route53_zone_id == null ? toset([]) : toset(local.host_list)

  zone_id         = var.route53_zone_id
  allow_overwrite = true
  ttl             = 300
  name = one([
    for o in aws_acm_certificate.regional.domain_validation_options : o.resource_record_name if o.domain_name == each.key
  ])
  type = one([
    for o in aws_acm_certificate.regional.domain_validation_options : o.resource_record_type if o.domain_name == each.key
  ])
  records = [one([
    for o in aws_acm_certificate.regional.domain_validation_options : o.resource_record_value if o.domain_name == each.key
  ])]
}

resource "aws_acm_certificate_validation" "regional" {
  certificate_arn         = aws_acm_certificate.regional.arn
  validation_record_fqdns = var.route53_zone_id == null ? null : [for r in aws_route53_record.validation : r.fqdn]

  timeouts {
    create = var.certificate_validation_timeout
  }
}

resource "aws_acm_certificate_validation" "cloudfront" {
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.cloudfront.arn
  validation_record_fqdns = var.route53_zone_id == null ? null : [for r in aws_route53_record.validation : r.fqdn]

  timeouts {
    create = var.certificate_validation_timeout
  }
}
