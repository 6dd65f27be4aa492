output "primary_endpoint_address" {
  description = "Host name of the primary (read/write) endpoint."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint_address" {
  description = "Host name of the reader endpoint."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Port of the replication group (TLS only)."
  value       = aws_elasticache_replication_group.this.port
}

output "auth_token_secret_arn" {
  description = "ARN of the Secrets Manager secret whose string is the AUTH token (user 'default')."
  value       = aws_secretsmanager_secret.auth.arn
}

output "replication_group_arn" {
  description = "ARN of the replication group."
  value       = aws_elasticache_replication_group.this.arn
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}

output "settings" {
  description = "Security- and redundancy-relevant settings as applied (read by the stack's tests and handy for reviews). The token itself is never part of it."
  value = {
    engine                     = aws_elasticache_replication_group.this.engine
    engine_version             = aws_elasticache_replication_group.this.engine_version
    cluster_mode               = aws_elasticache_replication_group.this.cluster_mode
    num_cache_clusters         = aws_elasticache_replication_group.this.num_cache_clusters
    automatic_failover_enabled = aws_elasticache_replication_group.this.automatic_failover_enabled
    multi_az_enabled           = aws_elasticache_replication_group.this.multi_az_enabled
    at_rest_encryption_enabled = aws_elasticache_replication_group.this.at_rest_encryption_enabled
    transit_encryption_enabled = aws_elasticache_replication_group.this.transit_encryption_enabled
    transit_encryption_mode    = aws_elasticache_replication_group.this.transit_encryption_mode
    auth_token_update_strategy = aws_elasticache_replication_group.this.auth_token_update_strategy
    snapshot_retention_limit   = aws_elasticache_replication_group.this.snapshot_retention_limit
    ingress_security_groups    = aws_vpc_security_group_ingress_rule.clients[*].referenced_security_group_id
    ingress_cidrs              = compact(aws_vpc_security_group_ingress_rule.clients[*].cidr_ipv4)
    subnet_ids                 = sort(tolist(aws_elasticache_subnet_group.this.subnet_ids))
    secret_recovery_days       = aws_secretsmanager_secret.auth.recovery_window_in_days
    log_retention_days         = distinct([for g in aws_cloudwatch_log_group.this : g.retention_in_days])
  }
}
