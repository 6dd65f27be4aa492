# The stage-1 outputs contract (docs/outputs-contract.md): names and meanings are
# read by tutor_eks_plugin/infra/contract.py. Add outputs freely; never rename.
# Secrets are never outputs: only the ARNs of the Secrets Manager secrets.

output "name" {
  description = "Name of the deployment (checked against EKS_NAME)."
  value       = var.name
}

output "region" {
  description = "AWS region (EKS_AWS_REGION)."
  value       = var.region
}

output "profile" {
  description = "Profile the stack was applied with."
  value       = var.profile
}

output "cluster_name" {
  description = "EKS cluster name (EKS_CLUSTER_NAME)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_version" {
  description = "Kubernetes version of the cluster."
  value       = module.eks.cluster_version
}

output "cluster_security_group_id" {
  description = "EKS cluster security group (on every node and pod); data stores admit it."
  value       = module.eks.cluster_security_group_id
}

output "vpc_id" {
  description = "VPC id (stage 2 input)."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of nodes and pods."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets (the edge ALB)."
  value       = module.network.public_subnet_ids
}

output "data_subnet_ids" {
  description = "Isolated data subnets."
  value       = module.network.data_subnet_ids
}

output "mysql_host" {
  description = "RDS MySQL host (MYSQL_HOST)."
  value       = module.mysql.address
}

output "mysql_port" {
  description = "RDS MySQL port (MYSQL_PORT)."
  value       = module.mysql.port
}

output "mysql_admin_username" {
  description = "RDS master user (MYSQL_ROOT_USERNAME)."
  value       = module.mysql.username
}

output "mysql_admin_secret_arn" {
  description = "RDS-managed secret of the master user (JSON key password -> MYSQL_ROOT_PASSWORD)."
  value       = module.mysql.master_user_secret_arn
}

output "mysql_app_secret_arn" {
  description = "Secret whose string is the Open edX MySQL user's password (OPENEDX_MYSQL_PASSWORD)."
  value       = module.mysql.app_password_secret_arn
}

output "mongodb_host" {
  description = "DocumentDB cluster endpoint (MONGODB_HOST), null with bring_your_own_mongodb."
  value       = module.mongodb.endpoint
}

output "mongodb_port" {
  description = "DocumentDB port (MONGODB_PORT), null with bring_your_own_mongodb."
  value       = module.mongodb.port
}

output "mongodb_admin_username" {
  description = "DocumentDB master user (MONGODB_USERNAME), null with bring_your_own_mongodb."
  value       = module.mongodb.username
}

output "mongodb_admin_secret_arn" {
  description = "DocumentDB-managed secret of the master user (JSON key password -> MONGODB_PASSWORD), null with bring_your_own_mongodb."
  value       = module.mongodb.master_user_secret_arn
}

output "redis_host" {
  description = "ElastiCache primary endpoint (REDIS_HOST); TLS only."
  value       = module.redis.primary_endpoint_address
}

output "redis_port" {
  description = "ElastiCache port (REDIS_PORT)."
  value       = module.redis.port
}

output "redis_auth_secret_arn" {
  description = "Secret whose string is the AUTH token (REDIS_PASSWORD, user default)."
  value       = module.redis.auth_token_secret_arn
}

output "meilisearch_url" {
  description = "Meilisearch URL inside the VPC (MEILISEARCH_URL)."
  value       = module.search.meilisearch_url
}

output "meilisearch_master_key_secret_arn" {
  description = "Secret whose string is the Meilisearch master key (MEILISEARCH_MASTER_KEY)."
  value       = module.search.meilisearch_master_key_secret_arn
}

output "meilisearch_security_group_id" {
  description = "Security group of the Meilisearch host: admits the EKS cluster security group on 7700, which covers the NGINX pods serving the public Meilisearch host."
  value       = module.search.meilisearch_security_group_id
}

output "opensearch_endpoint" {
  description = "OpenSearch HTTPS host name (EKS_OPENSEARCH_ENDPOINT), null unless opensearch_enabled."
  value       = module.search.opensearch_endpoint
}

output "opensearch_master_user_secret_arn" {
  description = "Secret whose string is the OpenSearch master password (user openedx), null unless opensearch_enabled."
  value       = module.search.opensearch_master_user_secret_arn
}

output "efs_file_system_id" {
  description = "EFS file system for media (EKS_EFS_FILE_SYSTEM_ID)."
  value       = module.storage.efs_file_system_id
}

output "efs_access_point_id" {
  description = "EFS access point, uid/gid 1000 (EKS_EFS_ACCESS_POINT_ID)."
  value       = module.storage.efs_access_point_id
}

output "media_bucket_name" {
  description = "S3 media bucket (EKS_S3_MEDIA_BUCKET), null unless media_bucket_enabled."
  value       = module.storage.media_bucket_name
}

output "media_role_arn" {
  description = "Pod Identity role of the Open edX pods (EKS_MEDIA_ROLE_ARN)."
  value       = module.eks.media_role_arn
}

output "node_role_arn" {
  description = "IAM role of the nodes."
  value       = module.eks.node_role_arn
}

output "load_balancer_controller_role_arn" {
  description = "Pod Identity role of the AWS Load Balancer Controller (stage 2 input)."
  value       = module.eks.load_balancer_controller_role_arn
}

output "cluster_autoscaler_role_arn" {
  description = "Pod Identity role of the cluster autoscaler (stage 2 input)."
  value       = module.eks.cluster_autoscaler_role_arn
}

output "ebs_csi_role_arn" {
  description = "Pod Identity role of the EBS CSI controller."
  value       = module.eks.ebs_csi_role_arn
}

output "efs_csi_role_arn" {
  description = "Pod Identity role of the EFS CSI controller."
  value       = module.eks.efs_csi_role_arn
}

output "kms_key_arn" {
  description = "Customer-managed KMS key of the deployment."
  value       = aws_kms_key.main.arn
}

# --- Edge (modules/edge): outputs contract "Edge outputs" and stage-2 inputs -----------

output "alb_target_group_arn" {
  description = "IP target group of the NGINX Ingress Controller pods (stage 2 input: TargetGroupBinding)."
  value       = module.edge.alb_target_group_arn
}

output "target_group_deregistration_delay" {
  description = "Seconds the ALB drains a leaving NGINX pod (stage 2 input: the NGINX termination grace period must be longer)."
  value       = module.edge.target_group_deregistration_delay
}

output "alb_security_group_id" {
  description = "Security group of the edge ALB (stage 2 input: lets the ALB reach the NGINX pods)."
  value       = module.edge.alb_security_group_id
}

output "alb_dns_name" {
  description = "DNS name of the edge ALB, the CloudFront origin (direct requests get 403)."
  value       = module.edge.alb_dns_name
}

output "cloudfront_domain_name" {
  description = "CloudFront distribution domain (EKS_CLOUDFRONT_DOMAIN): CNAME target of the hosts without Route53."
  value       = module.edge.cloudfront_domain_name
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution id (cache invalidations)."
  value       = module.edge.cloudfront_distribution_id
}

output "cloudfront_hosted_zone_id" {
  description = "Route53 zone id for alias records that target the distribution."
  value       = module.edge.cloudfront_hosted_zone_id
}

output "web_acl_arn" {
  description = "CLOUDFRONT-scope WAF web ACL (us-east-1)."
  value       = module.edge.web_acl_arn
}

output "origin_header_secret_arn" {
  description = "Secret holding the origin header value CloudFront sends to the ALB (never the value)."
  value       = module.edge.origin_header_secret_arn
}

output "certificate_validation_records" {
  description = "DNS records validating the edge certificates; create them yourself when route53_zone_id is null."
  value       = module.edge.certificate_validation_records
}

output "edge_log_bucket_name" {
  description = "S3 bucket of the CloudFront (cloudfront/) and ALB (alb/) access logs."
  value       = module.edge.log_bucket_name
}
