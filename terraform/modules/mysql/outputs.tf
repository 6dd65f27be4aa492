output "address" {
  description = "Host name of the MySQL endpoint."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "MySQL port."
  value       = aws_db_instance.this.port
}

output "username" {
  description = "Master user name."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret holding the master credentials (JSON keys username and password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "app_password_secret_arn" {
  description = "ARN of the Secrets Manager secret whose string is the Open edX MySQL user's password (Tutor's OPENEDX_MYSQL_PASSWORD)."
  value       = aws_secretsmanager_secret.app.arn
}

output "instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.this.id
}

output "engine_version_actual" {
  description = "Exact MySQL version running."
  value       = aws_db_instance.this.engine_version_actual
}

output "settings" {
  description = "Security- and redundancy-relevant settings as applied (read by the stack's tests and handy for reviews)."
  value = {
    engine                       = aws_db_instance.this.engine
    engine_version               = aws_db_instance.this.engine_version
    storage_encrypted            = aws_db_instance.this.storage_encrypted
    kms_key_id                   = aws_db_instance.this.kms_key_id
    multi_az                     = aws_db_instance.this.multi_az
    deletion_protection          = aws_db_instance.this.deletion_protection
    skip_final_snapshot          = aws_db_instance.this.skip_final_snapshot
    final_snapshot_identifier    = aws_db_instance.this.final_snapshot_identifier
    log_exports                  = sort(tolist(aws_db_instance.this.enabled_cloudwatch_logs_exports))
    log_groups                   = { for k, g in aws_cloudwatch_log_group.this : k => { name = g.name, retention_in_days = g.retention_in_days, kms_key_id = g.kms_key_id } }
    publicly_accessible          = aws_db_instance.this.publicly_accessible
    backup_retention_period      = aws_db_instance.this.backup_retention_period
    performance_insights_enabled = aws_db_instance.this.performance_insights_enabled
    manage_master_user_password  = aws_db_instance.this.manage_master_user_password
    app_password_secret = {
      kms_key_id              = aws_secretsmanager_secret.app.kms_key_id
      recovery_window_in_days = aws_secretsmanager_secret.app.recovery_window_in_days
      password_length         = data.aws_secretsmanager_random_password.app.password_length
      exclude_punctuation     = data.aws_secretsmanager_random_password.app.exclude_punctuation
    }
    parameters              = { for p in aws_db_parameter_group.this.parameter : p.name => p.value }
    parameter_family        = aws_db_parameter_group.this.family
    ingress_security_groups = aws_vpc_security_group_ingress_rule.clients[*].referenced_security_group_id
    ingress_cidrs           = compact(aws_vpc_security_group_ingress_rule.clients[*].cidr_ipv4)
    ingress_ports           = distinct(aws_vpc_security_group_ingress_rule.clients[*].from_port)
    subnet_ids              = sort(tolist(aws_db_subnet_group.this.subnet_ids))
    allocated_storage       = aws_db_instance.this.allocated_storage
    max_allocated_storage   = aws_db_instance.this.max_allocated_storage
    db_subnet_group_name    = aws_db_instance.this.db_subnet_group_name == aws_db_subnet_group.this.name
  }
}
