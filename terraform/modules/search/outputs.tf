output "meilisearch_url" {
  description = "URL of Meilisearch inside the VPC (http on the private IP; reachable from the cluster only)."
  value       = "http://${aws_instance.meilisearch.private_ip}:7700"
}

output "meilisearch_private_ip" {
  description = "Private IP of the Meilisearch host."
  value       = aws_instance.meilisearch.private_ip
}

output "meilisearch_instance_id" {
  description = "EC2 instance id of the Meilisearch host (for Session Manager)."
  value       = aws_instance.meilisearch.id
}

output "meilisearch_security_group_id" {
  description = "Security group of the Meilisearch host (add a rule to it to let a load balancer in for the browser-side Studio search)."
  value       = aws_security_group.meilisearch.id
}

output "meilisearch_master_key_secret_arn" {
  description = "ARN of the Secrets Manager secret whose string is the Meilisearch master key."
  value       = aws_secretsmanager_secret.master_key.arn
}

output "meilisearch_data_volume_id" {
  description = "EBS volume holding the Meilisearch indexes (snapshot it for backups)."
  value       = aws_ebs_volume.meilisearch.id
}

output "meilisearch_data_volume_backup_tag" {
  description = "Tag (key and value) on the Meilisearch data volume that the AWS Backup plan selects it by."
  value       = local.backup_tag
}

output "meilisearch_recovery_alarm_names" {
  description = "CloudWatch alarms that recover (system check) or reboot (instance check) the Meilisearch host; empty when meilisearch_recovery_enabled is false."
  value       = { for k, a in aws_cloudwatch_metric_alarm.meilisearch : k => a.alarm_name }
}

output "opensearch_service_linked_role_created" {
  description = "Whether this module created the account-wide OpenSearch service-linked role."
  value       = length(aws_iam_service_linked_role.opensearch) > 0
}

output "opensearch_endpoint" {
  description = "Host name of the OpenSearch domain's HTTPS endpoint (port 443), or null when OpenSearch is off."
  value       = var.opensearch_enabled ? aws_opensearch_domain.this[0].endpoint : null
}

output "opensearch_master_user" {
  description = "Master user of the OpenSearch domain, or null when OpenSearch is off."
  value       = var.opensearch_enabled ? local.opensearch_user : null
}

output "opensearch_master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret whose string is the OpenSearch master password, or null when OpenSearch is off."
  value       = var.opensearch_enabled ? aws_secretsmanager_secret.opensearch[0].arn : null
}

output "opensearch_security_group_id" {
  description = "Security group of the OpenSearch domain, or null when OpenSearch is off."
  value       = var.opensearch_enabled ? aws_security_group.opensearch[0].id : null
}

output "settings" {
  description = "Security-relevant settings as applied (read by the stack's tests and handy for reviews)."
  value = {
    meilisearch = {
      ami_parameter           = data.aws_ssm_parameter.al2023.name
      subnet_id               = aws_instance.meilisearch.subnet_id
      public_ip               = aws_instance.meilisearch.associate_public_ip_address
      imds_http_tokens        = aws_instance.meilisearch.metadata_options[0].http_tokens
      root_volume_encrypted   = aws_instance.meilisearch.root_block_device[0].encrypted
      data_volume_encrypted   = aws_ebs_volume.meilisearch.encrypted
      data_volume_type        = aws_ebs_volume.meilisearch.type
      ingress_security_groups = aws_vpc_security_group_ingress_rule.meilisearch[*].referenced_security_group_id
      ingress_cidrs           = compact(aws_vpc_security_group_ingress_rule.meilisearch[*].cidr_ipv4)
      version                 = var.meilisearch_version
      termination_protected   = aws_instance.meilisearch.disable_api_termination
      secret_recovery_days    = aws_secretsmanager_secret.master_key.recovery_window_in_days
    }
    opensearch = var.opensearch_enabled ? {
      engine_version          = aws_opensearch_domain.this[0].engine_version
      in_vpc                  = length(aws_opensearch_domain.this[0].vpc_options) > 0
      subnet_ids              = aws_opensearch_domain.this[0].vpc_options[0].subnet_ids
      encrypt_at_rest         = aws_opensearch_domain.this[0].encrypt_at_rest[0].enabled
      node_to_node_encryption = aws_opensearch_domain.this[0].node_to_node_encryption[0].enabled
      enforce_https           = aws_opensearch_domain.this[0].domain_endpoint_options[0].enforce_https
      fine_grained_access     = aws_opensearch_domain.this[0].advanced_security_options[0].enabled
      instance_count          = aws_opensearch_domain.this[0].cluster_config[0].instance_count
      zone_awareness          = aws_opensearch_domain.this[0].cluster_config[0].zone_awareness_enabled
      zone_count              = one(aws_opensearch_domain.this[0].cluster_config[0].zone_awareness_config[*].availability_zone_count)
      dedicated_masters       = aws_opensearch_domain.this[0].cluster_config[0].dedicated_master_enabled ? aws_opensearch_domain.this[0].cluster_config[0].dedicated_master_count : 0
      secret_recovery_days    = aws_secretsmanager_secret.opensearch[0].recovery_window_in_days
      log_retention_days      = distinct([for g in aws_cloudwatch_log_group.opensearch : g.retention_in_days])
      ingress_security_groups = aws_vpc_security_group_ingress_rule.opensearch[*].referenced_security_group_id
      ingress_cidrs           = compact(aws_vpc_security_group_ingress_rule.opensearch[*].cidr_ipv4)
    } : null
  }
}
