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

variable "lms_host" {
  description = "Public LMS host (Tutor's LMS_HOST): primary name of the edge certificates and a CloudFront alias."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.lms_host)) && length(var.lms_host) <= 253
    error_message = "lms_host must be a lower-case, fully qualified DNS name such as learn.example.com (no scheme, port or wildcard)."
  }
}

variable "cms_host" {
  description = "Public Studio host (Tutor's CMS_HOST): on the edge certificates and a CloudFront alias; exempt from the WAF body-size rule (uploads, course import)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.cms_host)) && length(var.cms_host) <= 253
    error_message = "cms_host must be a lower-case, fully qualified DNS name such as learn.example.com (no scheme, port or wildcard)."
  }
}

variable "mfe_host" {
  description = "Public MFE host (Tutor's MFE_HOST): on the edge certificates and a CloudFront alias."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.mfe_host)) && length(var.mfe_host) <= 253
    error_message = "mfe_host must be a lower-case, fully qualified DNS name such as learn.example.com (no scheme, port or wildcard)."
  }
}

variable "meilisearch_host" {
  description = "Public Meilisearch host (Tutor's MEILISEARCH_HOST): Studio's browser queries Meilisearch there, through CloudFront and the ingress to the Meilisearch instance."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.meilisearch_host)) && length(var.meilisearch_host) <= 253
    error_message = "meilisearch_host must be a lower-case, fully qualified DNS name such as learn.example.com (no scheme, port or wildcard)."
  }
}

variable "route53_zone_id" {
  description = "Route53 hosted zone holding the four hosts: the edge then writes the ACM validation records and A/AAAA aliases to CloudFront. Null or \"\" (the driver's empty setting): create the validation CNAMEs (output certificate_validation_records) while apply waits, and point the hosts at cloudfront_domain_name yourself."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || var.route53_zone_id == "" || can(regex("^Z[0-9A-Z]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ, or null (\"\" also means none)."
  }
}

variable "alb_log_delivery_principal" {
  description = "Who writes the edge ALB's access logs: 'elb-account' (the regional Elastic Load Balancing account; regions opened before August 2022) or 'service' (logdelivery.elasticloadbalancing.amazonaws.com; regions opened since, such as eu-central-2 or ap-southeast-4)."
  type        = string
  default     = "elb-account"

  validation {
    condition     = contains(["elb-account", "service"], var.alb_log_delivery_principal)
    error_message = "alb_log_delivery_principal must be elb-account or service."
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

variable "network_policies" {
  description = "Enforce Kubernetes NetworkPolicies with the VPC CNI (EKS_NETWORK_POLICIES; the plugin renders the policies)."
  type        = bool
  default     = true
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

variable "origin_header_generation" {
  description = "Generation of the secret origin header between CloudFront and the ALB; raise it by one to rotate the value (docs/edge-and-cluster.md)."
  type        = number
  default     = 1
}

variable "origin_header_accept_previous" {
  description = "During an origin header rotation, the ALB also accepts the previous value until CloudFront has deployed the new one; set false again afterwards."
  type        = bool
  default     = false
}

variable "opensearch_create_service_linked_role" {
  description = "Create the account-wide OpenSearch service-linked role (needed once per account for VPC domains); false when the account already has AWSServiceRoleForAmazonOpenSearchService."
  type        = bool
  default     = true
}
