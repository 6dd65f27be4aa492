# Every plan-only run of the edge module, in one file: the runs never apply, so they all
# plan from an empty state (no refresh of applied resources, and the certificate is planned
# with the DNS run's overridden validation options), against the real AWS provider schema
# with both provider configurations mocked.

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

# Two inputs that touch different resources, planned together: a Route53 zone (the DNS
# records) and the count-only WAF rollout (the web ACL's rule actions). Plan only: the
# certificate overrides must apply at plan time (as the real provider computes the
# validation options then), and the rule actions come from the inputs, not from AWS.
run "route53_zone_and_count_only_rollout" {
  command = plan

  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
    waf_count_only  = true
  }

  override_resource {
    target = aws_acm_certificate.regional
    # The provider computes the validation options at plan time; the mock must too.
    override_during = plan
    values = {
      arn = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000001"
      domain_validation_options = [
        for h in ["learn.example.com", "studio.learn.example.com", "apps.learn.example.com", "search.learn.example.com"] : {
          domain_name           = h
          resource_record_name  = "_x1.${h}."
          resource_record_type  = "CNAME"
          resource_record_value = "_y1.acm-validations.aws."
        }
      ]
    }
  }

  override_resource {
    target          = aws_cloudfront_distribution.this
    override_during = plan
    values = {
      domain_name    = "d111111abcdef8.cloudfront.net"
      hosted_zone_id = "Z2FDTNDATAQYW2"
    }
  }

  assert {
    condition     = length(aws_route53_record.validation) == 4 && aws_route53_record.validation["studio.learn.example.com"].name == "_x1.studio.learn.example.com." && aws_route53_record.validation["studio.learn.example.com"].records == toset(["_y1.acm-validations.aws."])
    error_message = "One validation record per host, taken from the certificate's validation options."
  }

  assert {
    condition = (
      length(aws_route53_record.alias) == 8 &&
      aws_route53_record.alias["learn.example.com/AAAA"].type == "AAAA" &&
      one(aws_route53_record.alias["learn.example.com/AAAA"].alias).name == "d111111abcdef8.cloudfront.net" &&
      one(aws_route53_record.alias["learn.example.com/A"].alias).zone_id == "Z2FDTNDATAQYW2"
    )
    error_message = "Every host gets A and AAAA aliases to the distribution."
  }

  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule :
      (length(r.override_action) == 1 ? length(r.override_action[0].count) == 1 : length(r.action[0].count) == 1)
      if r.name != "AWSManagedRulesKnownBadInputsRuleSet"
    ])
    error_message = "waf_count_only must put every rule but the known-bad-inputs group in count mode."
  }

  assert {
    condition     = length(one([for r in aws_wafv2_web_acl.this.rule : r if r.name == "AWSManagedRulesKnownBadInputsRuleSet"]).override_action[0].none) == 1
    error_message = "Known bad inputs (Log4Shell) must keep blocking during a count-only rollout."
  }
}

# Input validation: one run sets five invalid variables and lists all five in
# expect_failures; terraform fails the run if any listed variable does not report its
# validation error, so each rejection is still proven on its own (two rejections of the
# same variable would need two runs). Last in the file: a run that ends in an error skips
# the runs after it.
run "rejects_invalid_inputs" {
  command = plan

  variables {
    # A body-size exemption that leaves out the CMS (Studio uploads would be blocked).
    waf_host_scoped_common_rules = { SizeRestrictions_BODY = ["lms"] }
    hosts = {
      lms         = "learn.example.com"
      cms         = "learn.example.com"
      mfe         = "apps.learn.example.com"
      meilisearch = "search.learn.example.com"
    }
    vpc_cidr_blocks          = ["10.40.0.0/16", "2001:db8::/56", "10.40.0.0/16"]
    name                     = "a-name-far-too-long-for-alb"
    origin_header_generation = 0
  }

  expect_failures = [
    var.waf_host_scoped_common_rules,
    var.hosts,
    var.vpc_cidr_blocks,
    var.name,
    var.origin_header_generation,
  ]
}
