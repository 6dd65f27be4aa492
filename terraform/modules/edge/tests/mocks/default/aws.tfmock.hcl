# Mock values for the default (stack region) AWS provider configuration.
mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}
mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_ec2_managed_prefix_list" {
  defaults = { id = "pl-3b927c52", name = "com.amazonaws.global.cloudfront.origin-facing" }
}
mock_data "aws_elb_service_account" {
  defaults = { arn = "arn:aws:iam::156460612806:root" }
}
mock_data "aws_cloudfront_cache_policy" {
  defaults = { id = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" }
}
mock_data "aws_cloudfront_origin_request_policy" {
  defaults = { id = "216adef6-5c7f-47e4-b989-5492eafa07d3" }
}
mock_data "aws_secretsmanager_random_password" {
  defaults = { random_password = "mockOriginHeaderValue0123456789abcdefABCDEF0123" }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:demo-edge-origin-header-AbCdEf" }
}
mock_resource "aws_acm_certificate" {
  defaults = { arn = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000001" }
}
mock_resource "aws_lb" {
  defaults = {
    arn      = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/demo-edge/0123456789abcdef"
    dns_name = "demo-edge-123456789.eu-west-1.elb.amazonaws.com"
  }
}
mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/demo-nginx/0123456789abcdef" }
}
mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/demo-edge/0123456789abcdef/0123456789abcdef" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::demo-edge-logs-111122223333-eu-west-1" }
}
mock_resource "aws_cloudfront_distribution" {
  defaults = {
    arn            = "arn:aws:cloudfront::111122223333:distribution/E1MOCK"
    domain_name    = "d111111abcdef8.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}
