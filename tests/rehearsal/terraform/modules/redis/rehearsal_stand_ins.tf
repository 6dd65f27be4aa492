# Rehearsal on moto only (tests/rehearsal): the member clusters ElastiCache creates
# for a replication group, which moto only names.
resource "aws_elasticache_cluster" "rehearsal_member" {
  count = var.num_cache_clusters

  cluster_id      = format("%s-%03d", var.identifier, count.index + 1)
  engine          = "redis"
  engine_version  = "7.1"
  node_type       = var.node_type
  num_cache_nodes = 1
}
