variable "name" {
  description = "Name prefix for every resource of the network (the deployment name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters: lowercase letters, digits and '-', starting with a letter."
  }
}

variable "cluster_name" {
  description = "EKS cluster name, written into the subnet tags the AWS Load Balancer Controller discovers."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC. A /16 gives each AZ a /19 of private addresses for pods (VPC CNI gives every pod a VPC IP)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 18
    error_message = "vpc_cidr must be a valid IPv4 CIDR with a prefix between /16 and /18 (the subnet plan needs the room)."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread the subnets over."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3: RDS, DocumentDB and EKS need subnets in at least two zones."
  }
}

variable "availability_zones" {
  description = "Optional explicit zone names (e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]); overrides az_count. Empty: the first az_count zones of the region, sorted by name."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || (length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones))
    error_message = "availability_zones must be empty or list 2 or 3 distinct zone names."
  }
}

variable "single_nat_gateway" {
  description = "true: one NAT gateway shared by every AZ (cheaper, one zone is a single point of failure for egress). false: one NAT gateway per AZ."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (short names such as ecr.api, ecr.dkr, sts, logs, secretsmanager) so their traffic skips the NAT gateways. The S3 gateway endpoint is always created."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "interface_endpoints holds service short names such as ecr.api or sts."
  }
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch keeps the VPC flow logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the flow log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
