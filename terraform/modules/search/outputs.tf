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
