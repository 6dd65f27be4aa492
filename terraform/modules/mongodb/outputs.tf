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
