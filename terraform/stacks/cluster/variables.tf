# Inputs from stage 1 (terraform/stacks/aws). The Python driver passes the stage-1 outputs
# of the same names as tfvars (docs/outputs-contract.md); see README.md for the mapping.

variable "name" {
  description = "Deployment name (stage-1 output `name`); used in labels."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}[a-z0-9]$", var.name))
    error_message = "name must be 2-22 characters of lower-case letters, digits and '-'."
  }
}

variable "region" {
  description = "AWS region of the cluster (stage-1 output `region`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as eu-west-1."
  }
}

variable "cluster_name" {
  description = "EKS cluster name (stage-1 output `cluster_name`)."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be a valid EKS cluster name."
  }
}

variable "cluster_version" {
  description = "Kubernetes minor version of the cluster (stage-1 output `cluster_version`, e.g. \"1.33\"); picks the cluster autoscaler image."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.cluster_version))
    error_message = "cluster_version must be a Kubernetes minor version such as \"1.33\"."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster (stage-1 output `vpc_id`): its CIDRs are the addresses NGINX trusts for X-Forwarded-For (the ALB), and the AWS Load Balancer Controller needs it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "load_balancer_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller (stage-1 output `load_balancer_controller_role_arn`)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.load_balancer_controller_role_arn))
    error_message = "load_balancer_controller_role_arn must be an IAM role ARN."
  }
}

variable "cluster_autoscaler_role_arn" {
  description = "IAM role of the cluster autoscaler (stage-1 output `cluster_autoscaler_role_arn`)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.cluster_autoscaler_role_arn))
    error_message = "cluster_autoscaler_role_arn must be an IAM role ARN."
  }
}

variable "alb_target_group_arn" {
  description = "IP target group of the edge ALB (stage-1 output `alb_target_group_arn`); the TargetGroupBinding registers the NGINX pods in it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/", var.alb_target_group_arn))
    error_message = "alb_target_group_arn must be an ELBv2 target group ARN."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the edge ALB (stage-1 output `alb_security_group_id`); the TargetGroupBinding opens the NGINX pods to it."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.alb_security_group_id))
    error_message = "alb_security_group_id must look like sg-0123456789abcdef0."
  }
}

variable "efs_file_system_id" {
  description = "EFS file system for media (stage-1 output `efs_file_system_id`); the efs-sc StorageClass provisions access points in it."
  type        = string

  validation {
    condition     = can(regex("^fs-[0-9a-f]{8,17}$", var.efs_file_system_id))
    error_message = "efs_file_system_id must look like fs-0123456789abcdef0."
  }
}

variable "cloudfront_domain_name" {
  description = "CloudFront domain (stage-1 output `cloudfront_domain_name`); NGINX reports it as the address of every Ingress. Null leaves the Ingress status empty."
  type        = string
  default     = null

  validation {
    condition     = var.cloudfront_domain_name == null || can(regex("^[a-z0-9]+\\.cloudfront\\.net$", var.cloudfront_domain_name))
    error_message = "cloudfront_domain_name must be a *.cloudfront.net name or null."
  }
}

variable "target_group_deregistration_delay" {
  description = "Deregistration delay of the edge target group in seconds (stage-1 output `target_group_deregistration_delay`): the NGINX preStop sleep and termination grace are derived from it so a rollout drains before NGINX stops."
  type        = number
  default     = 60

  validation {
    condition     = var.target_group_deregistration_delay >= 0 && var.target_group_deregistration_delay <= 3600
    error_message = "target_group_deregistration_delay must be 0 to 3600 seconds (the ELB limit)."
  }
}

# --- Shared with the plugin -----------------------------------------------------------
# The plugin's EKS_INGRESS_CLASS_NAME and EKS_MEDIA_STORAGE_CLASS are the source of truth:
# the driver passes them here. The defaults below only match the plugin's defaults.

variable "ingress_class_name" {
  description = "IngressClass the F5 NGINX Ingress Controller serves (the plugin's EKS_INGRESS_CLASS_NAME)."
  type        = string
  default     = "nginx"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.ingress_class_name))
    error_message = "ingress_class_name must be a Kubernetes name (lower-case letters, digits, '-')."
  }
}

variable "media_storage_class_name" {
  description = "StorageClass the plugin's media PVC uses (the plugin's EKS_MEDIA_STORAGE_CLASS)."
  type        = string
  default     = "efs-sc"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.media_storage_class_name))
    error_message = "media_storage_class_name must be a Kubernetes name."
  }
}

variable "nginx_client_max_body_size" {
  description = "Default request body limit of NGINX (ConfigMap client-max-body-size); the plugin raises it per Ingress with nginx.org/client-max-body-size (CMS 250m)."
  type        = string
  default     = "4m"

  validation {
    condition     = can(regex("^[0-9]+[kKmMgG]?$", var.nginx_client_max_body_size))
    error_message = "nginx_client_max_body_size must be an NGINX size such as 4m."
  }
}

variable "nginx_proxy_timeout" {
  description = "Default proxy read and send timeout of NGINX (ConfigMap proxy-read-timeout / proxy-send-timeout), the same as the plugin's Ingress annotations."
  type        = string
  default     = "300s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.nginx_proxy_timeout))
    error_message = "nginx_proxy_timeout must be a number of seconds such as 300s."
  }
}

# --- Controllers ----------------------------------------------------------------------

variable "controller_identity" {
  description = "How the controllers get their IAM roles: 'pod-identity' (stage 1 created EKS Pod Identity associations for the service accounts kube-system/aws-load-balancer-controller and kube-system/cluster-autoscaler) or 'irsa' (the service accounts are annotated with the role ARNs)."
  type        = string
  default     = "pod-identity"

  validation {
    condition     = contains(["pod-identity", "irsa"], var.controller_identity)
    error_message = "controller_identity must be 'pod-identity' or 'irsa'."
  }
}

variable "nginx_replicas" {
  description = "NGINX Ingress Controller replicas (spread over zones; a PodDisruptionBudget keeps one up)."
  type        = number
  default     = 2

  validation {
    condition     = var.nginx_replicas >= 1 && var.nginx_replicas <= 20 && floor(var.nginx_replicas) == var.nginx_replicas
    error_message = "nginx_replicas must be a whole number from 1 to 20."
  }
}

variable "nginx_http_port" {
  description = "Container port of NGINX for plain HTTP: must match the edge module's nginx_http_port (the target group port)."
  type        = number
  default     = 80

  validation {
    condition     = var.nginx_http_port >= 1 && var.nginx_http_port <= 65535
    error_message = "nginx_http_port must be a TCP port number."
  }
}

variable "nginx_health_check_port" {
  description = "NGINX readiness port (/nginx-ready): must match the edge module's nginx_health_check_port (the ALB health check)."
  type        = number
  default     = 8081

  validation {
    condition     = var.nginx_health_check_port >= 1 && var.nginx_health_check_port <= 65535
    error_message = "nginx_health_check_port must be a TCP port number."
  }
}

variable "cluster_autoscaler_image_tag" {
  description = "Cluster autoscaler image tag. Null uses v<cluster_version>.0: the autoscaler's minor version must match the cluster's."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_autoscaler_image_tag == null || can(regex("^v1\\.[0-9]{2}\\.[0-9]+$", var.cluster_autoscaler_image_tag))
    error_message = "cluster_autoscaler_image_tag must look like v1.33.1, or be null."
  }
}

variable "helm_timeout_seconds" {
  description = "How long each Helm release may take to become ready."
  type        = number
  default     = 300

  validation {
    condition     = var.helm_timeout_seconds >= 60 && var.helm_timeout_seconds <= 900
    error_message = "helm_timeout_seconds must be between 60 and 900 (the EKS token lasts 15 minutes)."
  }
}

variable "efs_reclaim_policy" {
  description = "What happens to a media volume's EFS access point and files when its PVC is deleted: Retain (keep the course media) or Delete."
  type        = string
  default     = "Retain"

  validation {
    condition     = contains(["Retain", "Delete"], var.efs_reclaim_policy)
    error_message = "efs_reclaim_policy must be Retain or Delete."
  }
}
