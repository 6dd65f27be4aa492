# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no EKS add-on, add-on version or Pod Identity association API, and its
# DescribeCluster carries no clusterSecurityGroupId: the data stores admit a stand-in
# security group (rehearsal_stand_ins.tf) instead.

data "aws_eks_addon_version" "this" {
  for_each = toset([])
}

resource "aws_eks_addon" "before_nodes" {
  for_each = toset([])
}

resource "aws_eks_addon" "after_nodes" {
  for_each = toset([])
}

resource "aws_eks_pod_identity_association" "this" {
  for_each = {}
}

output "cluster_security_group_id" {
  value = aws_security_group.rehearsal_cluster.id
}

# Read by the module's tests only; moto's DescribeCluster returns no accessConfig or
# upgradePolicy, which it indexes.
output "settings" {
  value = null
}
