# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no EFS backup-policy API and cannot delete a file-system policy.

resource "aws_efs_backup_policy" "this" {
  count = 0
}

resource "aws_efs_file_system_policy" "this" {
  count = 0
}

# The module's `settings` output reads the backup policy set aside above; only the
# module and stack tests read it.
output "settings" {
  value = null
}
