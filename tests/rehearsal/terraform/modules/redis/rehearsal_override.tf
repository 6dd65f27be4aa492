# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
#
# moto's replication group names member clusters ("<id>-001", ...) but never creates
# them, and the provider reads each one: the stand-in clusters of
# rehearsal_stand_ins.tf must exist before the group is read (depends_on cannot be
# overridden, so the description refers to them).
#
# moto has no DeleteCacheSubnetGroup: the subnet group is set aside (the group is
# placed without one), and with it the module's `settings` output, which only the
# module's tests read.

resource "aws_elasticache_subnet_group" "this" {
  count = 0
}

resource "aws_elasticache_replication_group" "this" {
  description       = "Open edX cache and Celery broker (${var.identifier}); members ${join(", ", aws_elasticache_cluster.rehearsal_member[*].cluster_id)}"
  subnet_group_name = null
}

output "settings" {
  value = null
}
