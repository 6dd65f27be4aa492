# The public entry: WAF -> CloudFront -> ALB (locked to CloudFront) -> the NGINX Ingress
# Controller pods, which stage 2 binds to the ALB's target group. Built in stage 1 because
# it needs the AWS provider only (see ../../modules/edge/README.md).

module "edge" {
  #checkov:skip=CKV_AWS_150:ALB deletion protection is per profile: on in production, off in small so that `terraform destroy` of a test deployment works (checkov evaluates the default profile, small).
  source    = "../../modules/edge"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name = var.name
  hosts = {
    lms         = var.lms_host
    cms         = var.cms_host
    mfe         = var.mfe_host
    meilisearch = var.meilisearch_host
  }
  # "" is how an unset Tutor setting arrives from the driver: no zone, like null.
  route53_zone_id = var.route53_zone_id == "" ? null : var.route53_zone_id

  vpc_id            = module.network.vpc_id
  vpc_cidr_blocks   = [module.network.vpc_cidr]
  public_subnet_ids = module.network.public_subnet_ids

  alb_deletion_protection    = local.p.alb_deletion_protection
  alb_log_delivery_principal = var.alb_log_delivery_principal
  log_bucket_force_destroy   = local.p.edge_log_bucket_force_destroy

  # The origin header secret is encrypted with the deployment key like the other secrets.
  secret_kms_key_arn          = aws_kms_key.main.arn
  secret_recovery_window_days = local.p.secret_recovery

  # Rotation of the origin header without 403s (docs/edge-and-cluster.md).
  origin_header_generation      = var.origin_header_generation
  origin_header_accept_previous = var.origin_header_accept_previous
}
