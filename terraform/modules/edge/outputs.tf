output "alb_target_group_arn" {
  description = "IP target group of the NGINX Ingress Controller pods (stage 2 binds the NGINX Service to it with a TargetGroupBinding)."
  value       = aws_lb_target_group.nginx.arn
}

output "alb_security_group_id" {
  description = "Security group of the ALB (stage 2 lets it reach the NGINX pods through the TargetGroupBinding networking rules)."
  value       = aws_security_group.alb.id
}

output "alb_dns_name" {
  description = "DNS name of the ALB (the CloudFront origin; direct requests get 403)."
  value       = aws_lb.this.dns_name
}

output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.this.arn
}

output "cloudfront_domain_name" {
  description = "Domain name of the CloudFront distribution: point the hosts here (CNAME or alias) when no Route53 zone is given."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "cloudfront_hosted_zone_id" {
  description = "Route53 zone id to use in alias records that target the distribution."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "cloudfront_distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope WAF web ACL (us-east-1)."
  value       = aws_wafv2_web_acl.this.arn
}

output "waf_log_group_name" {
  description = "CloudWatch Logs group (us-east-1) that receives the WAF logs."
  value       = aws_cloudwatch_log_group.waf.name
}

output "origin_header_name" {
  description = "Name of the secret header CloudFront sends to the ALB."
  value       = var.origin_header_name
}

output "origin_header_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the origin header value (the value itself is never an output)."
  value       = aws_secretsmanager_secret.origin_header.arn
}

output "regional_certificate_arn" {
  description = "ACM certificate on the ALB (stack region)."
  value       = aws_acm_certificate.regional.arn
}

output "cloudfront_certificate_arn" {
  description = "ACM certificate on CloudFront (us-east-1)."
  value       = aws_acm_certificate.cloudfront.arn
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificates (the same records serve both regions). Create them yourself when route53_zone_id is null."
  value = {
    for o in aws_acm_certificate.regional.domain_validation_options : o.domain_name => {
      name  = o.resource_record_name
      type  = o.resource_record_type
      value = o.resource_record_value
    }
  }
}

output "log_bucket_name" {
  description = "S3 bucket holding the CloudFront (cloudfront/) and ALB (alb/) access logs."
  value       = aws_s3_bucket.logs.id
}

output "hosts" {
  description = "Every public host on the certificates and the distribution."
  value       = local.host_list
}

output "settings" {
  description = "Applied edge settings, for the callers' tests and audits: ALB exposure and protection, where the certificates and the web ACL come from, log placement."
  value = {
    alb_internal             = aws_lb.this.internal
    alb_deletion_protection  = aws_lb.this.enable_deletion_protection
    alb_subnet_ids           = sort(tolist(aws_lb.this.subnets))
    alb_ingress_prefix_list  = aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.prefix_list_id
    alb_egress               = [for rule in values(aws_vpc_security_group_egress_rule.alb_to_nginx) : { cidr = rule.cidr_ipv4, port = rule.from_port }]
    listener_certificate_arn = aws_lb_listener.https.certificate_arn
    listener_default_status  = one(one(aws_lb_listener.https.default_action).fixed_response).status_code
    target_type              = aws_lb_target_group.nginx.target_type
    target_port              = aws_lb_target_group.nginx.port
    health_check_port        = one(aws_lb_target_group.nginx.health_check).port
    distribution_certificate = one(aws_cloudfront_distribution.this.viewer_certificate).acm_certificate_arn
    distribution_web_acl     = aws_cloudfront_distribution.this.web_acl_id
    distribution_aliases     = sort(tolist(aws_cloudfront_distribution.this.aliases))
    web_acl_scope            = aws_wafv2_web_acl.this.scope
    waf_log_group_arn        = aws_cloudwatch_log_group.waf.arn
    secret_kms_key_arn       = aws_secretsmanager_secret.origin_header.kms_key_id
    secret_recovery_days     = aws_secretsmanager_secret.origin_header.recovery_window_in_days
    log_bucket_force_destroy = aws_s3_bucket.logs.force_destroy
  }
}

output "target_group_deregistration_delay" {
  description = "Seconds the ALB keeps sending in-flight requests to an NGINX pod leaving the target group; stage 2 makes the NGINX termination grace period longer than this."
  value       = tonumber(aws_lb_target_group.nginx.deregistration_delay)
}
