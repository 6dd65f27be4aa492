# WAF on CloudFront (scope CLOUDFRONT lives in us-east-1).
#
# Studio uploads and course imports: the common rule set's SizeRestrictions_BODY blocks
# every body over 8 KB. Choice: label-based re-enforcement rather than a scope-down
# statement. The rule is set to count inside the group (it still labels the request),
# then a rule of ours blocks requests carrying that label unless the Host is one of the
# exempt hosts (CMS always). A scope-down statement would take the CMS host out of the
# WHOLE common rule set (XSS, LFI, RFI, bad bots ...); the label rule relaxes only the
# one rule, only on the listed hosts, and the same mechanism serves the other body rules
# of var.waf_host_scoped_common_rules.

locals {
  common_rule_set = "AWSManagedRulesCommonRuleSet"

  # Evaluation order: cheap reputation and rate checks first, then the inspections.
  # AWSManagedRulesKnownBadInputsRuleSet (priority 60) is written out below: it always
  # blocks, even with waf_count_only (Log4Shell and similar payloads, near-zero false
  # positives).
  managed_rule_groups = {
    AWSManagedRulesAmazonIpReputationList = 10
    AWSManagedRulesCommonRuleSet          = 30
    AWSManagedRulesSQLiRuleSet            = 70
  }
  known_bad_inputs = "AWSManagedRulesKnownBadInputsRuleSet"

  # Rules to count inside each managed group.
  count_overrides = {
    for group in concat(keys(local.managed_rule_groups), [local.known_bad_inputs]) : group => distinct(concat(
      group == local.common_rule_set ? keys(var.waf_host_scoped_common_rules) : [],
      lookup(var.waf_count_overrides, group, []),
    ))
  }

  # Our re-enforcement rules, one per relaxed body rule, right after the common set.
  host_scoped_rules = {
    for i, rule in sort(keys(var.waf_host_scoped_common_rules)) : rule => {
      priority = 40 + i
      # The managed rule names end in _BODY, the labels they add in _Body.
      label        = "awswaf:managed:aws:core-rule-set:${replace(rule, "_BODY", "_Body")}"
      exempt_hosts = [for key in var.waf_host_scoped_common_rules[rule] : var.hosts[key]]
    }
  }
}

resource "aws_wafv2_regex_pattern_set" "exempt_hosts" {
  for_each = local.host_scoped_rules
  provider = aws.us_east_1

  name        = "${var.name}-${replace(lower(each.key), "_", "-")}-exempt"
  description = "Hosts on which ${each.key} of the common rule set is not enforced"
  scope       = "CLOUDFRONT"

  dynamic "regular_expression" {
    for_each = each.value.exempt_hosts
    content {
      # Exact host, optionally with the default HTTPS port.
      regex_string = "^${replace(regular_expression.value, ".", "\\.")}(:443)?$"
    }
  }

  tags = local.tags
}

resource "aws_wafv2_web_acl" "this" {
  provider = aws.us_east_1

  name        = "${var.name}-edge"
  description = "Open edX edge protection for ${var.hosts.lms}"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value

      override_action {
        dynamic "none" {
          for_each = var.waf_count_only ? [] : [1]
          content {}
        }
        dynamic "count" {
          for_each = var.waf_count_only ? [1] : []
          content {}
        }
      }

      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"

          dynamic "rule_action_override" {
            for_each = local.count_overrides[rule.key]
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = local.known_bad_inputs
    priority = 60

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = local.known_bad_inputs
        vendor_name = "AWS"

        dynamic "rule_action_override" {
          for_each = local.count_overrides[local.known_bad_inputs]
          content {
            name = rule_action_override.value
            action_to_use {
              count {}
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-${local.known_bad_inputs}"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 20

    action {
      dynamic "block" {
        for_each = var.waf_count_only ? [] : [1]
        content {
          custom_response {
            response_code = 429
          }
        }
      }
      dynamic "count" {
        for_each = var.waf_count_only ? [1] : []
        content {}
      }
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_rate_limit
        evaluation_window_sec = 300
        aggregate_key_type    = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.host_scoped_rules
    content {
      name     = "${rule.key}-except-exempt-hosts"
      priority = rule.value.priority

      action {
        dynamic "block" {
          for_each = var.waf_count_only ? [] : [1]
          content {}
        }
        dynamic "count" {
          for_each = var.waf_count_only ? [1] : []
          content {}
        }
      }

      statement {
        and_statement {
          statement {
            label_match_statement {
              scope = "LABEL"
              key   = rule.value.label
            }
          }

          statement {
            not_statement {
              statement {
                regex_pattern_set_reference_statement {
                  arn = aws_wafv2_regex_pattern_set.exempt_hosts[rule.key].arn

                  field_to_match {
                    single_header {
                      name = "host"
                    }
                  }

                  text_transformation {
                    priority = 0
                    type     = "LOWERCASE"
                  }
                }
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}-except-exempt-hosts"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-edge"
    sampled_requests_enabled   = true
  }

  tags = local.tags
}
