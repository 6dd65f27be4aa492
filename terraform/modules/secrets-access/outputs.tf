output "role_arn" {
  description = "ARN of the operator's role (null when create = false)."
  value       = var.create ? aws_iam_role.this[0].arn : null
}

output "read_policy_json" {
  description = "The role's inline policy, as sent to IAM (null when create = false)."
  value       = var.create ? aws_iam_role_policy.read[0].policy : null
}

output "trust_policy_json" {
  description = "The role's trust policy (null when create = false)."
  value       = var.create ? aws_iam_role.this[0].assume_role_policy : null
}
