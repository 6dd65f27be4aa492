# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no AWS Backup selection API and no Pod Identity association API. The
# module's `settings` output reads the selections; nothing in the stack reads it.

resource "aws_backup_selection" "daily" {
  count = 0
}

resource "aws_backup_selection" "pitr" {
  count = 0
}

resource "aws_eks_pod_identity_association" "dumps" {
  count = 0
}

output "settings" {
  value = null
}
