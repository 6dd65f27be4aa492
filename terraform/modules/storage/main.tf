data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

# --- EFS: ReadWriteMany media volume for every Open edX replica -----------------
resource "aws_efs_file_system" "this" {
  #checkov:skip=CKV2_AWS_18:Selected by ARN in the daily plan of terraform/modules/backup (aws_backup_selection.daily); checkov cannot follow the ARN across modules.
  creation_token   = "${var.name}-media"
  encrypted        = true
  kms_key_id       = var.kms_key_arn
  performance_mode = "generalPurpose"
  # Elastic throughput follows the load; bursting would throttle a small,
  # busy file system.
  throughput_mode = "elastic"

  dynamic "lifecycle_policy" {
    for_each = var.efs_transition_to_ia == "" ? [] : [var.efs_transition_to_ia]
    content {
      transition_to_ia = lifecycle_policy.value
    }
  }

  dynamic "lifecycle_policy" {
    for_each = var.efs_transition_to_ia == "" ? [] : ["AFTER_1_ACCESS"]
    content {
      transition_to_primary_storage_class = lifecycle_policy.value
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-media" })
}

resource "aws_efs_backup_policy" "this" {
  file_system_id = aws_efs_file_system.this.id

  backup_policy {
    status = var.efs_backup_enabled ? "ENABLED" : "DISABLED"
  }
}

# Refuse unencrypted NFS: mounts must use TLS (the EFS CSI driver's default).
resource "aws_efs_file_system_policy" "this" {
  file_system_id = aws_efs_file_system.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = aws_efs_file_system.this.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "MountThroughMountTargets"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        # No ClientRootAccess: root is squashed; pods enter through the access point.
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = aws_efs_file_system.this.arn
        Condition = { Bool = { "elasticfilesystem:AccessedViaMountTarget" = "true" } }
      },
    ]
  })
}

resource "aws_security_group" "efs" {
  name_prefix = "${var.name}-efs-"
  description = "EFS of ${var.name}: NFS from the EKS cluster only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-efs" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "efs" {
  # count, not for_each: the ids are only known after apply.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.efs.id
  description                  = "NFS from the EKS cluster"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

resource "aws_efs_mount_target" "this" {
  count = length(var.subnet_ids)

  file_system_id  = aws_efs_file_system.this.id
  subnet_id       = var.subnet_ids[count.index]
  security_groups = [aws_security_group.efs.id]
}

# Open edX containers run as uid/gid 1000: the access point forces that identity
# and creates its root directory owned by it, so no init container has to chown.
resource "aws_efs_access_point" "openedx" {
  file_system_id = aws_efs_file_system.this.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/openedx"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0755"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-openedx" })
}
