# The edge in front of the cluster: ACM, the ALB locked to CloudFront, CloudFront and
# WAF (modules/edge). CloudFront's certificate and web ACL must live in us-east-1,
# hence the second provider.

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}

variable "lms_host" {
  description = "Tutor's LMS_HOST (passed in by `tutor eks infra`): public host of the LMS."
  type        = string
  default     = "learn.example.com"
}

variable "cms_host" {
  description = "Tutor's CMS_HOST: public host of Studio."
  type        = string
  default     = "studio.learn.example.com"
}

variable "mfe_host" {
  description = "Tutor's MFE_HOST: public host of the micro-frontends."
  type        = string
  default     = "apps.learn.example.com"
}

variable "meilisearch_host" {
  description = "Tutor's MEILISEARCH_HOST: public host Studio's browser search queries."
  type        = string
  default     = "meilisearch.learn.example.com"
}

variable "route53_zone_id" {
  description = "Route53 hosted zone for DNS validation and alias records; null to manage DNS yourself."
  type        = string
  default     = null
}

module "edge" {
  source = "../../modules/edge"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name = var.name
  hosts = {
    lms         = var.lms_host
    cms         = var.cms_host
    mfe         = var.mfe_host
    meilisearch = var.meilisearch_host
  }
  vpc_id                  = module.network.vpc_id
  public_subnet_ids       = module.network.public_subnet_ids
  route53_zone_id         = var.route53_zone_id
  alb_deletion_protection = var.profile == "production"
  tags                    = local.tags
}

output "alb_target_group_arn" {
  description = "Target group of the NGINX Ingress Controller pods (stage 2 binds it)."
  value       = module.edge.alb_target_group_arn
}

output "alb_security_group_id" {
  description = "Security group of the ALB (stage 2 lets it reach the NGINX pods)."
  value       = module.edge.alb_security_group_id
}

output "alb_dns_name" {
  description = "DNS name of the ALB (CloudFront's origin)."
  value       = module.edge.alb_dns_name
}

output "cloudfront_domain_name" {
  description = "CloudFront domain: point the public hosts at it (CNAME or alias)."
  value       = module.edge.cloudfront_domain_name
}
