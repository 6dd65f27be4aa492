# `terraform test` for the edge module, against the real AWS provider schema with both
# provider configurations mocked (no AWS account). Each mock gives ARNs of its own region,
# so an assertion on an ARN also shows which provider configuration created the resource.
#
# The runs share one state, like successive applies of one deployment: default_inputs is
# also generation 1 of the origin-header rotation, then the rotation window is applied and
# its end planned. The mocked random password draws a different value per slot and per run
# (override_data), so each rotation assertion also shows which value a slot kept. Plan-only
# runs (input checks, DNS records, the count-only rollout) plan from an empty state in
# edge_plan.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

variables {
  name = "demo"
  hosts = {
    lms         = "learn.example.com"
    cms         = "studio.learn.example.com"
    mfe         = "apps.learn.example.com"
    meilisearch = "search.learn.example.com"
  }
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_blocks   = ["10.40.0.0/16", "100.64.0.0/16"]
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

# One apply of the module with the file's inputs (no Route53 zone) carries the assertions
# of the ALB lock, the CloudFront behaviours, the WAF rules, the absent DNS records and the
# origin header's first generation: each used to plan and apply the same inputs again in a
# run of its own (see docs/testing.md, "Suite time"). Every assertion keeps its own
# error_message.
run "default_inputs" {
  command = apply

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "firstApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "firstApplySlot1" }
  }

  # The ALB is locked to CloudFront.
  assert {
    condition     = length(aws_security_group.alb.ingress) == 0
    error_message = "The ALB security group must have no inline ingress rules."
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.security_group_id == aws_security_group.alb.id &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.prefix_list_id == "pl-3b927c52" &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.from_port == 443 &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.to_port == 443 &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.cidr_ipv4 == null &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.cidr_ipv6 == null &&
      aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.referenced_security_group_id == null
    )
    error_message = "The only ingress must be TCP 443 from the CloudFront origin-facing prefix list."
  }

  assert {
    condition     = data.aws_ec2_managed_prefix_list.cloudfront_origin_facing.name == "com.amazonaws.global.cloudfront.origin-facing"
    error_message = "The prefix list must be CloudFront's origin-facing list."
  }

  assert {
    condition = (
      toset([for r in aws_vpc_security_group_egress_rule.alb_to_nginx : "${r.cidr_ipv4} ${r.ip_protocol} ${r.from_port}-${r.to_port}"]) ==
      toset(["10.40.0.0/16 tcp 80-80", "10.40.0.0/16 tcp 8081-8081", "100.64.0.0/16 tcp 80-80", "100.64.0.0/16 tcp 8081-8081"]) &&
      alltrue([for r in aws_vpc_security_group_egress_rule.alb_to_nginx : r.security_group_id == aws_security_group.alb.id])
    )
    error_message = "The ALB may only reach the NGINX traffic and health ports, in every VPC CIDR."
  }

  assert {
    # Keys are list positions, known at plan time even when the CIDRs are not.
    condition     = toset(keys(aws_vpc_security_group_egress_rule.alb_to_nginx)) == toset(["cidr0:80", "cidr0:8081", "cidr1:80", "cidr1:8081"])
    error_message = "Egress rules must be keyed by CIDR position and port."
  }

  assert {
    condition = (
      output.settings.alb_deletion_protection == true &&
      output.settings.alb_internal == false &&
      output.settings.listener_default_status == "403" &&
      length(output.settings.alb_egress) == 4 &&
      output.settings.distribution_certificate == "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000002" &&
      output.settings.listener_certificate_arn == "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000001"
    )
    error_message = "The settings output must report what was applied."
  }

  assert {
    condition = (
      aws_lb.this.internal == false &&
      aws_lb.this.drop_invalid_header_fields == true &&
      aws_lb.this.xff_header_processing_mode == "preserve" &&
      aws_lb.this.security_groups == toset([aws_security_group.alb.id])
    )
    error_message = "The ALB must be public, drop invalid headers, preserve CloudFront's X-Forwarded-For and use only its own security group."
  }

  assert {
    condition = (
      aws_lb_listener.https.port == 443 &&
      aws_lb_listener.https.protocol == "HTTPS" &&
      aws_lb_listener.https.certificate_arn == "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000001" &&
      startswith(aws_lb_listener.https.ssl_policy, "ELBSecurityPolicy-TLS13-1-2")
    )
    error_message = "The listener must be HTTPS on 443 with the regional certificate and a TLS 1.2+ policy."
  }

  assert {
    condition = (
      length(aws_lb_listener.https.default_action) == 1 &&
      aws_lb_listener.https.default_action[0].type == "fixed-response" &&
      aws_lb_listener.https.default_action[0].fixed_response[0].status_code == "403"
    )
    error_message = "The listener's default action must be a fixed 403."
  }

  assert {
    condition = (
      length(aws_lb_listener_rule.from_cloudfront.condition) == 1 &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).http_header_name == "X-Origin-Verify" &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset([aws_secretsmanager_secret_version.origin_header.secret_string]) &&
      aws_lb_listener_rule.from_cloudfront.action[0].type == "forward" &&
      aws_lb_listener_rule.from_cloudfront.action[0].target_group_arn == aws_lb_target_group.nginx.arn
    )
    error_message = "The only forward rule must require the secret origin header stored in Secrets Manager."
  }

  assert {
    condition = (
      aws_lb_target_group.nginx.target_type == "ip" &&
      aws_lb_target_group.nginx.protocol == "HTTP" &&
      aws_lb_target_group.nginx.port == 80 &&
      aws_lb_target_group.nginx.health_check[0].port == "8081" &&
      aws_lb_target_group.nginx.health_check[0].path == "/nginx-ready"
    )
    error_message = "The target group must send HTTP to NGINX pod IPs and check the controller's readiness endpoint."
  }

  assert {
    condition = (
      aws_security_group.alb.name_prefix == "demo-edge-alb-" &&
      aws_secretsmanager_secret.origin_header.name_prefix == "demo-edge-origin-header-"
    )
    error_message = "Names AWS keeps after a destroy (secret in its recovery window) or needs twice (create_before_destroy) must be prefixes."
  }

  assert {
    condition     = output.target_group_deregistration_delay == 60
    error_message = "The stack hands the deregistration delay to stage 2 (NGINX grace period) as a number."
  }

  assert {
    condition     = output.origin_header_secret_arn == "arn:aws:secretsmanager:eu-west-1:111122223333:secret:demo-edge-origin-header-AbCdEf"
    error_message = "Only the ARN of the origin header secret is an output."
  }

  # CloudFront behaviours.
  assert {
    condition = (
      aws_cloudfront_distribution.this.http_version == "http2and3" &&
      aws_cloudfront_distribution.this.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" &&
      aws_cloudfront_distribution.this.viewer_certificate[0].ssl_support_method == "sni-only" &&
      aws_cloudfront_distribution.this.viewer_certificate[0].acm_certificate_arn == "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000002"
    )
    error_message = "CloudFront must serve HTTP/2 and HTTP/3, TLS 1.2+ (TLSv1.2_2021) with the us-east-1 certificate."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.aliases ==
      toset(["learn.example.com", "studio.learn.example.com", "apps.learn.example.com", "search.learn.example.com"])
    )
    error_message = "Every public host must be an alias of the distribution."
  }

  assert {
    condition = (
      aws_acm_certificate.cloudfront.domain_name == "learn.example.com" &&
      toset(aws_acm_certificate.cloudfront.subject_alternative_names) == toset(["studio.learn.example.com", "apps.learn.example.com", "search.learn.example.com"]) &&
      aws_acm_certificate.regional.domain_name == aws_acm_certificate.cloudfront.domain_name &&
      toset(aws_acm_certificate.regional.subject_alternative_names) == toset(aws_acm_certificate.cloudfront.subject_alternative_names) &&
      aws_acm_certificate.regional.validation_method == "DNS"
    )
    error_message = "Both certificates must hold every host and use DNS validation."
  }

  assert {
    condition = (
      length(aws_cloudfront_distribution.this.origin) == 1 &&
      one(aws_cloudfront_distribution.this.origin).domain_name == aws_lb.this.dns_name &&
      one(one(aws_cloudfront_distribution.this.origin).custom_origin_config).origin_protocol_policy == "https-only" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_origin_config).origin_ssl_protocols == toset(["TLSv1.2"]) &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).name == "X-Origin-Verify" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == aws_secretsmanager_secret_version.origin_header.secret_string
    )
    error_message = "The only origin is the ALB over HTTPS with the secret origin header."
  }

  assert {
    condition = (
      data.aws_cloudfront_cache_policy.caching_disabled.name == "Managed-CachingDisabled" &&
      data.aws_cloudfront_origin_request_policy.all_viewer.name == "Managed-AllViewer" &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].cache_policy_id == data.aws_cloudfront_cache_policy.caching_disabled.id &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].origin_request_policy_id == data.aws_cloudfront_origin_request_policy.all_viewer.id &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].allowed_methods == toset(["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]) &&
      aws_cloudfront_distribution.this.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https"
    )
    error_message = "The default behaviour must disable caching, forward everything (AllViewer) and allow all 7 methods."
  }

  assert {
    condition = (
      length([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/static/*"]) == 1 &&
      one([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/static/*"]).cache_policy_id == aws_cloudfront_cache_policy.static.id &&
      one([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/static/*"]).compress == true &&
      aws_cloudfront_cache_policy.static.default_ttl >= 86400 &&
      aws_cloudfront_cache_policy.static.max_ttl == 31536000 &&
      one(one(aws_cloudfront_cache_policy.static.parameters_in_cache_key_and_forwarded_to_origin).headers_config).headers[0].items == toset(["Host"])
    )
    error_message = "/static/* must be cached with a long TTL, compressed, and keyed by Host (the LMS and CMS serve different files)."
  }

  assert {
    condition = (
      length([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/asset-v1:*"]) == 1 &&
      one([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/asset-v1:*"]).cache_policy_id == data.aws_cloudfront_cache_policy.caching_disabled.id &&
      one([for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b if b.path_pattern == "/asset-v1:*"]).origin_request_policy_id == data.aws_cloudfront_origin_request_policy.all_viewer.id &&
      aws_cloudfront_distribution.this.ordered_cache_behavior[0].path_pattern == "/asset-v1:*"
    )
    error_message = "/asset-v1:* (locked course assets) must never be cached, forward cookies, and come first."
  }

  assert {
    condition = (
      aws_cloudfront_distribution.this.logging_config[0].prefix == "cloudfront/" &&
      aws_s3_bucket_ownership_controls.logs.rule[0].object_ownership == "BucketOwnerPreferred"
    )
    error_message = "CloudFront access logs need a bucket whose ownership controls keep ACLs enabled."
  }

  assert {
    condition     = aws_cloudfront_distribution.this.web_acl_id == "arn:aws:wafv2:us-east-1:111122223333:global/webacl/demo-edge/0000-mock"
    error_message = "CloudFront must use the us-east-1 web ACL."
  }

  assert {
    condition     = output.cloudfront_domain_name == "d111111abcdef8.cloudfront.net"
    error_message = "cloudfront_domain_name must come from the distribution."
  }

  # WAF rules and the CMS upload exception.
  assert {
    condition = (
      aws_wafv2_web_acl.this.scope == "CLOUDFRONT" &&
      startswith(aws_wafv2_web_acl.this.arn, "arn:aws:wafv2:us-east-1:")
    )
    error_message = "The web ACL must have scope CLOUDFRONT and be created through the us-east-1 provider."
  }

  assert {
    condition = alltrue([
      for group in ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"] :
      length([
        for r in aws_wafv2_web_acl.this.rule : r
        if try(r.statement[0].managed_rule_group_statement[0].name == group && r.statement[0].managed_rule_group_statement[0].vendor_name == "AWS", false)
      ]) == 1
    ])
    error_message = "The web ACL must use the common, known-bad-inputs, SQL injection and IP reputation managed rule groups."
  }

  assert {
    condition = length([
      for r in aws_wafv2_web_acl.this.rule : r
      if try(r.statement[0].rate_based_statement[0].limit == 5000 && r.statement[0].rate_based_statement[0].aggregate_key_type == "IP" && length(r.action[0].block) == 1, false)
    ]) == 1
    error_message = "The web ACL must block clients over the per-IP rate limit."
  }

  # SizeRestrictions_BODY counts inside the common set ...
  assert {
    condition = contains([
      for o in one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "AWSManagedRulesCommonRuleSet"]).statement[0].managed_rule_group_statement[0].rule_action_override :
      o.name if length(o.action_to_use[0].count) == 1
    ], "SizeRestrictions_BODY")
    error_message = "SizeRestrictions_BODY must be overridden to count inside the common rule set."
  }

  # ... and our rule blocks its label on every host but the exempt ones (CMS included).
  assert {
    condition = (
      length(one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "SizeRestrictions_BODY-except-exempt-hosts"]).action[0].block) == 1 &&
      one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "SizeRestrictions_BODY-except-exempt-hosts"]).statement[0].and_statement[0].statement[0].label_match_statement[0].key == "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" &&
      one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "SizeRestrictions_BODY-except-exempt-hosts"]).statement[0].and_statement[0].statement[1].not_statement[0].statement[0].regex_pattern_set_reference_statement[0].field_to_match[0].single_header[0].name == "host" &&
      one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "SizeRestrictions_BODY-except-exempt-hosts"]).priority > one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "AWSManagedRulesCommonRuleSet"]).priority
    )
    error_message = "A rule after the common set must block the SizeRestrictions_Body label unless the Host is exempt."
  }

  assert {
    condition     = contains([for re in aws_wafv2_regex_pattern_set.exempt_hosts["SizeRestrictions_BODY"].regular_expression : re.regex_string], "^studio\\.learn\\.example\\.com(:443)?$")
    error_message = "The CMS host must be exempt from the body size rule (Studio uploads, course import)."
  }

  assert {
    condition     = !contains([for re in aws_wafv2_regex_pattern_set.exempt_hosts["SizeRestrictions_BODY"].regular_expression : re.regex_string], "^apps\\.learn\\.example\\.com(:443)?$")
    error_message = "The MFE host must stay under the body size rule."
  }

  assert {
    condition = (
      aws_wafv2_regex_pattern_set.exempt_hosts["SizeRestrictions_BODY"].scope == "CLOUDFRONT" &&
      startswith(aws_cloudwatch_log_group.waf.name, "aws-waf-logs-") &&
      startswith(aws_cloudwatch_log_group.waf.arn, "arn:aws:logs:us-east-1:") &&
      aws_wafv2_web_acl_logging_configuration.this.log_destination_configs == toset([aws_cloudwatch_log_group.waf.arn])
    )
    error_message = "WAF logs must go to an aws-waf-logs-* group in us-east-1."
  }

  # No Route53 zone given: no DNS records.
  assert {
    condition     = length(aws_route53_record.validation) == 0 && length(aws_route53_record.alias) == 0
    error_message = "Without a zone id, no DNS records are managed."
  }

  # Origin header, generation 1.
  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "firstApplySlot1" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "firstApplySlot1" &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["firstApplySlot1"])
    )
    error_message = "Generation 1: CloudFront sends, the ALB accepts and the secret holds one value only."
  }
}

run "origin_header_rotation_window" {
  command = apply

  variables {
    origin_header_generation      = 2
    origin_header_accept_previous = true
  }

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "secondApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "secondApplySlot1" }
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "secondApplySlot0" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "secondApplySlot0"
    )
    error_message = "Generation 2: CloudFront sends the newly drawn value and the secret holds it."
  }

  assert {
    condition     = one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["secondApplySlot0", "firstApplySlot1"])
    error_message = "During the rotation window the ALB accepts the new value and the previous one (kept, not redrawn)."
  }
}

run "origin_header_rotation_done" {
  # A plan on the window's state shows what the next apply would set, without applying
  # it: the kept slot values come from the state, so they are known. Were a slot redrawn,
  # its value would be new or unknown in the plan, and the run fails either way.
  command = plan

  variables {
    origin_header_generation      = 2
    origin_header_accept_previous = false
  }

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "thirdApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "thirdApplySlot1" }
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "secondApplySlot0" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "secondApplySlot0" &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["secondApplySlot0"])
    )
    error_message = "After the window only the current value passes, and a re-apply keeps it."
  }
}
