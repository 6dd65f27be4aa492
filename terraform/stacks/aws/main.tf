module "network" {
  source = "../../modules/network"

  name                    = var.name
  cluster_name            = var.name
  vpc_cidr                = var.vpc_cidr
  az_count                = 3
  availability_zones      = var.availability_zones
  single_nat_gateway      = local.p.single_nat_gateway
  interface_endpoints     = local.p.interface_endpoints
  flow_log_retention_days = local.p.flow_log_retention_days
  kms_key_arn             = aws_kms_key.main.arn
}

module "eks" {
  source = "../../modules/eks"

  cluster_name                 = var.name
  kubernetes_version           = var.kubernetes_version
  vpc_id                       = module.network.vpc_id
  subnet_ids                   = module.network.private_subnet_ids
  endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs
  cluster_admin_arns           = var.cluster_admin_arns
  kms_key_arn                  = aws_kms_key.main.arn
  log_retention_days           = local.p.log_retention_days

  node_instance_types = local.p.node_instance_types
  node_min_size       = local.p.node_min_size
  node_desired_size   = local.p.node_desired_size
  node_max_size       = local.p.node_max_size
  spot_enabled        = var.spot_nodes_enabled

  openedx_namespace       = var.openedx_namespace
  openedx_service_account = var.openedx_service_account
  media_bucket_enabled    = var.media_bucket_enabled
  media_bucket_arn        = module.storage.media_bucket_arn

  network_policy_enabled = var.network_policies
}

locals {
  # Every data store admits the EKS cluster security group, which EKS puts on
  # the managed nodes and hence on every pod of the VPC CNI.
  cluster_sg = [module.eks.cluster_security_group_id]
}

module "mysql" {
  source = "../../modules/mysql"

  identifier                 = "${var.name}-mysql"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = local.cluster_sg
  kms_key_arn                = aws_kms_key.main.arn

  instance_class        = local.p.mysql_instance_class
  allocated_storage     = local.p.mysql_storage
  max_allocated_storage = local.p.mysql_max_storage
  multi_az              = local.p.mysql_multi_az
  deletion_protection   = local.p.deletion_protection
  backup_retention_days = local.p.backup_retention_days
  log_retention_days    = local.p.log_retention_days

  secret_recovery_window_days = local.p.secret_recovery
}

module "mongodb" {
  source = "../../modules/mongodb"

  enabled                    = !var.bring_your_own_mongodb
  identifier                 = "${var.name}-docdb"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = local.cluster_sg
  kms_key_arn                = aws_kms_key.main.arn

  instance_class        = local.p.docdb_instance_class
  instance_count        = local.p.docdb_instance_count
  deletion_protection   = local.p.deletion_protection
  backup_retention_days = local.p.backup_retention_days
  log_retention_days    = local.p.log_retention_days
}

module "redis" {
  source = "../../modules/redis"

  identifier                  = "${var.name}-redis"
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.data_subnet_ids
  allowed_security_group_ids  = local.cluster_sg
  kms_key_arn                 = aws_kms_key.main.arn
  log_retention_days          = local.p.log_retention_days
  secret_recovery_window_days = local.p.secret_recovery

  node_type               = local.p.redis_node_type
  num_cache_clusters      = local.p.redis_num_nodes
  snapshot_retention_days = local.p.redis_snapshot_days
}

module "search" {
  source = "../../modules/search"

  name                          = var.name
  vpc_id                        = module.network.vpc_id
  meilisearch_subnet_id         = module.network.private_subnet_ids[0]
  meilisearch_availability_zone = module.network.azs[0]
  meilisearch_instance_type     = local.p.meilisearch_type
  meilisearch_binary_sha256     = var.meilisearch_binary_sha256
  protect_from_termination      = local.p.deletion_protection
  allowed_security_group_ids    = local.cluster_sg
  kms_key_arn                   = aws_kms_key.main.arn
  log_retention_days            = local.p.log_retention_days
  secret_recovery_window_days   = local.p.secret_recovery

  opensearch_enabled                    = var.opensearch_enabled
  create_opensearch_service_linked_role = var.opensearch_create_service_linked_role
  opensearch_subnet_ids                 = module.network.data_subnet_ids
  opensearch_instance_type              = local.p.opensearch_type
  opensearch_instance_count             = local.p.opensearch_count
  opensearch_dedicated_master_count     = local.p.opensearch_masters
}

module "storage" {
  source = "../../modules/storage"

  name                       = var.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = local.cluster_sg
  kms_key_arn                = aws_kms_key.main.arn
  efs_backup_enabled         = local.p.efs_backup_enabled
  media_bucket_enabled       = var.media_bucket_enabled
}
