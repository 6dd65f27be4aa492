output "efs_file_system_id" {
  description = "ID of the EFS file system."
  value       = aws_efs_file_system.this.id
}

output "efs_file_system_arn" {
  description = "ARN of the EFS file system."
  value       = aws_efs_file_system.this.arn
}

output "efs_access_point_id" {
  description = "ID of the access point (uid/gid 1000, root /openedx) the Open edX PersistentVolume mounts."
  value       = aws_efs_access_point.openedx.id
}

output "efs_security_group_id" {
  description = "Security group of the mount targets."
  value       = aws_security_group.efs.id
}

output "efs_mount_target_ids" {
  description = "Mount targets, one per subnet."
  value       = aws_efs_mount_target.this[*].id
}

output "media_bucket_name" {
  description = "Name of the S3 media bucket, or null when it is not created."
  value       = var.media_bucket_enabled ? aws_s3_bucket.media[0].id : null
}

output "media_bucket_arn" {
  description = "ARN of the S3 media bucket, or null when it is not created."
  value       = var.media_bucket_enabled ? aws_s3_bucket.media[0].arn : null
}

output "settings" {
  description = "Security-relevant settings as applied (read by the stack's tests and handy for reviews)."
  value = {
    efs_encrypted           = aws_efs_file_system.this.encrypted
    efs_mount_targets       = length(aws_efs_mount_target.this)
    efs_backup_policy       = aws_efs_backup_policy.this.backup_policy[0].status
    access_point_uid        = aws_efs_access_point.openedx.posix_user[0].uid
    access_point_gid        = aws_efs_access_point.openedx.posix_user[0].gid
    ingress_security_groups = aws_vpc_security_group_ingress_rule.efs[*].referenced_security_group_id
    ingress_cidrs           = compact(aws_vpc_security_group_ingress_rule.efs[*].cidr_ipv4)
    media_bucket = var.media_bucket_enabled ? {
      public_access_blocked = alltrue([
        aws_s3_bucket_public_access_block.media[0].block_public_acls,
        aws_s3_bucket_public_access_block.media[0].block_public_policy,
        aws_s3_bucket_public_access_block.media[0].ignore_public_acls,
        aws_s3_bucket_public_access_block.media[0].restrict_public_buckets,
      ])
      sse_algorithm = one(aws_s3_bucket_server_side_encryption_configuration.media[0].rule[*].apply_server_side_encryption_by_default[0].sse_algorithm)
      versioning    = aws_s3_bucket_versioning.media[0].versioning_configuration[0].status
    } : null
  }
}
