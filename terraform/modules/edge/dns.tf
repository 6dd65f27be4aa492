# Optional: point every host at CloudFront (alias records cost nothing per query).

locals {
  alias_records = var.route53_zone_id == null ? {} : {
    for pair in setproduct(local.host_list, ["A", "AAAA"]) :
    "${pair[0]}/${pair[1]}" => { host = pair[0], type = pair[1] }
  }
}

resource "aws_route53_record" "alias" {
  for_each = local.alias_records

  zone_id = var.route53_zone_id
  name    = each.value.host
  type    = each.value.type

  alias {
    name                   = aws_cloudfront_distribution.this.domain_name
    zone_id                = aws_cloudfront_distribution.this.hosted_zone_id
    evaluate_target_health = false
  }
}
