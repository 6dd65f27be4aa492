# The production profile with every opt-in turned on (OpenSearch, S3 media, spot
# nodes, a public API allow-list), applied against the mocked AWS provider.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                                 = "tutor-prod"
  region                               = "eu-west-1"
  profile                              = "production"
  opensearch_enabled                   = true
  media_bucket_enabled                 = true
  spot_nodes_enabled                   = true
  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]
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
}
