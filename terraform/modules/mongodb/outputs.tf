output "endpoint" {
  description = "Cluster (writer) endpoint, or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].endpoint : null
}

output "reader_endpoint" {
  description = "Reader endpoint, or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].reader_endpoint : null
}

output "port" {
  description = "Port of the cluster, or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].port : null
}

output "username" {
  description = "Master user name, or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].master_username : null
}

output "master_user_secret_arn" {
  description = "ARN of the DocumentDB-managed Secrets Manager secret (JSON keys username and password), or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].master_user_secret[0].secret_arn : null
}

output "cluster_arn" {
  description = "ARN of the cluster, or null when DocumentDB is not created."
  value       = var.enabled ? aws_docdb_cluster.this[0].arn : null
}

output "security_group_id" {
  description = "Security group of the cluster, or null when DocumentDB is not created."
  value       = var.enabled ? aws_security_group.this[0].id : null
}

output "instance_count" {
  description = "Number of instances created (0 when DocumentDB is not created)."
  value       = length(aws_docdb_cluster_instance.this)
}

output "settings" {
  description = "Security- and redundancy-relevant settings as applied, or null when DocumentDB is not created (read by the stack's tests)."
  value = var.enabled ? {
    engine_version              = aws_docdb_cluster.this[0].engine_version
    storage_encrypted           = aws_docdb_cluster.this[0].storage_encrypted
    kms_key_id                  = aws_docdb_cluster.this[0].kms_key_id
    deletion_protection         = aws_docdb_cluster.this[0].deletion_protection
    skip_final_snapshot         = aws_docdb_cluster.this[0].skip_final_snapshot
    final_snapshot_identifier   = aws_docdb_cluster.this[0].final_snapshot_identifier
    log_exports                 = sort(tolist(aws_docdb_cluster.this[0].enabled_cloudwatch_logs_exports))
    log_groups                  = { for k, g in aws_cloudwatch_log_group.this : k => { name = g.name, retention_in_days = g.retention_in_days, kms_key_id = g.kms_key_id } }
    backup_retention_period     = aws_docdb_cluster.this[0].backup_retention_period
    manage_master_user_password = aws_docdb_cluster.this[0].manage_master_user_password
    instance_count              = length(aws_docdb_cluster_instance.this)
    parameter_family            = aws_docdb_cluster_parameter_group.this[0].family
    parameters                  = { for p in aws_docdb_cluster_parameter_group.this[0].parameter : p.name => p.value }
    ingress_security_groups     = aws_vpc_security_group_ingress_rule.clients[*].referenced_security_group_id
    ingress_cidrs               = compact(aws_vpc_security_group_ingress_rule.clients[*].cidr_ipv4)
    subnet_ids                  = sort(tolist(aws_docdb_subnet_group.this[0].subnet_ids))
    instances_in_cluster        = alltrue([for i in aws_docdb_cluster_instance.this : i.cluster_identifier == aws_docdb_cluster.this[0].id])
  } : null
}
