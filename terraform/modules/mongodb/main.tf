locals {
  count = var.enabled ? 1 : 0
  # docdb5.0 for 5.0.0, docdb8.0 for 8.0.0.
  family      = "docdb${join(".", slice(split(".", var.engine_version), 0, 2))}"
  log_exports = ["audit", "profiler"]
}

# DocumentDB creates /aws/docdb/<cluster>/<log> itself on the first export, without
# retention (kept forever) and without the deployment's key: create them first.
resource "aws_cloudwatch_log_group" "this" {
  for_each = var.enabled ? toset(local.log_exports) : toset([])

  name              = "/aws/docdb/${var.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# A new final snapshot name on every destroy (see the mysql module): the time the cluster
# was first created, kept for its life.
resource "terraform_data" "final_snapshot_suffix" {
  count = local.count

  input = formatdate("YYYYMMDDhhmmss", timestamp())

  lifecycle {
    ignore_changes = [input]
  }
}

resource "aws_docdb_subnet_group" "this" {
  count = local.count

  name_prefix = "${var.identifier}-"
  description = "Data subnets of ${var.identifier}"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_docdb_cluster.this[0] (vpc_security_group_ids); checkov's graph does not follow the count-indexed reference.
  count = local.count

  name_prefix = "${var.identifier}-"
  description = "DocumentDB ${var.identifier}: only the EKS cluster may connect"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.identifier })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  # count, not for_each: the ids are only known after apply.
  count = var.enabled ? length(var.allowed_security_group_ids) : 0

  security_group_id            = aws_security_group.this[0].id
  description                  = "MongoDB protocol from the EKS cluster"
  ip_protocol                  = "tcp"
  from_port                    = 27017
  to_port                      = 27017
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

resource "aws_docdb_cluster_parameter_group" "this" {
  count = local.count

  name_prefix = "${var.identifier}-"
  family      = local.family
  description = "Open edX on DocumentDB: TLS required, audit and profiler on"

  parameter {
    name  = "tls"
    value = "enabled"
  }

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }

  parameter {
    name  = "profiler"
    value = "enabled"
  }

  # What the exported "profiler" log records: operations slower than this.
  parameter {
    name  = "profiler_threshold_ms"
    value = tostring(var.profiler_threshold_ms)
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_docdb_cluster" "this" {
  count = local.count

  cluster_identifier = var.identifier
  engine             = "docdb"
  engine_version     = var.engine_version

  master_username = var.username
  # DocumentDB generates the password and keeps it in Secrets Manager (supported by
  # the provider's docdb schema): no password passes through Terraform.
  manage_master_user_password = true

  db_subnet_group_name            = aws_docdb_subnet_group.this[0].name
  vpc_security_group_ids          = [aws_security_group.this[0].id]
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.this[0].name
  port                            = 27017

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  backup_retention_period      = var.backup_retention_days
  preferred_backup_window      = "02:00-03:00"
  preferred_maintenance_window = "sun:04:30-sun:05:30"
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = !var.deletion_protection
  final_snapshot_identifier    = "${var.identifier}-final-${terraform_data.final_snapshot_suffix[0].output}"

  enabled_cloudwatch_logs_exports = local.log_exports
  allow_major_version_upgrade     = false
  apply_immediately               = false

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_docdb_cluster_instance" "this" {
  count = var.enabled ? var.instance_count : 0

  identifier                 = "${var.identifier}-${count.index + 1}"
  cluster_identifier         = aws_docdb_cluster.this[0].id
  instance_class             = var.instance_class
  auto_minor_version_upgrade = true
  # Lower tiers are promoted first on failover.
  promotion_tier = count.index

  tags = var.tags
}
