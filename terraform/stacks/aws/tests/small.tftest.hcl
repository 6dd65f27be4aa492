# The small profile, applied against the mocked AWS provider (real provider
# schema and argument validation, no AWS account). Outputs and the modules'
# `settings` outputs are read after a mocked apply, so every value is known.
# Two runs share one state: small_profile applies the stack once (and carries the
# outputs contract); small_byo_mongodb then plans bring-your-own MongoDB on top of
# that state, so every value it asserts is known without a second apply.

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
  name             = "tutor-small"
  region           = "eu-west-1"
  profile          = "small"
  lms_host         = "learn.example.com"
  cms_host         = "studio.learn.example.com"
  mfe_host         = "apps.learn.example.com"
  meilisearch_host = "search.learn.example.com"
  # An unset Tutor setting arrives as "": no Route53 zone, like null (with a zone the
  # mocked certificate has no validation options and the records could not apply).
  route53_zone_id = ""
}

run "small_profile" {
  # --- network --------------------------------------------------------------
  assert {
    condition     = module.network.settings.nat_gateway_count == 1
    error_message = "The small profile shares one NAT gateway."
  }
  assert {
    condition     = module.network.settings.az_count == 3 && length(output.private_subnet_ids) == 3 && length(output.data_subnet_ids) == 3
    error_message = "The VPC spans three availability zones."
  }
  assert {
    condition     = !anytrue(module.network.settings.public_ip_on_launch.private) && !anytrue(module.network.settings.public_ip_on_launch.data)
    error_message = "Private and data subnets never hand out public IPs."
  }
  assert {
    condition     = module.network.settings.private_default_routes.internet_gateway == 0 && module.network.settings.private_default_routes.nat == 3
    error_message = "Private subnets leave through NAT, never through the internet gateway."
  }
  assert {
    condition     = module.network.settings.s3_endpoint_type == "Gateway" && module.network.settings.s3_endpoint_route_tables == 4
    error_message = "The S3 gateway endpoint serves the three private route tables and the data route table."
  }
  assert {
    condition     = length(module.network.settings.interface_endpoints) == 0
    error_message = "The small profile creates no paid interface endpoints."
  }
  assert {
    condition     = module.network.settings.flow_log_traffic_type == "ALL"
    error_message = "Flow logs record all traffic."
  }

  # --- EKS ------------------------------------------------------------------
  assert {
    condition     = output.cluster_version == "1.35" && module.eks.settings.support_type == "STANDARD"
    error_message = "EKS runs the pinned Kubernetes 1.35 in standard support."
  }
  assert {
    condition     = module.eks.settings.secrets_encrypted && module.eks.settings.secrets_encryption_key == output.kms_key_arn
    error_message = "Kubernetes secrets are envelope-encrypted with the deployment key."
  }
  assert {
    condition     = module.eks.settings.endpoint_private_access && !module.eks.settings.endpoint_public_access
    error_message = "Without an allow-list the API endpoint is private only."
  }
  assert {
    condition     = length(module.eks.settings.log_types) == 5
    error_message = "All five control-plane log types are enabled."
  }
  assert {
    condition     = module.eks.settings.imds_http_tokens == "required" && module.eks.settings.imds_hop_limit == 1
    error_message = "Nodes require IMDSv2 and keep pods away from instance metadata."
  }
  assert {
    condition     = module.eks.settings.root_volume_encrypted && module.eks.settings.root_volume_type == "gp3"
    error_message = "Node root volumes are encrypted gp3."
  }
  assert {
    condition = jsonencode(module.eks.settings.addons) == jsonencode(sort([
      "aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns", "eks-pod-identity-agent",
      "kube-proxy", "metrics-server", "vpc-cni",
    ]))
    error_message = "The seven EKS add-ons are installed."
  }
  assert {
    condition = jsonencode(module.eks.settings.addon_pod_identity) == jsonencode({
      aws-ebs-csi-driver = ["ebs-csi-controller-sa"]
      aws-efs-csi-driver = ["efs-csi-controller-sa"]
    })
    error_message = "The CSI drivers get their roles through Pod Identity."
  }
  assert {
    condition = jsonencode(module.eks.settings.pod_identity_associations) == jsonencode({
      cluster_autoscaler       = "kube-system/cluster-autoscaler"
      load_balancer_controller = "kube-system/aws-load-balancer-controller"
      media                    = "openedx/openedx"
    })
    error_message = "Stage-2 controllers and Open edX pods have Pod Identity associations."
  }
  assert {
    condition     = jsonencode(keys(module.eks.settings.node_groups)) == jsonencode(["ON_DEMAND"])
    error_message = "Only the on-demand node group exists unless spot is enabled."
  }
  assert {
    condition     = jsonencode(module.eks.settings.oidc_client_ids) == jsonencode(["sts.amazonaws.com"])
    error_message = "The IRSA OIDC provider trusts STS."
  }

  # --- MySQL ----------------------------------------------------------------
  assert {
    condition     = module.mysql.settings.engine == "mysql" && module.mysql.settings.engine_version == "8.4" && module.mysql.settings.parameter_family == "mysql8.4"
    error_message = "RDS runs MySQL 8.4."
  }
  assert {
    condition = (
      module.mysql.settings.parameters.character_set_server == "utf8mb4" &&
      module.mysql.settings.parameters.collation_server == "utf8mb4_unicode_ci" &&
      module.mysql.settings.parameters.require_secure_transport == "1"
    )
    error_message = "The parameter group sets utf8mb4 / utf8mb4_unicode_ci and requires TLS."
  }
  assert {
    condition     = module.mysql.settings.storage_encrypted && module.mysql.settings.kms_key_id == output.kms_key_arn && module.mysql.settings.performance_insights_enabled
    error_message = "MySQL storage is encrypted with the deployment key and Performance Insights is on."
  }
  assert {
    condition     = !module.mysql.settings.multi_az && !module.mysql.settings.deletion_protection && module.mysql.settings.backup_retention_period == 7
    error_message = "The small profile runs a single-AZ, unprotected MySQL with 7 days of backups."
  }
  assert {
    condition     = !module.mysql.settings.publicly_accessible && module.mysql.settings.manage_master_user_password
    error_message = "MySQL is private and its password is managed by RDS in Secrets Manager."
  }
  assert {
    condition = (
      startswith(output.mysql_app_secret_arn, "arn:aws:secretsmanager:") &&
      module.mysql.settings.app_password_secret.kms_key_id == output.kms_key_arn &&
      module.mysql.settings.app_password_secret.recovery_window_in_days == 7 &&
      module.mysql.settings.app_password_secret.exclude_punctuation
    )
    error_message = "The Open edX MySQL user's password is a Secrets Manager secret (deployment key, the profile's recovery window, letters and digits), published as mysql_app_secret_arn."
  }
  assert {
    condition     = jsonencode(module.mysql.settings.subnet_ids) == jsonencode(sort(output.data_subnet_ids))
    error_message = "MySQL lives in the data subnets."
  }

  # --- DocumentDB -----------------------------------------------------------
  assert {
    condition     = module.mongodb.settings.engine_version == "8.0.0" && module.mongodb.settings.parameter_family == "docdb8.0"
    error_message = "DocumentDB runs engine 8.0.0."
  }
  assert {
    condition     = module.mongodb.settings.parameters.tls == "enabled" && module.mongodb.settings.storage_encrypted
    error_message = "DocumentDB enforces TLS and encrypts storage."
  }
  assert {
    condition     = module.mongodb.settings.instance_count == 1 && !module.mongodb.settings.deletion_protection
    error_message = "The small profile runs one unprotected DocumentDB instance."
  }
  assert {
    condition     = module.mongodb.settings.manage_master_user_password && output.mongodb_admin_secret_arn != null
    error_message = "The DocumentDB password is managed in Secrets Manager."
  }

  # --- Redis ----------------------------------------------------------------
  assert {
    condition     = module.redis.settings.engine == "valkey" && module.redis.settings.engine_version == "8.0" && module.redis.settings.cluster_mode == "disabled"
    error_message = "ElastiCache runs Valkey 8.0 with cluster mode disabled (databases 0 and 1)."
  }
  assert {
    condition     = module.redis.settings.transit_encryption_enabled && module.redis.settings.transit_encryption_mode == "required" && module.redis.settings.at_rest_encryption_enabled == "true"
    error_message = "ElastiCache encrypts in transit (required) and at rest."
  }
  assert {
    condition     = module.redis.settings.num_cache_clusters == 1 && !module.redis.settings.automatic_failover_enabled && !module.redis.settings.multi_az_enabled
    error_message = "The small profile runs one cache node without failover."
  }

  # --- Search and storage -----------------------------------------------------
  assert {
    condition     = module.search.settings.meilisearch.imds_http_tokens == "required" && !module.search.settings.meilisearch.public_ip
    error_message = "The Meilisearch host requires IMDSv2 and has no public IP."
  }
  assert {
    condition     = module.search.settings.meilisearch.data_volume_encrypted && module.search.settings.meilisearch.data_volume_type == "gp3" && module.search.settings.meilisearch.root_volume_encrypted
    error_message = "Meilisearch volumes are encrypted gp3."
  }
  assert {
    condition     = module.search.settings.meilisearch.subnet_id == output.private_subnet_ids[0]
    error_message = "Meilisearch runs in a private subnet."
  }
  assert {
    condition     = module.search.settings.meilisearch.ami_parameter == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    error_message = "The Meilisearch AMI comes from the public Amazon Linux 2023 SSM parameter."
  }
  assert {
    condition     = module.search.settings.opensearch == null && output.opensearch_endpoint == null
    error_message = "OpenSearch is absent unless enabled."
  }
  assert {
    condition     = module.storage.settings.efs_encrypted && module.storage.settings.efs_mount_targets == 3
    error_message = "EFS is encrypted with one mount target per AZ."
  }
  assert {
    condition     = module.storage.settings.access_point_uid == 1000 && module.storage.settings.access_point_gid == 1000
    error_message = "The EFS access point runs as uid/gid 1000."
  }
  assert {
    condition     = output.media_bucket_name == null && module.storage.settings.media_bucket == null && !module.eks.settings.media_s3_policy
    error_message = "The S3 media bucket is opt-in."
  }

  # --- Every store admits the EKS cluster security group, and nothing else ---
  assert {
    condition = alltrue([
      for s in [module.mysql.settings, module.mongodb.settings, module.redis.settings, module.search.settings.meilisearch, module.storage.settings] :
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
    condition     = !module.edge.settings.alb_deletion_protection && module.edge.settings.log_bucket_force_destroy
    error_message = "The small profile leaves the ALB and its log bucket destroyable."
  }
  assert {
    condition     = output.target_group_deregistration_delay == 60
    error_message = "Stage 2 gets the target group's deregistration delay (its NGINX grace period must be longer)."
  }
  assert {
    # EC2 Auto Scaling launches the nodes, whose root volumes use this key.
    condition = length([for st in jsondecode(aws_kms_key.main.policy).Statement : st
      if try(st.Condition.ArnEquals["aws:PrincipalArn"], "") == "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
      && try(st.Condition.StringEquals["kms:CallerAccount"], "") == "123456789012"
    ]) == 2
    error_message = "The key policy lets the Auto Scaling service-linked role use the key and create grants for node volumes."
  }

  # --- The small profile's cheaper choices, read from the resources -------------
  assert {
    condition = (
      length(module.network.settings.private_egress) == 3 &&
      length(distinct(module.network.settings.private_egress[*].subnet_az)) == 3 &&
      jsonencode(distinct(module.network.settings.private_egress[*].nat_az)) == jsonencode([module.network.settings.private_egress[0].subnet_az])
    )
    error_message = "The small profile routes the three private subnets through its one NAT gateway, in the first AZ."
  }
  assert {
    condition = (
      module.eks.settings.node_groups.ON_DEMAND.min == 2 &&
      module.eks.settings.node_groups.ON_DEMAND.desired == 2 &&
      module.eks.settings.node_groups.ON_DEMAND.max == 4 &&
      jsonencode(module.eks.settings.node_groups.ON_DEMAND.instance_types) == jsonencode(["m6i.large"]) &&
      module.eks.settings.node_groups.ON_DEMAND.subnet_ids == sort(output.private_subnet_ids)
    )
    error_message = "Small on-demand nodes: 2/2/4 m6i.large over the three private subnets."
  }
  assert {
    condition     = length(module.eks.settings.public_access_cidrs) == 0 && !module.eks.settings.endpoint_public_access
    error_message = "Without an allow-list the cluster API is private only."
  }
  assert {
    condition = alltrue([for ids in [module.mysql.settings.subnet_ids, module.mongodb.settings.subnet_ids, module.redis.settings.subnet_ids] :
      ids == sort(output.data_subnet_ids) &&
      length(distinct([for id in ids : module.network.settings.subnet_azs[id]])) == 3
    ])
    error_message = "Even the small profile's subnet groups span three AZs (a later Multi-AZ switch needs no new subnet group)."
  }
  assert {
    condition     = module.mongodb.settings.instances_in_cluster && !module.search.settings.meilisearch.termination_protected
    error_message = "Small: one DocumentDB instance in the cluster; Meilisearch can be terminated by destroy."
  }
  assert {
    condition = (
      aws_kms_key.main.deletion_window_in_days == 7 &&
      alltrue([for d in [
        module.redis.settings.secret_recovery_days,
        module.search.settings.meilisearch.secret_recovery_days,
        module.edge.settings.secret_recovery_days,
      ] : d == 7])
    )
    error_message = "Small keeps a deleted KMS key and deleted secrets recoverable for the minimum 7 days."
  }
  assert {
    condition = (
      module.eks.settings.log_retention_days == 30 &&
      alltrue([for g in values(module.mysql.settings.log_groups) : g.retention_in_days == 30]) &&
      alltrue([for g in values(module.mongodb.settings.log_groups) : g.retention_in_days == 30]) &&
      jsonencode(module.redis.settings.log_retention_days) == "[30]" &&
      module.network.settings.flow_log_retention_days == 30
    )
    error_message = "Small keeps service logs and flow logs 30 days."
  }
  assert {
    condition     = module.storage.settings.efs_backup_policy == "DISABLED" && contains(module.backup.settings.daily_resources, module.storage.efs_file_system_arn)
    error_message = "EFS is backed up once, by the AWS Backup daily plan."
  }
  assert {
    condition     = module.mysql.settings.allocated_storage == 20 && module.mysql.settings.max_allocated_storage == 100
    error_message = "Small MySQL starts at 20 GiB and may autoscale its storage to 100 GiB."
  }

  # --- observability ------------------------------------------------------
  # (asserted here rather than in an apply of its own in observability.tftest.hcl:
  # the same inputs, applied once)
  assert {
    condition     = length([for a in module.observability.alarms : a if a.region == "stack"]) == 13 && length([for a in module.observability.alarms : a if a.region == "us-east-1"]) == 2
    error_message = "Small: 13 regional alarms (RDS 3, DocumentDB 2, one Redis node 3, ALB 4, Meilisearch 1) and 2 in us-east-1."
  }
  assert {
    condition = jsonencode({ for k, a in module.observability.alarms : k => [a.namespace, a.metric, a.threshold] }) == jsonencode({
      alb-elb-5xx                            = ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", 25]
      alb-p99-response-time                  = ["AWS/ApplicationELB", "TargetResponseTime", 10]
      alb-target-5xx                         = ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", 50]
      alb-unhealthy-hosts                    = ["AWS/ApplicationELB", "UnHealthyHostCount", 1]
      cloudfront-5xx-rate                    = ["AWS/CloudFront", "5xxErrorRate", 10]
      docdb-cpu                              = ["AWS/DocDB", "CPUUtilization", 90]
      docdb-free-local-storage               = ["AWS/DocDB", "FreeLocalStorage", 2147483648]
      meilisearch-status-check               = ["AWS/EC2", "StatusCheckFailed", 1]
      rds-connections                        = ["AWS/RDS", "DatabaseConnections", 272]
      rds-cpu                                = ["AWS/RDS", "CPUUtilization", 90]
      rds-free-storage                       = ["AWS/RDS", "FreeStorageSpace", 2147483648]
      redis-engine-cpu-tutor-small-redis-001 = ["AWS/ElastiCache", "EngineCPUUtilization", 90]
      redis-evictions-tutor-small-redis-001  = ["AWS/ElastiCache", "Evictions", 100]
      redis-memory-tutor-small-redis-001     = ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", 90]
      waf-blocked-spike                      = ["AWS/WAFV2", "BlockedRequests", 1000]
    })
    error_message = "Small: the alarms watch these metrics at these thresholds (max_connections of db.t4g.medium is 341, 80% is 272)."
  }
  assert {
    condition = alltrue([for a in module.observability.alarms :
      a.alarm_actions == toset([a.region == "us-east-1" ? output.edge_alerts_topic_arn : output.alerts_topic_arn]) && a.ok_actions == a.alarm_actions
    ])
    error_message = "Every alarm notifies the alert topic of its region and nothing else."
  }
  assert {
    condition     = module.observability.alarms["rds-cpu"].dimensions.DBInstanceIdentifier == "tutor-small-mysql" && module.observability.alarms["docdb-cpu"].dimensions.DBClusterIdentifier == "tutor-small-docdb"
    error_message = "The RDS alarms watch the stack's MySQL instance."
  }
  assert {
    condition     = module.observability.settings.log_group_retention_days == 30 && module.observability.settings.log_group_kms_key == output.kms_key_arn
    error_message = "Small keeps container logs 30 days, encrypted with the deployment key."
  }
  assert {
    condition     = output.alerts_topic_arn == module.observability.alerts_topic_arn && length(module.observability.settings.email_subscriptions) == 0
    error_message = "The stack exposes alerts_topic_arn; no e-mail is subscribed by default."
  }

  # --- The outputs contract (docs/outputs-contract.md) ----------------------------
  # Every stage-1 output that is never null.
  assert {
    condition = alltrue([for v in [
      output.name, output.region, output.cluster_name, output.cluster_endpoint,
      output.cluster_version, output.vpc_id, output.mysql_host, output.mysql_admin_username,
      output.mysql_admin_secret_arn, output.redis_host, output.redis_auth_secret_arn,
      output.meilisearch_url, output.meilisearch_master_key_secret_arn,
      output.efs_file_system_id, output.efs_access_point_id, output.media_role_arn,
      output.node_role_arn, output.load_balancer_controller_role_arn,
      output.cluster_autoscaler_role_arn, output.ebs_csi_role_arn, output.efs_csi_role_arn,
      output.alb_target_group_arn, output.alb_security_group_id, output.alb_dns_name,
      output.cloudfront_domain_name,
    ] : v != null && v != ""])
    error_message = "A non-nullable contract output is empty."
  }
  assert {
    condition     = output.name == "tutor-small" && output.region == "eu-west-1" && output.cluster_name == "tutor-small"
    error_message = "name, region and cluster_name echo the inputs."
  }
  assert {
    condition     = output.redis_port == 6379 && output.mongodb_port == 27017
    error_message = "Ports are published as numbers."
  }
  assert {
    condition     = startswith(output.meilisearch_url, "http://") && endswith(output.meilisearch_url, ":7700")
    error_message = "meilisearch_url points at port 7700 of the private host."
  }
  assert {
    condition     = length(output.public_subnet_ids) == 3 && length(output.private_subnet_ids) == 3
    error_message = "Subnet lists are published."
  }
}

# Bring-your-own MongoDB, planned on top of small_profile's state: the stores that stay
# are in the state, so their outputs and the backup selection's keys are known at plan
# time (on an empty state they would not be, and a plan could not assert them).
run "small_byo_mongodb" {
  command = plan

  variables {
    bring_your_own_mongodb = true
  }

  assert {
    condition     = module.mongodb.settings == null && module.mongodb.instance_count == 0
    error_message = "No DocumentDB resource exists when MongoDB is brought by the user."
  }
  assert {
    condition = alltrue([
      output.mongodb_host == null,
      output.mongodb_port == null,
      output.mongodb_admin_username == null,
      output.mongodb_admin_secret_arn == null,
    ])
    error_message = "Every mongodb_* output is null in bring-your-own mode."
  }
  assert {
    condition     = output.mysql_host != null && output.redis_host != null
    error_message = "The other stores are still created."
  }

  # --- Backups of the small profile (modules/backup's own tests hold the details) ---
  assert {
    condition = (
      !module.backup.settings.vault_lock && module.backup.settings.daily_retention_days == 7 &&
      module.backup.settings.monthly_retention_days == 0 && module.backup.settings.continuous_retention_days == 7 &&
      module.backup.settings.copy_region == null && module.backup.settings.notifications
    )
    error_message = "Small: no lock, daily 7 days, PITR 7 days, no copy; failures go to the deployment's alerts topic by default."
  }
  assert {
    condition     = !contains(keys(module.backup.protected_resources), "mongodb")
    error_message = "With MongoDB brought from outside, no DocumentDB is selected."
  }
}
