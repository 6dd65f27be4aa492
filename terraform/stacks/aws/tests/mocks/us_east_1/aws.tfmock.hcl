# Mock values for the `aws.us_east_1` provider configuration: the edge's CloudFront
# certificate, WAF web ACL, its regex pattern sets and its log group. Every ARN names
# us-east-1, so an assertion on an ARN shows which configuration created the resource.

mock_resource "aws_acm_certificate" {
  defaults = {
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000002"
  }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = {
    arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/mock-edge/0000-mock"
  }
}

mock_resource "aws_wafv2_regex_pattern_set" {
  defaults = {
    arn = "arn:aws:wafv2:us-east-1:123456789012:global/regexpatternset/mock/0000-mock"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-mock"
  }
}

# Observability: the edge alert topic of the CloudFront and WAF alarms.
mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:us-east-1:123456789012:mock-edge-alerts"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-666666666666"
  }
}
