# External Secrets Operator (docs/secrets.md): copies the data-store secrets of stage 1
# from AWS Secrets Manager into the Kubernetes Secret the Open edX pods read, so that
# no password is in config.yml, a ConfigMap or a Job spec (EKS_SECRETS_SOURCE).
# The plugin renders the SecretStore and ExternalSecret (templates/eks/k8s/secrets.yml);
# the operator reads with its own Pod Identity role, limited to this deployment's
# secret ARNs (terraform/modules/secrets-access).

variable "secrets_source" {
  description = "EKS_SECRETS_SOURCE: 'secretsmanager' gives the operator its read role; 'config' installs the operator without one."
  type        = string
  default     = "secretsmanager"

  validation {
    condition     = contains(["config", "secretsmanager"], var.secrets_source)
    error_message = "secrets_source must be config or secretsmanager (EKS_SECRETS_SOURCE)."
  }
}

variable "mysql_admin_secret_arn" {
  description = "Stage-1 output: Secrets Manager secret of the RDS master user (managed by RDS)."
  type        = string
  default     = null
}

variable "mysql_app_secret_arn" {
  description = "Stage-1 output: Secrets Manager secret of the Open edX MySQL user's password."
  type        = string
  default     = null
}

variable "mongodb_admin_secret_arn" {
  description = "Stage-1 output: Secrets Manager secret of the DocumentDB master user (null without DocumentDB)."
  type        = string
  default     = null
}

variable "redis_auth_secret_arn" {
  description = "Stage-1 output: Secrets Manager secret of the ElastiCache AUTH token."
  type        = string
  default     = null
}

variable "meilisearch_master_key_secret_arn" {
  description = "Stage-1 output: Secrets Manager secret of the Meilisearch master key."
  type        = string
  default     = null
}

variable "external_secrets_additional_secret_arns" {
  description = "Secrets the operator may read besides the stage-1 ones (the ARNs of hand-added EKS_SECRETS_REFERENCES, e.g. the SMTP password)."
  type        = list(string)
  default     = []
}

locals {
  external_secrets_namespace       = "external-secrets"
  external_secrets_service_account = "external-secrets"

  external_secrets_arns = distinct(concat(
    compact([
      var.mysql_admin_secret_arn,
      var.mysql_app_secret_arn,
      var.mongodb_admin_secret_arn,
      var.redis_auth_secret_arn,
      var.meilisearch_master_key_secret_arn,
    ]),
    var.external_secrets_additional_secret_arns,
  ))

  # Probes on (the chart leaves liveness off), non-root with a high UID and the runtime's
  # seccomp profile for all three workloads of the chart.
  external_secrets_pod_security = { enabled = true, runAsNonRoot = true, seccompProfile = { type = "RuntimeDefault" } }
  external_secrets_security     = { runAsUser = 65532, runAsGroup = 65532 }
  # The webhook and the cert controller: hardened as the operator, and small.
  external_secrets_helper = {
    podSecurityContext = local.external_secrets_pod_security
    securityContext    = local.external_secrets_security
    livenessProbe      = { enabled = true }
    resources = {
      requests = { cpu = "10m", memory = "32Mi" }
      limits   = { memory = "128Mi" }
    }
  }

  external_secrets_values = {
    installCRDs        = true
    podSecurityContext = local.external_secrets_pod_security
    securityContext    = local.external_secrets_security
    livenessProbe      = { enabled = true }
    readinessProbe     = { enabled = true }
    # Pod Identity binds the read role to this fixed name (secrets-access module).
    serviceAccount = { create = true, name = local.external_secrets_service_account }
    replicaCount   = var.profile == "production" ? 2 : 1
    resources = {
      requests = { cpu = "20m", memory = "64Mi" }
      limits   = { memory = "256Mi" }
    }
    webhook        = merge(local.external_secrets_helper, { replicaCount = var.profile == "production" ? 2 : 1 })
    certController = local.external_secrets_helper
  }
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = "2.9.0"
  namespace        = local.external_secrets_namespace
  create_namespace = true
  timeout          = var.helm_timeout_seconds
  atomic           = true

  values = [yamlencode(local.external_secrets_values)]
}

module "external_secrets_access" {
  source = "../../modules/secrets-access"

  create          = var.secrets_source == "secretsmanager" && length(local.external_secrets_arns) > 0
  name            = var.name
  cluster_name    = var.cluster_name
  namespace       = local.external_secrets_namespace
  service_account = local.external_secrets_service_account
  secret_arns     = local.external_secrets_arns
  tags            = { "tutor-eks/deployment" = var.name }
}
