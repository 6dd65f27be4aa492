# Mock defaults for the edge module's resources (regional provider).
# Mock values for the default (stack region) AWS provider configuration.
mock_data "aws_vpc" {
  defaults = {
    cidr_block = "10.40.0.0/16"
    cidr_block_associations = [
      { association_id = "vpc-cidr-assoc-1", cidr_block = "10.40.0.0/16", state = "associated" },
      { association_id = "vpc-cidr-assoc-2", cidr_block = "100.64.0.0/16", state = "associated" },
    ]
  }
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
mock_resource "aws_cloudfront_distribution" {
  defaults = {
    arn            = "arn:aws:cloudfront::111122223333:distribution/E1MOCK"
    domain_name    = "d111111abcdef8.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}

# The edge module validates the VPC and subnet ids it is given.
mock_resource "aws_vpc" {
  defaults = {
    id = "vpc-0123456789abcdef0"
  }
}

mock_resource "aws_subnet" {
  defaults = {
    id = "subnet-0123456789abcdef0"
  }
}
