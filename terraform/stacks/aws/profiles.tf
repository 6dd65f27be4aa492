# Everything that differs between the two profiles, side by side. Nothing else in
# the stack looks at var.profile.
locals {
  profiles = {
    small = {
      single_nat_gateway  = true
      interface_endpoints = []
      log_retention_days  = 30
      kms_deletion_days   = 7
      secret_recovery     = 7

      node_instance_types = ["m6i.large"]
      node_min_size       = 2
      node_desired_size   = 2
      node_max_size       = 4

      mysql_instance_class    = "db.t4g.medium"
      mysql_storage           = 20
      mysql_max_storage       = 100
      mysql_multi_az          = false
      backup_retention_days   = 7
      deletion_protection     = false
      docdb_instance_class    = "db.t4g.medium"
      docdb_instance_count    = 1
      redis_node_type         = "cache.t4g.small"
      redis_num_nodes         = 1
      redis_snapshot_days     = 1
      meilisearch_type        = "t3.medium"
      opensearch_type         = "t3.medium.search"
      opensearch_count        = 1
      opensearch_masters      = 0
      efs_backup_enabled      = false # AWS Backup's plan (modules/backup) covers EFS
      flow_log_retention_days = 30

      # Edge: the ALB and its access logs go away with `terraform destroy`.
      alb_deletion_protection       = false
      edge_log_bucket_force_destroy = true
    }
    production = {
      single_nat_gateway  = false
      interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"]
      log_retention_days  = 90
      kms_deletion_days   = 30
      secret_recovery     = 30

      node_instance_types = ["m6i.xlarge"]
      node_min_size       = 3
      node_desired_size   = 3
      node_max_size       = 9

      mysql_instance_class    = "db.m7g.large"
      mysql_storage           = 100
      mysql_max_storage       = 1000
      mysql_multi_az          = true
      backup_retention_days   = 30
      deletion_protection     = true
      docdb_instance_class    = "db.r6g.large"
      docdb_instance_count    = 3
      redis_node_type         = "cache.m7g.large"
      redis_num_nodes         = 2
      redis_snapshot_days     = 7
      meilisearch_type        = "m6i.large"
      opensearch_type         = "m7g.large.search"
      opensearch_count        = 3
      opensearch_masters      = 3
      efs_backup_enabled      = false # AWS Backup's plan (modules/backup) covers EFS
      flow_log_retention_days = 365

      # Edge: destroying the ALB needs a deliberate apply first; access logs are kept.
      alb_deletion_protection       = true
      edge_log_bucket_force_destroy = false
    }
  }

  p = local.profiles[var.profile]

  tags = merge(var.tags, {
    "app.kubernetes.io/part-of" = "openedx"
    Deployment                  = var.name
    ManagedBy                   = "terraform"
    Profile                     = var.profile
  })
}
