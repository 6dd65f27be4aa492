# Rehearsal on moto only (tests/rehearsal): EKS creates the cluster security group
# itself and DescribeCluster names it; moto does neither, so the data stores get a
# security group of the same VPC to admit instead.
resource "aws_security_group" "rehearsal_cluster" {
  name_prefix = "${var.cluster_name}-cluster-stand-in-"
  description = "Stand-in for the EKS cluster security group (moto names none)"
  vpc_id      = var.vpc_id
}
