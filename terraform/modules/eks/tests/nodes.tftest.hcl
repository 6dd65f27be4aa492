# `terraform test` of the eks module's node launch template against the real AWS provider
# schema (mocked); plan only.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.0.0-eksbuild.1" }
  }
}

variables {
  cluster_name = "demo"
  vpc_id       = "vpc-0123456789abcdef0"
  subnet_ids   = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "node_volumes_use_the_deployment_key" {
  command = plan

  assert {
    condition = (
      one(aws_launch_template.nodes.block_device_mappings).device_name == "/dev/xvda" &&
      one(one(aws_launch_template.nodes.block_device_mappings).ebs).encrypted == "true" &&
      one(one(aws_launch_template.nodes.block_device_mappings).ebs).kms_key_id == var.kms_key_arn
    )
    error_message = "Node root volumes are encrypted with the deployment key, not aws/ebs."
  }

  assert {
    condition     = aws_cloudwatch_log_group.cluster.retention_in_days == 365 && aws_cloudwatch_log_group.cluster.kms_key_id == var.kms_key_arn
    error_message = "The control-plane log group keeps logs a year by default, encrypted with the deployment key."
  }
}
