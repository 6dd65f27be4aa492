# `terraform test` of the VPC CNI add-on configuration against the real AWS provider
# schema (mocked); plan only. The plugin's NetworkPolicies are only enforced when the
# VPC CNI runs its network policy agent.

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

run "vpc_cni_enforces_network_policies" {
  command = plan

  assert {
    condition     = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "The VPC CNI add-on runs with enableNetworkPolicy=\"true\" by default."
  }
}

run "network_policies_off" {
  command = plan

  variables {
    network_policy_enabled = false
  }

  assert {
    condition     = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "false"
    error_message = "Turning network policies off writes enableNetworkPolicy=\"false\" (a change EKS applies), not an absent value."
  }
}
