# The production profile with every opt-in turned on (OpenSearch, S3 media, spot
# nodes, a public API allow-list, a backup copy region, an outside notification topic,
# alert e-mails, a container log retention, an alarm threshold) and the longest name
# var.name allows, applied once against the mocked AWS provider. None of these inputs
# changes what another one's assertions read, so one apply carries the assertions of the
# profile, its backups, its alarms and the name limits (each was an apply of its own).

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
  # 21 characters, the most var.name allows: IAM name prefixes (38), the OpenSearch
  # domain name (28), ElastiCache ids (40) and the bucket names (63) must still be valid
  # for the provider.
  name                                 = "tutor-production-edx1"
  region                               = "eu-west-1"
  profile                              = "production"
  opensearch_enabled                   = true
  media_bucket_enabled                 = true
  spot_nodes_enabled                   = true
  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]
  backup_copy_region                   = "eu-central-1"
  backup_notifications_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:ops-alerts"
  alert_emails                         = ["ops@example.com"]
  container_log_retention_days         = 365
  alarm_thresholds                     = { alb_p99_seconds = 3 }
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

  # --- Edge: the profile-independent wiring (WAF -> CloudFront -> ALB, certificates,
  # target group, aliases, the public Meilisearch route, the origin-header secret) is
  # asserted once, in small.tftest.hcl; only what production changes is asserted here.
  assert {
    condition     = module.edge.settings.alb_deletion_protection && !module.edge.settings.log_bucket_force_destroy
    error_message = "Production protects the ALB against deletion and keeps its access logs."
  }

  # --- Production properties read from the resources (never from the inputs) ----
  # Each of these failed to notice a deliberate breakage while the tests read echoed
  # inputs (issue 23): keep them on the resources' own attributes.
  assert {
    condition     = length(module.network.settings.private_egress) == 3 && length(distinct(module.network.settings.private_egress[*].subnet_az)) == 3
    error_message = "There is one private subnet in each of the three AZs."
  }
  assert {
    condition     = alltrue([for e in module.network.settings.private_egress : e.nat_az == e.subnet_az])
    error_message = "Each private subnet's default route leads to the NAT gateway in its own AZ (a zone outage must not cut the others' egress)."
  }
  assert {
    condition = (
      module.eks.settings.node_groups.ON_DEMAND.min == 3 &&
      module.eks.settings.node_groups.ON_DEMAND.desired == 3 &&
      module.eks.settings.node_groups.ON_DEMAND.max == 9 &&
      jsonencode(module.eks.settings.node_groups.ON_DEMAND.instance_types) == jsonencode(["m6i.xlarge"])
    )
    error_message = "Production on-demand nodes: 3/3/9 m6i.xlarge."
  }
  assert {
    condition = (
      module.eks.settings.node_groups.SPOT.min == 0 &&
      module.eks.settings.node_groups.SPOT.desired == 0 &&
      module.eks.settings.node_groups.SPOT.max >= 1 &&
      length(module.eks.settings.node_groups.SPOT.instance_types) > 1
    )
    error_message = "The spot group starts empty and offers several instance types."
  }
  assert {
    condition = alltrue([for g in module.eks.settings.node_groups :
      g.subnet_ids == sort(output.private_subnet_ids) &&
      length(distinct([for id in g.subnet_ids : module.network.settings.subnet_azs[id]])) == 3
    ])
    error_message = "Every node group spans the three private subnets (three AZs)."
  }
  assert {
    condition = alltrue([for ids in [module.mysql.settings.subnet_ids, module.mongodb.settings.subnet_ids, module.redis.settings.subnet_ids] :
      ids == sort(output.data_subnet_ids) &&
      length(distinct([for id in ids : module.network.settings.subnet_azs[id]])) == 3
    ])
    error_message = "The DocumentDB, ElastiCache and RDS subnet groups span the three data subnets (three AZs)."
  }
  assert {
    condition     = module.mysql.settings.db_subnet_group_name
    error_message = "The RDS instance sits in the module's subnet group."
  }
  assert {
    condition     = module.mongodb.settings.instance_count == 3 && module.mongodb.settings.instances_in_cluster
    error_message = "Production DocumentDB runs three instances, all in the cluster (one per AZ through the three-AZ subnet group)."
  }
  assert {
    condition = (
      module.search.settings.opensearch.zone_awareness &&
      module.search.settings.opensearch.zone_count == 3 &&
      module.search.settings.opensearch.instance_count == 3 &&
      module.search.settings.opensearch.dedicated_masters == 3
    )
    error_message = "Production OpenSearch: zone awareness over three AZs, three data nodes, three dedicated masters."
  }
  assert {
    condition     = module.search.settings.meilisearch.termination_protected
    error_message = "The Meilisearch instance is protected against termination in production."
  }
  assert {
    condition = (
      aws_kms_key.main.deletion_window_in_days == 30 &&
      alltrue([for d in [
        module.redis.settings.secret_recovery_days,
        module.search.settings.meilisearch.secret_recovery_days,
        module.search.settings.opensearch.secret_recovery_days,
        module.edge.settings.secret_recovery_days,
      ] : d == 30])
    )
    error_message = "Production keeps a deleted KMS key and deleted secrets recoverable for 30 days."
  }
  assert {
    condition = (
      module.eks.settings.log_retention_days == 90 &&
      alltrue([for g in values(module.mysql.settings.log_groups) : g.retention_in_days == 90]) &&
      alltrue([for g in values(module.mongodb.settings.log_groups) : g.retention_in_days == 90]) &&
      jsonencode(module.redis.settings.log_retention_days) == "[90]" &&
      jsonencode(module.search.settings.opensearch.log_retention_days) == "[90]" &&
      module.network.settings.flow_log_retention_days == 365
    )
    error_message = "Production keeps service logs 90 days and VPC flow logs a year."
  }
  assert {
    # EFS is backed up by the AWS Backup plan (the backup assertions below check its selection),
    # not by EFS's own policy, so the two do not both pay for copies.
    condition     = module.storage.settings.efs_backup_policy == "DISABLED" && contains(module.backup.settings.daily_resources, module.storage.efs_file_system_arn)
    error_message = "EFS is backed up once, by the AWS Backup daily plan."
  }
  assert {
    condition     = module.mysql.settings.allocated_storage == 100 && module.mysql.settings.max_allocated_storage == 1000
    error_message = "Production MySQL starts at 100 GiB and may autoscale its storage to 1000 GiB."
  }

  # --- The longest name fits every name limit ----------------------------------
  assert {
    condition     = length("${output.name}-search") <= 28
    error_message = "The OpenSearch domain name exceeds 28 characters."
  }

  # --- Backups (modules/backup's own tests hold the detailed assertions) --------
  assert {
    condition = (
      module.backup.settings.vault_lock && module.backup.settings.vault_lock_min_days == 30 &&
      module.backup.settings.daily_retention_days == 35 && module.backup.settings.monthly_retention_days == 365 &&
      module.backup.settings.continuous_retention_days == module.mysql.settings.backup_retention_period
    )
    error_message = "Production: vault lock (30 days), daily 35 days, monthly 1 year, PITR window equal to the RDS retention."
  }
  assert {
    condition     = module.backup.settings.vault_kms_key_arn == aws_kms_key.main.arn
    error_message = "The vault is encrypted with the deployment key."
  }
  assert {
    condition = toset(module.backup.settings.daily_resources) == toset([
      module.mysql.instance_arn, module.mongodb.cluster_arn, module.storage.efs_file_system_arn,
      "arn:aws:ec2:eu-west-1:123456789012:volume/${module.search.meilisearch_data_volume_id}",
    ])
    error_message = "The daily plan selects the stack's RDS instance, DocumentDB cluster, EFS and Meilisearch volume."
  }
  assert {
    condition     = module.backup.settings.copy_region == "eu-central-1" && module.backup.copy_vault_arn == "arn:aws:backup:eu-central-1:123456789012:backup-vault:mock-copy"
    error_message = "EKS_BACKUP_COPY_REGION creates the copy vault through the backup_copy provider."
  }
  assert {
    condition     = module.backup.settings.notifications && output.backup_vault_name == "tutor-production-edx1"
    error_message = "Failures go to the topic; the vault is named after the deployment."
  }

  # --- Observability: how many alarms, on which metric, at which threshold, notifying
  # which topic (the small profile's alarms are asserted in small.tftest.hcl) ---------
  assert {
    condition     = length([for a in module.observability.alarms : a if a.region == "stack"]) == 17 && length([for a in module.observability.alarms : a if a.region == "us-east-1"]) == 2
    error_message = "Production: 17 regional alarms (RDS 3, DocumentDB 3 with replica lag, two Redis nodes 6, ALB 4, Meilisearch 1) and 2 in us-east-1."
  }
  assert {
    condition = jsonencode({ for k, a in module.observability.alarms : k => [a.namespace, a.metric, a.threshold] }) == jsonencode({
      alb-elb-5xx                                      = ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", 10]
      alb-p99-response-time                            = ["AWS/ApplicationELB", "TargetResponseTime", 3]
      alb-target-5xx                                   = ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", 25]
      alb-unhealthy-hosts                              = ["AWS/ApplicationELB", "UnHealthyHostCount", 1]
      cloudfront-5xx-rate                              = ["AWS/CloudFront", "5xxErrorRate", 5]
      docdb-cpu                                        = ["AWS/DocDB", "CPUUtilization", 80]
      docdb-free-local-storage                         = ["AWS/DocDB", "FreeLocalStorage", 5368709120]
      docdb-replica-lag                                = ["AWS/DocDB", "DBInstanceReplicaLag", 5000]
      meilisearch-status-check                         = ["AWS/EC2", "StatusCheckFailed", 1]
      rds-connections                                  = ["AWS/RDS", "DatabaseConnections", 545]
      rds-cpu                                          = ["AWS/RDS", "CPUUtilization", 80]
      rds-free-storage                                 = ["AWS/RDS", "FreeStorageSpace", 10737418240]
      redis-engine-cpu-tutor-production-edx1-redis-001 = ["AWS/ElastiCache", "EngineCPUUtilization", 80]
      redis-engine-cpu-tutor-production-edx1-redis-002 = ["AWS/ElastiCache", "EngineCPUUtilization", 80]
      redis-evictions-tutor-production-edx1-redis-001  = ["AWS/ElastiCache", "Evictions", 0]
      redis-evictions-tutor-production-edx1-redis-002  = ["AWS/ElastiCache", "Evictions", 0]
      redis-memory-tutor-production-edx1-redis-001     = ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", 80]
      redis-memory-tutor-production-edx1-redis-002     = ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", 80]
      waf-blocked-spike                                = ["AWS/WAFV2", "BlockedRequests", 500]
    })
    error_message = "Production: the alarms watch these metrics at these thresholds (db.m7g.large: max_connections 682, 80% is 545; p99 overridden to 3 s)."
  }
  assert {
    condition = alltrue([for a in module.observability.alarms :
      a.alarm_actions == toset([a.region == "us-east-1" ? output.edge_alerts_topic_arn : output.alerts_topic_arn]) && a.ok_actions == a.alarm_actions
    ])
    error_message = "Every alarm notifies the alert topic of its region and nothing else."
  }
  assert {
    condition     = module.observability.settings.log_group_retention_days == 365
    error_message = "container_log_retention_days replaces the profile's retention."
  }
  assert {
    condition     = jsonencode(module.observability.settings.email_subscriptions) == jsonencode(["ops@example.com"])
    error_message = "Alert e-mails are subscribed."
  }
}
