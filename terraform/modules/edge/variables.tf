variable "name" {
  description = "Name prefix for every edge resource (ALB, target group, web ACL, log group, bucket). Lower-case letters, digits and '-', at most 22 characters so that ALB and target group names stay within AWS's 32-character limit."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}[a-z0-9]$", var.name))
    error_message = "name must be 2-22 characters of lower-case letters, digits and '-', start with a letter and not end with '-'."
  }
}

variable "hosts" {
  description = "Public host names served through CloudFront: the Tutor LMS_HOST, CMS_HOST, MFE_HOST and the public Meilisearch host (Studio queries Meilisearch from the browser). Each gets a certificate name, a CloudFront alias and, with a Route53 zone, DNS records."
  type = object({
    lms         = string
    cms         = string
    mfe         = string
    meilisearch = string
  })

  validation {
    condition = alltrue([
      for h in values(var.hosts) :
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", h)) && length(h) <= 253
    ])
    error_message = "Every host must be a lower-case, fully qualified DNS name such as 'learn.example.com' (no wildcard, no scheme, no port)."
  }

  validation {
    condition     = length(distinct(values(var.hosts))) == 4
    error_message = "hosts.lms, hosts.cms, hosts.mfe and hosts.meilisearch must be four different names: each is routed to a different service."
  }
}

variable "extra_hosts" {
  description = "More public host names to put on the certificates and the CloudFront distribution (for example a preview host). They share the LMS routing rules of the ingress, not of this module."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for h in var.extra_hosts :
      can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", h)) && length(h) <= 253
    ])
    error_message = "Every extra host must be a lower-case, fully qualified DNS name."
  }

  validation {
    # ACM allows 10 names per certificate by default; the four main hosts use four.
    condition     = length(var.extra_hosts) <= 6
    error_message = "At most 6 extra hosts: ACM certificates hold 10 names unless the account quota is raised."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster (stage-1 network output vpc_id): the ALB, its security group and the IP target group live there."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr_blocks" {
  description = "Every IPv4 CIDR of the VPC (primary first, then secondary ones in the order they were added; stage-1 network output vpc_cidr). The ALB may reach only these, on the NGINX ports. A list rather than a lookup of the VPC: its keys must be known at plan time, also when the VPC is created in the same apply; append new CIDRs at the end so existing rules keep their addresses."
  type        = list(string)

  validation {
    condition     = length(var.vpc_cidr_blocks) >= 1 && length(var.vpc_cidr_blocks) <= 50
    error_message = "vpc_cidr_blocks needs between 1 and 50 CIDRs (a VPC holds at most 50 IPv4 CIDRs)."
  }

  validation {
    condition     = alltrue([for c in var.vpc_cidr_blocks : can(cidrnetmask(c))])
    error_message = "Every entry of vpc_cidr_blocks must be an IPv4 CIDR such as 10.0.0.0/16."
  }

  validation {
    condition     = length(distinct(var.vpc_cidr_blocks)) == length(var.vpc_cidr_blocks)
    error_message = "vpc_cidr_blocks must not list a CIDR twice."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the internet-facing ALB (stage-1 network output public_subnet_ids), in at least two Availability Zones."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids needs at least two subnet ids (an ALB spans two or more Availability Zones)."
  }
}

variable "route53_zone_id" {
  description = "Route53 hosted zone that holds every host. When set, the module writes the ACM validation records and A/AAAA aliases to CloudFront. When null, create the validation CNAMEs (output certificate_validation_records, also in the ACM console) while `apply` waits, and point the hosts at cloudfront_domain_name yourself."
  type        = string
  default     = null

  validation {
    condition     = var.route53_zone_id == null || can(regex("^Z[0-9A-Z]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ, or null."
  }
}

variable "certificate_validation_timeout" {
  description = "How long `apply` waits for ACM to issue the certificates (Terraform duration). Without a Route53 zone this is the time you have to create the validation records."
  type        = string
  default     = "45m"

  validation {
    condition     = can(regex("^[0-9]+(m|h)$", var.certificate_validation_timeout))
    error_message = "certificate_validation_timeout must be a duration in minutes or hours such as '45m' or '2h'."
  }
}

variable "origin_header_name" {
  description = "Name of the secret header CloudFront adds to every origin request; the ALB forwards only requests that carry it with the right value."
  type        = string
  default     = "X-Origin-Verify"

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,40}$", var.origin_header_name)) && !contains(["host", "x-forwarded-for", "x-forwarded-proto", "authorization", "cookie"], lower(var.origin_header_name))
    error_message = "origin_header_name must be 1-40 letters, digits or '-', and not a header CloudFront or the application already uses."
  }
}

variable "origin_header_generation" {
  description = "Generation of the secret origin header value; raise it by one to rotate the value (with origin_header_accept_previous = true for that apply)."
  type        = number
  default     = 1

  validation {
    condition     = var.origin_header_generation >= 1 && floor(var.origin_header_generation) == var.origin_header_generation
    error_message = "origin_header_generation must be a whole number >= 1; raise it by one to rotate the origin header."
  }
}

variable "origin_header_accept_previous" {
  description = "The ALB also accepts the previous generation's origin header value: true during a rotation, until CloudFront has deployed the new value; then false again."
  type        = bool
  default     = false
}

variable "secret_recovery_window_days" {
  description = "Days Secrets Manager keeps the origin header secret after a destroy (0 deletes at once, 7-30 allow recovery)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "secret_kms_key_arn" {
  description = "Customer managed KMS key for the origin header secret. Null uses the AWS managed key aws/secretsmanager."
  type        = string
  default     = null

  validation {
    condition     = var.secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.secret_kms_key_arn))
    error_message = "secret_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "nginx_http_port" {
  description = "Container port on which the NGINX Ingress Controller pods serve plain HTTP (chart value controller.containerPort.http). The IP target group sends traffic there."
  type        = number
  default     = 80

  validation {
    condition     = var.nginx_http_port >= 1 && var.nginx_http_port <= 65535 && floor(var.nginx_http_port) == var.nginx_http_port
    error_message = "nginx_http_port must be a TCP port number."
  }
}

variable "nginx_health_check_port" {
  description = "Port of the NGINX Ingress Controller readiness endpoint (chart value controller.readyStatus.port)."
  type        = number
  default     = 8081

  validation {
    condition     = var.nginx_health_check_port >= 1 && var.nginx_health_check_port <= 65535 && floor(var.nginx_health_check_port) == var.nginx_health_check_port
    error_message = "nginx_health_check_port must be a TCP port number."
  }
}

variable "nginx_health_check_path" {
  description = "Path of the NGINX Ingress Controller readiness endpoint: /nginx-ready answers 200 once NGINX has loaded its configuration."
  type        = string
  default     = "/nginx-ready"

  validation {
    condition     = can(regex("^/[A-Za-z0-9._~/-]*$", var.nginx_health_check_path))
    error_message = "nginx_health_check_path must be an absolute URL path."
  }
}

variable "deregistration_delay_seconds" {
  description = "Seconds the ALB keeps sending in-flight requests to an NGINX pod that leaves the target group (long enough for a course import upload to finish, short enough for quick rollouts)."
  type        = number
  default     = 60

  validation {
    condition     = var.deregistration_delay_seconds >= 0 && var.deregistration_delay_seconds <= 3600
    error_message = "deregistration_delay_seconds must be between 0 and 3600."
  }
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout. Keep it above CloudFront's origin keep-alive (5 s by default) and the origin read timeout."
  type        = number
  default     = 120

  validation {
    condition     = var.alb_idle_timeout_seconds >= 60 && var.alb_idle_timeout_seconds <= 4000
    error_message = "alb_idle_timeout_seconds must be between 60 and 4000."
  }
}

variable "alb_deletion_protection" {
  description = "Protect the ALB against deletion (turn off before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "alb_log_delivery_principal" {
  description = "Who writes ALB access logs in this region: 'elb-account' (the regional Elastic Load Balancing account, regions opened before August 2022) or 'service' (logdelivery.elasticloadbalancing.amazonaws.com, regions opened since)."
  type        = string
  default     = "elb-account"

  validation {
    condition     = contains(["elb-account", "service"], var.alb_log_delivery_principal)
    error_message = "alb_log_delivery_principal must be 'elb-account' or 'service'."
  }
}

variable "origin_read_timeout_seconds" {
  description = "How long CloudFront waits for the ALB to answer. CloudFront allows 1-60 s (more only after a quota increase); slow requests such as course export should run as tasks, not hold the request."
  type        = number
  default     = 60

  validation {
    condition     = var.origin_read_timeout_seconds >= 1 && var.origin_read_timeout_seconds <= 180
    error_message = "origin_read_timeout_seconds must be between 1 and 180 (above 60 needs a CloudFront quota increase)."
  }
}

variable "static_default_ttl_seconds" {
  description = "Default CloudFront TTL for /static/* when the origin sends no Cache-Control. Open edX static files carry content hashes in their names, so a long TTL is safe."
  type        = number
  default     = 86400

  validation {
    condition     = var.static_default_ttl_seconds >= 60 && var.static_default_ttl_seconds <= 31536000
    error_message = "static_default_ttl_seconds must be between 60 and 31536000 (one year)."
  }
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the site."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "wait_for_deployment" {
  description = "Wait until CloudFront has deployed the distribution (up to ~15 minutes) before `apply` returns."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests one client IP may send in 5 minutes before the WAF answers 429. Open edX pages make many API calls and campuses put many learners behind one NAT address: keep it generous."
  type        = number
  default     = 5000

  validation {
    condition     = var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000 && floor(var.waf_rate_limit) == var.waf_rate_limit
    error_message = "waf_rate_limit must be a whole number between 100 and 2000000000."
  }
}

variable "waf_count_only" {
  description = "Run the WAF rules in count mode (log, never block) for a first rollout: watch the logs, then set false. AWSManagedRulesKnownBadInputsRuleSet (Log4Shell and other exploit payloads) always blocks."
  type        = bool
  default     = false
}

variable "waf_host_scoped_common_rules" {
  description = <<-EOT
    Body rules of AWSManagedRulesCommonRuleSet that are turned to count inside the rule group and enforced again by a
    rule of this module on every host EXCEPT the listed ones (keys of var.hosts). SizeRestrictions_BODY (bodies over
    8 KB) must exempt 'cms' so that Studio uploads and course imports work; the LMS needs it for profile images, ORA
    file uploads and long answers. CrossSiteScripting_BODY is exempted on 'cms' because Studio authors save HTML
    components that legitimately contain <script> and <iframe>.
  EOT
  type        = map(list(string))
  default = {
    SizeRestrictions_BODY   = ["cms", "lms"]
    CrossSiteScripting_BODY = ["cms"]
  }

  validation {
    condition     = alltrue([for rule in keys(var.waf_host_scoped_common_rules) : contains(["SizeRestrictions_BODY", "CrossSiteScripting_BODY", "GenericRFI_BODY", "GenericLFI_BODY", "EC2MetaDataSSRF_BODY"], rule)])
    error_message = "Keys must be body rules of AWSManagedRulesCommonRuleSet: SizeRestrictions_BODY, CrossSiteScripting_BODY, GenericRFI_BODY, GenericLFI_BODY or EC2MetaDataSSRF_BODY."
  }

  validation {
    condition = alltrue(flatten([
      for hosts in values(var.waf_host_scoped_common_rules) : [
        for h in hosts : contains(["lms", "cms", "mfe", "meilisearch"], h)
      ]
    ])) && alltrue([for hosts in values(var.waf_host_scoped_common_rules) : length(hosts) >= 1])
    error_message = "Each rule lists at least one host key out of lms, cms, mfe, meilisearch."
  }

  validation {
    condition     = contains(try(var.waf_host_scoped_common_rules["SizeRestrictions_BODY"], []), "cms")
    error_message = "SizeRestrictions_BODY must be present and exempt 'cms': without it Studio uploads and course imports over 8 KB are blocked."
  }
}

variable "waf_count_overrides" {
  description = "Extra managed rules to run in count mode, per rule group name (for example { AWSManagedRulesSQLiRuleSet = [\"SQLi_BODY\"] }) when logs show false positives."
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for group in keys(var.waf_count_overrides) : contains(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"], group)])
    error_message = "Keys must be one of the rule groups this module uses: AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesAmazonIpReputationList."
  }
}

variable "waf_log_retention_days" {
  description = "Retention of the WAF log group (CloudWatch Logs, us-east-1)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.waf_log_retention_days)
    error_message = "waf_log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "waf_log_kms_key_arn" {
  description = "Customer managed KMS key in us-east-1 for the WAF log group (its key policy must allow logs.us-east-1.amazonaws.com). Null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.waf_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:us-east-1:[0-9]{12}:key/", var.waf_log_kms_key_arn))
    error_message = "waf_log_kms_key_arn must be a KMS key ARN in us-east-1, or null."
  }
}

variable "access_log_retention_days" {
  description = "Days the CloudFront and ALB access logs stay in the log bucket."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1 && var.access_log_retention_days <= 3650
    error_message = "access_log_retention_days must be between 1 and 3650."
  }
}

variable "log_bucket_force_destroy" {
  description = "Let `terraform destroy` delete the log bucket with its logs in it."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
