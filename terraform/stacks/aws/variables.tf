variable "name" {
  description = "Name of the deployment: EKS cluster name and prefix of every resource (Tutor's EKS_NAME)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be 2-21 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "region" {
  description = "AWS region of the deployment (e.g. eu-west-1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "profile" {
  description = "Sizing and redundancy profile: small (one NAT, single-AZ data stores, burstable instances, no deletion protection) or production (Multi-AZ everything, deletion protection, longer retention). See profiles.tf."
  type        = string
  default     = "small"

  validation {
    condition     = contains(["small", "production"], var.profile)
    error_message = "profile must be small or production."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS cluster (see modules/eks/README.md for the choice)."
  type        = string
  default     = "1.35"

  validation {
    condition     = contains(["1.35", "1.36"], var.kubernetes_version)
    error_message = "kubernetes_version must be a version in EKS standard support: 1.35 or 1.36."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC (/16 to /18)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR."
  }
}

variable "availability_zones" {
  description = "Optional explicit zone names (2 or 3). Empty: the first three zones of the region, sorted by name."
  type        = list(string)
  default     = []
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint (where `tutor k8s` and stage 2 run from). Empty: private endpoint only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.cluster_endpoint_public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "cluster_endpoint_public_access_cidrs must be valid IPv4 CIDRs other than 0.0.0.0/0."
  }
}

variable "cluster_admin_arns" {
  description = "Extra IAM roles or users made cluster admins through EKS access entries (the identity running Terraform always is)."
  type        = list(string)
  default     = []
}

variable "bring_your_own_mongodb" {
  description = "true when MongoDB is provided outside this stack (Atlas, EC2): no DocumentDB is created and the mongodb_* outputs are null."
  type        = bool
  default     = false
}

variable "opensearch_enabled" {
  description = "Create an Amazon OpenSearch domain (opt-in extra search backend)."
  type        = bool
  default     = false
}

variable "media_bucket_enabled" {
  description = "Create an S3 bucket for media (opt-in; EFS holds media by default)."
  type        = bool
  default     = false
}

variable "spot_nodes_enabled" {
  description = "Add a tainted spot node group for interruption-tolerant workers."
  type        = bool
  default     = false
}

variable "openedx_namespace" {
  description = "Kubernetes namespace of Open edX (Tutor's K8S_NAMESPACE)."
  type        = string
  default     = "openedx"
}

variable "openedx_service_account" {
  description = "Service account of the Open edX pods that get the media role through Pod Identity."
  type        = string
  default     = "openedx"
}

variable "meilisearch_binary_sha256" {
  description = "Optional SHA-256 of the Meilisearch release binary, checked by the instance at install."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
