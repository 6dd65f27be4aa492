# Mock values for the us-east-1 provider configuration (CloudFront certificate, WAF, WAF logs).
mock_resource "aws_acm_certificate" {
  defaults = { arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000002" }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/demo-edge/0000-mock" }
}
mock_resource "aws_wafv2_regex_pattern_set" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:111122223333:global/regexpatternset/mock/0000-mock" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-demo" }
}
