# The operator's role reads exactly this deployment's secrets (mocked AWS provider: the
# policy documents are computed by the provider's own data sources, so they are real).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/openedx-prod-external-secrets"
    }
  }
}

variables {
  name         = "openedx-prod"
  cluster_name = "openedx-prod-eks"
  secret_arns = [
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openedx-prod/redis-auth-AbCdEf",
  ]
}

run "policy_names_only_the_deployment_secrets" {
  command = plan

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.read[0].policy).Statement) == 1
    error_message = "one statement without a KMS key"
  }
  assert {
    condition     = toset(jsondecode(aws_iam_role_policy.read[0].policy).Statement[0].Resource) == toset(var.secret_arns)
    error_message = "the policy must name exactly the deployment's secret ARNs"
  }
  assert {
    condition     = alltrue([for r in jsondecode(aws_iam_role_policy.read[0].policy).Statement[0].Resource : !strcontains(r, "*")])
    error_message = "no wildcard resource"
  }
  assert {
    condition     = alltrue([for a in jsondecode(aws_iam_role_policy.read[0].policy).Statement[0].Action : contains(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], a)])
    error_message = "read-only Secrets Manager actions only"
  }
  assert {
    condition     = aws_eks_pod_identity_association.this[0].namespace == "external-secrets" && aws_eks_pod_identity_association.this[0].service_account == "external-secrets"
    error_message = "the association binds the operator's service account"
  }
}

run "trust_is_pod_identity_of_this_account" {
  command = plan

  assert {
    condition     = jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Principal == { Service = "pods.eks.amazonaws.com" } && jsondecode(aws_iam_role.this[0].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "only EKS Pod Identity may assume the role"
  }
}

run "kms_key_only_through_secrets_manager" {
  command = plan

  variables {
    kms_key_arns = ["arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1234-5678-9abc-def012345678"]
  }

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.read[0].policy).Statement) == 2
    error_message = "a KMS statement when a key is given"
  }
}

run "wildcard_arn_is_refused" {
  command = plan

  variables {
    secret_arns = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:*"]
  }

  expect_failures = [var.secret_arns]
}
