variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must start with a letter and hold only letters, digits and '-' (at most 100 characters)."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the nodes. 1.35 is the newest EKS version whose standard-support window (until 2027-03-27) is published; see README.md before changing it."
  type        = string
  default     = "1.35"

  validation {
    # Only versions in EKS standard support on 2026-11-28: 1.34 leaves it on
    # 2026-12-02, so it is refused; 1.36 is accepted for clusters created after
    # EKS published it.
    condition     = contains(["1.35", "1.36"], var.kubernetes_version)
    error_message = "kubernetes_version must be a version in EKS standard support: 1.35 or 1.36."
  }
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the control-plane ENIs and the nodes (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint (the operator's and CI's addresses). Empty: the endpoint is private only and stage 2 must run from inside the VPC."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "endpoint_public_access_cidrs must be valid IPv4 CIDRs, and 0.0.0.0/0 is refused: list the addresses that administer the cluster."
  }
}

variable "kms_key_arn" {
  description = "KMS key for envelope encryption of Kubernetes secrets and for the control-plane log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the control-plane logs (the default, one year, meets common audit baselines; the stack sets it per profile)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "node_instance_types" {
  description = "Instance types of the on-demand node group (first one preferred)."
  type        = list(string)
  default     = ["m6i.xlarge"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types needs at least one instance type."
  }
}

variable "node_min_size" {
  description = "Minimum number of on-demand nodes."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 1
    error_message = "node_min_size must be at least 1: CoreDNS and the controllers need somewhere to run."
  }
}

variable "node_desired_size" {
  description = "Initial number of on-demand nodes (later driven by the cluster autoscaler, so changes are ignored)."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum number of on-demand nodes."
  type        = number
  default     = 6

  validation {
    condition     = var.node_max_size >= 1
    error_message = "node_max_size must be at least 1."
  }
}

variable "node_disk_size" {
  description = "Size in GiB of each node's encrypted gp3 root volume (container images live there)."
  type        = number
  default     = 50

  validation {
    condition     = var.node_disk_size >= 20 && var.node_disk_size <= 1000
    error_message = "node_disk_size must be between 20 and 1000 GiB."
  }
}

variable "spot_enabled" {
  description = "Add a second managed node group on spot capacity (for workers that tolerate interruption)."
  type        = bool
  default     = false
}

variable "spot_instance_types" {
  description = "Instance types of the spot node group: several similar types improve the chance of capacity."
  type        = list(string)
  default     = ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m7i.xlarge"]

  validation {
    condition     = length(var.spot_instance_types) > 0
    error_message = "spot_instance_types needs at least one instance type."
  }
}

variable "spot_max_size" {
  description = "Maximum number of spot nodes."
  type        = number
  default     = 4

  validation {
    condition     = var.spot_max_size >= 1
    error_message = "spot_max_size must be at least 1."
  }
}

variable "metadata_hop_limit" {
  description = "IMDSv2 response hop limit on the nodes. 1 (default) keeps pods away from the node role: pods get AWS credentials from Pod Identity, and the EBS CSI node plugin falls back to Kubernetes metadata. 2 lets containers without host networking read instance metadata."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2], var.metadata_hop_limit)
    error_message = "metadata_hop_limit must be 1 or 2."
  }
}

variable "openedx_namespace" {
  description = "Kubernetes namespace Open edX runs in (Tutor's K8S_NAMESPACE)."
  type        = string
  default     = "openedx"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.openedx_namespace))
    error_message = "openedx_namespace must be a valid Kubernetes namespace name."
  }
}

variable "openedx_service_account" {
  description = "Service account of the Open edX pods that receive the media role through Pod Identity."
  type        = string
  default     = "openedx"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.openedx_service_account))
    error_message = "openedx_service_account must be a valid Kubernetes name."
  }
}

variable "media_bucket_enabled" {
  description = "Whether an S3 media bucket exists (known at plan time; grants the media role access to media_bucket_arn)."
  type        = bool
  default     = false
}

variable "media_bucket_arn" {
  description = "ARN of the S3 media bucket the Open edX pods may use (only read when media_bucket_enabled)."
  type        = string
  default     = null
}

variable "network_policy_enabled" {
  description = "Run the VPC CNI add-on with network policy enforcement (its node agent enforces Kubernetes NetworkPolicies, so no other CNI or policy engine is needed)."
  type        = bool
  default     = true
}

variable "addon_versions" {
  description = "Optional pinned versions of EKS add-ons by name (e.g. { coredns = \"v1.12.4-eksbuild.1\" }). Unlisted add-ons get the default version EKS publishes for the cluster's Kubernetes version."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.addon_versions) : contains([
      "vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns",
      "aws-ebs-csi-driver", "aws-efs-csi-driver", "metrics-server",
    ], k)])
    error_message = "addon_versions keys must be add-ons this module installs."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "cluster_admin_arns" {
  description = "IAM principals (roles or users) given cluster-admin through EKS access entries, besides the identity that creates the cluster."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cluster_admin_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "cluster_admin_arns must be IAM role or user ARNs."
  }
}
