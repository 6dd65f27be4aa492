# The production profile with every opt-in turned on (OpenSearch, S3 media, spot
# nodes, a public API allow-list), applied against the mocked AWS provider.

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

mock_provider "aws" {
  alias  = "backup_copy"
  source = "./tests/mocks/backup_copy"
}

variables {
  name                                 = "tutor-prod"
  region                               = "eu-west-1"
  profile                              = "production"
  opensearch_enabled                   = true
  media_bucket_enabled                 = true
  spot_nodes_enabled                   = true
  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]
  lms_host                             = "learn.example.com"
  cms_host                             = "studio.learn.example.com"
  mfe_host                             = "apps.learn.example.com"
  meilisearch_host                     = "search.learn.example.com"
}

run "production_profile" {
  # --- network --------------------------------------------------------------
  assert {
    condition     = module.network.settings.nat_gateway_count == 3
    error_message = "Production runs one NAT gateway per AZ."
  }
  assert {
    condition     = module.network.settings.private_default_routes.nat == 3 && module.network.settings.private_default_routes.internet_gateway == 0
    error_message = "Each private subnet routes through NAT."
  }
  assert {
    condition     = contains(module.network.settings.interface_endpoints, "ecr.api") && contains(module.network.settings.interface_endpoints, "sts")
    error_message = "Production saves NAT traffic with interface endpoints (ECR, STS, ...)."
  }
  assert {
    condition     = !anytrue(module.network.settings.public_ip_on_launch.private) && !anytrue(module.network.settings.public_ip_on_launch.data)
    error_message = "Private and data subnets never hand out public IPs."
  }

  # --- EKS ------------------------------------------------------------------
  assert {
    condition     = module.eks.settings.endpoint_public_access && jsonencode(module.eks.settings.public_access_cidrs) == jsonencode(["203.0.113.0/24"]) && module.eks.settings.endpoint_private_access
    error_message = "The public API endpoint is open to the allow-list only, next to the private endpoint."
  }
  assert {
    condition     = module.eks.settings.secrets_encrypted && module.eks.settings.authentication_mode == "API"
    error_message = "Secrets are encrypted and access is managed with EKS access entries."
  }
  assert {
    condition     = jsonencode(sort(keys(module.eks.settings.node_groups))) == jsonencode(["ON_DEMAND", "SPOT"])
    error_message = "An optional spot node group sits next to the on-demand group."
  }
  assert {
    condition     = module.eks.settings.node_groups.ON_DEMAND.min == 3
    error_message = "Production keeps at least one on-demand node per AZ."
  }
  assert {
    condition     = module.eks.settings.media_s3_policy
    error_message = "The media role may use the S3 bucket when it exists."
  }

  # --- Data stores: Multi-AZ, deletion protection, long retention -------------
  assert {
    condition     = module.mysql.settings.engine_version == "8.4" && module.mysql.settings.multi_az && module.mysql.settings.deletion_protection
    error_message = "Production MySQL 8.4 is Multi-AZ with deletion protection."
  }
  assert {
    condition     = module.mysql.settings.backup_retention_period == 30 && !module.mysql.settings.skip_final_snapshot
    error_message = "Production MySQL keeps 30 days of backups and a final snapshot."
  }
  assert {
    condition     = !module.mysql.settings.publicly_accessible && module.mysql.settings.storage_encrypted
    error_message = "MySQL stays private and encrypted."
  }
  assert {
    condition     = module.mysql.settings.app_password_secret.recovery_window_in_days == 30 && module.mysql.settings.app_password_secret.kms_key_id == output.kms_key_arn
    error_message = "Production keeps a deleted app-password secret restorable for 30 days, encrypted with the deployment key."
  }
  assert {
    condition     = module.mongodb.settings.instance_count == 3 && module.mongodb.settings.deletion_protection && module.mongodb.settings.backup_retention_period == 30
    error_message = "Production DocumentDB has three instances, deletion protection and 30 days of backups."
  }
  assert {
    condition     = module.mongodb.settings.engine_version == "8.0.0" && module.mongodb.settings.parameters.tls == "enabled" && module.mongodb.settings.storage_encrypted
    error_message = "DocumentDB 8.0.0 with TLS and encryption."
  }
  assert {
    condition     = module.redis.settings.num_cache_clusters == 2 && module.redis.settings.automatic_failover_enabled && module.redis.settings.multi_az_enabled
    error_message = "Production ElastiCache has a replica, automatic failover and Multi-AZ."
  }
  assert {
    condition     = module.redis.settings.transit_encryption_enabled && module.redis.settings.at_rest_encryption_enabled == "true" && module.redis.settings.snapshot_retention_limit == 7
    error_message = "ElastiCache encrypts in transit and at rest and keeps a week of snapshots."
  }

  # --- OpenSearch (opt-in, enabled here) ---------------------------------------
  assert {
    condition     = module.search.settings.opensearch.in_vpc && length(module.search.settings.opensearch.subnet_ids) == 3
    error_message = "The OpenSearch domain lives in the VPC, over three AZs."
  }
  assert {
    condition = (
      module.search.settings.opensearch.encrypt_at_rest &&
      module.search.settings.opensearch.node_to_node_encryption &&
      module.search.settings.opensearch.enforce_https &&
      module.search.settings.opensearch.fine_grained_access
    )
    error_message = "OpenSearch encrypts at rest and between nodes, requires HTTPS and uses fine-grained access control."
  }
  assert {
    condition     = output.opensearch_endpoint != null && output.opensearch_master_user_secret_arn != null
    error_message = "The OpenSearch endpoint and its secret are published when enabled."
  }

  # --- S3 media (opt-in, enabled here) -----------------------------------------
  assert {
    condition     = module.storage.settings.media_bucket.public_access_blocked && module.storage.settings.media_bucket.sse_algorithm == "aws:kms" && module.storage.settings.media_bucket.versioning == "Enabled"
    error_message = "The media bucket blocks public access, uses SSE-KMS and keeps versions."
  }
  assert {
    condition     = output.media_bucket_name != null
    error_message = "media_bucket_name is published when the bucket exists."
  }

  # --- Every store admits the EKS cluster security group, and nothing else ---
  assert {
    condition = alltrue([
      for s in [module.mysql.settings, module.mongodb.settings, module.redis.settings, module.search.settings.meilisearch, module.search.settings.opensearch, module.storage.settings] :
      jsonencode(s.ingress_security_groups) == jsonencode([output.cluster_security_group_id]) && length(s.ingress_cidrs) == 0
    ])
    error_message = "Data-store security groups admit only the EKS cluster security group."
  }

  # --- Edge: WAF -> CloudFront -> ALB, built by modules/edge ----------------------
  assert {
    condition = alltrue([for v in [
      output.alb_target_group_arn, output.alb_security_group_id, output.alb_dns_name,
      output.cloudfront_domain_name,
    ] : v != null && v != ""])
    error_message = "The edge outputs of the contract are published."
  }
  assert {
    condition = (
      startswith(output.web_acl_arn, "arn:aws:wafv2:us-east-1:") &&
      module.edge.settings.web_acl_scope == "CLOUDFRONT" &&
      module.edge.settings.distribution_web_acl == output.web_acl_arn &&
      startswith(module.edge.settings.waf_log_group_arn, "arn:aws:logs:us-east-1:")
    )
    error_message = "The WAF web ACL (scope CLOUDFRONT) and its logs come from the us-east-1 provider and protect the distribution."
  }
  assert {
    condition = (
      startswith(module.edge.settings.distribution_certificate, "arn:aws:acm:us-east-1:") &&
      startswith(module.edge.settings.listener_certificate_arn, "arn:aws:acm:eu-west-1:")
    )
    error_message = "CloudFront's certificate comes from us-east-1, the ALB's from the stack region."
  }
  assert {
    condition = (
      !module.edge.settings.alb_internal &&
      module.edge.settings.listener_default_status == "403" &&
      module.edge.settings.alb_subnet_ids == sort(output.public_subnet_ids) &&
      length(toset(output.public_subnet_ids)) == 3
    )
    error_message = "The ALB sits in the three public subnets and answers 403 to anything without the origin header."
  }
  assert {
    condition = (
      module.edge.settings.alb_ingress_prefix_list == "pl-4fa04526" &&
      jsonencode(module.edge.settings.alb_egress) == jsonencode([{ cidr = "10.0.0.0/16", port = 80 }, { cidr = "10.0.0.0/16", port = 8081 }])
    )
    error_message = "The ALB admits CloudFront's prefix list only and reaches only the VPC CIDR on the NGINX ports."
  }
  assert {
    condition = (
      module.edge.settings.target_type == "ip" &&
      module.edge.settings.target_port == 80 &&
      module.edge.settings.health_check_port == "8081" &&
      startswith(output.alb_target_group_arn, "arn:aws:elasticloadbalancing:eu-west-1:")
    )
    error_message = "The target group takes the NGINX pod IPs (stage 2 TargetGroupBinding) and checks their readiness port."
  }
  assert {
    condition = (
      jsonencode(module.edge.settings.distribution_aliases) == jsonencode(sort(["learn.example.com", "studio.learn.example.com", "apps.learn.example.com", "search.learn.example.com"])) &&
      output.cloudfront_domain_name == "d111111abcdef8.cloudfront.net"
    )
    error_message = "The distribution serves the LMS, CMS, MFE and Meilisearch hosts."
  }
  assert {
    # The public Meilisearch host reaches the instance through the NGINX pods, which
    # carry the cluster security group.
    condition     = jsonencode(module.search.settings.meilisearch.ingress_security_groups) == jsonencode([output.cluster_security_group_id])
    error_message = "Meilisearch admits the cluster security group (the NGINX pods) for its public route."
  }
  assert {
    condition     = module.edge.settings.secret_kms_key_arn == output.kms_key_arn && startswith(output.origin_header_secret_arn, "arn:aws:secretsmanager:eu-west-1:")
    error_message = "The origin header secret is encrypted with the deployment key and only its ARN is published."
  }
  assert {
    condition     = module.edge.settings.alb_deletion_protection && !module.edge.settings.log_bucket_force_destroy
    error_message = "Production protects the ALB against deletion and keeps its access logs."
  }
}
