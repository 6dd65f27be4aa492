variable "create" {
  description = "Create the role, its policy and the Pod Identity association."
  type        = bool
  default     = true
}

variable "name" {
  description = "Instance name (EKS_NAME): prefix of the role and policy names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name must be 1-31 lower-case letters, digits or '-', starting with a letter."
  }
}

variable "cluster_name" {
  description = "EKS cluster whose Pod Identity agent hands the role to the operator's pods."
  type        = string
}

variable "namespace" {
  description = "Namespace of the External Secrets Operator."
  type        = string
  default     = "external-secrets"
}

variable "service_account" {
  description = "Service account of the External Secrets Operator's controller."
  type        = string
  default     = "external-secrets"
}

variable "secret_arns" {
  description = "ARNs of the Secrets Manager secrets the operator may read: this deployment's, nothing else."
  type        = list(string)

  validation {
    condition = alltrue([
      for arn in var.secret_arns :
      can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$", arn))
    ])
    error_message = "secret_arns must be full Secrets Manager secret ARNs (no wildcard): the operator reads only this deployment's secrets."
  }
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys that encrypt the secrets (empty: the AWS-managed aws/secretsmanager key, which needs no grant)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "kms_key_arns must be KMS key ARNs (no alias, no wildcard)."
  }
}

variable "tags" {
  description = "Tags of the role and policy."
  type        = map(string)
  default     = {}
}
