# The External Secrets Operator's AWS identity: a role that EKS Pod Identity hands to the
# operator's controller pods, allowed to read exactly the secrets of this deployment
# (their full ARNs, never a wildcard or a name prefix that another deployment could
# share). ESO's SecretStore then carries no `auth` block: the controller's credentials.

data "aws_caller_identity" "this" {
  count = var.create ? 1 : 0
}

data "aws_region" "this" {
  count = var.create ? 1 : 0
}

locals {
  # Policies written as HCL objects (not aws_iam_policy_document) so that a plan with a
  # mocked provider still computes them, and the tests read the real documents.
  trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EksPodIdentity"
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
      # Only this account's Pod Identity agent may hand the role out.
      Condition = {
        StringEquals = { "aws:SourceAccount" = one(data.aws_caller_identity.this[*].account_id) }
      }
    }]
  }

  read_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid    = "ReadThisDeploymentsSecrets"
        Effect = "Allow"
        # What ESO's AWS provider calls for a SecretStore that only reads (no PushSecret).
        Action = [
          "secretsmanager:GetSecretValue",
          "secretsmanager:DescribeSecret",
          "secretsmanager:ListSecretVersionIds",
        ]
        Resource = var.secret_arns
      }],
      length(var.kms_key_arns) == 0 ? [] : [{
        Sid      = "DecryptThroughSecretsManager"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = var.kms_key_arns
        Condition = {
          StringEquals = {
            "kms:ViaService" = "secretsmanager.${one(data.aws_region.this[*].name)}.amazonaws.com"
          }
        }
      }],
    )
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name               = "${var.name}-external-secrets"
  description        = "External Secrets Operator of ${var.name}: reads this deployment's data-store secrets"
  assume_role_policy = jsonencode(local.trust_policy)
  tags               = var.tags
}

resource "aws_iam_role_policy" "read" {
  count = var.create ? 1 : 0

  name   = "read-deployment-secrets"
  role   = aws_iam_role.this[0].id
  policy = jsonencode(local.read_policy)
}

resource "aws_eks_pod_identity_association" "this" {
  count = var.create ? 1 : 0

  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = aws_iam_role.this[0].arn
  tags            = var.tags
}
