data "aws_partition" "current" {}

locals {
  log_exports = ["error", "slowquery", "iam-db-auth-error"]
}

# RDS creates /aws/rds/instance/<id>/<log> itself on the first export, without retention
# (kept forever) and without the deployment's key: create them first.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${var.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# The final snapshot's name must be new on every destroy: "<id>-final" would clash with the
# snapshot the previous destroy of the same identifier left behind. The suffix is the time
# this database was first created: timestamp() is drawn once at create, ignore_changes keeps
# it for the database's life, and a destroy/re-apply draws a new one.
resource "terraform_data" "final_snapshot_suffix" {
  input = formatdate("YYYYMMDDhhmmss", timestamp())

  lifecycle {
    ignore_changes = [input]
  }
}

resource "aws_db_subnet_group" "this" {
  name_prefix = "${var.identifier}-"
  description = "Data subnets of ${var.identifier}"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "this" {
  name_prefix = "${var.identifier}-"
  description = "MySQL ${var.identifier}: only the EKS cluster may connect"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.identifier })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  # count, not for_each: the ids are only known after apply.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "MySQL from the EKS cluster"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.identifier}-"
  family      = "mysql8.4"
  description = "Open edX on MySQL 8.4: utf8mb4 everywhere, TLS only"

  # Tutor drops charset utf8mb4 from the Django options when MySQL is external:
  # the server defaults must already be utf8mb4 / utf8mb4_unicode_ci.
  parameter {
    name  = "character_set_server"
    value = "utf8mb4"
  }

  parameter {
    name  = "collation_server"
    value = "utf8mb4_unicode_ci"
  }

  parameter {
    name  = "character_set_client"
    value = "utf8mb4"
  }

  parameter {
    name  = "character_set_connection"
    value = "utf8mb4"
  }

  parameter {
    name  = "character_set_results"
    value = "utf8mb4"
  }

  parameter {
    name  = "collation_connection"
    value = "utf8mb4_unicode_ci"
  }

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }

  # The exported "slowquery" log stays empty unless the slow log is on and goes to a file.
  parameter {
    name  = "slow_query_log"
    value = "1"
  }

  parameter {
    name  = "long_query_time"
    value = tostring(var.long_query_time)
  }

  parameter {
    name  = "log_output"
    value = "FILE"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_iam_role" "monitoring" {
  name_prefix = "${substr(var.identifier, 0, 20)}-rds-mon-"
  description = "Enhanced Monitoring of ${var.identifier}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier     = var.identifier
  engine         = "mysql"
  engine_version = var.engine_version
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  username = var.username
  # RDS generates the password and keeps it (and its rotation) in Secrets Manager:
  # no password ever passes through Terraform variables.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.multi_az
  network_type           = "IPV4"

  backup_retention_period  = var.backup_retention_days
  backup_window            = "02:00-03:00"
  maintenance_window       = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot    = true
  delete_automated_backups = !var.deletion_protection
  deletion_protection      = var.deletion_protection
  # A protected (production) database always leaves a final snapshot behind.
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = "${var.identifier}-final-${terraform_data.final_snapshot_suffix.output}"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  enabled_cloudwatch_logs_exports       = local.log_exports
  iam_database_authentication_enabled   = true

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.monitoring, aws_cloudwatch_log_group.this]
}
