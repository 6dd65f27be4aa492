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
