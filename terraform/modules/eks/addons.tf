locals {
  # Networking and credentials must exist before the first node joins, otherwise the
  # nodes never become Ready; the others schedule pods and wait for nodes.
  addons_before_nodes = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]
  addons_after_nodes  = ["coredns", "aws-ebs-csi-driver", "aws-efs-csi-driver", "metrics-server"]

  # Per add-on configuration (the add-on's JSON schema: `aws eks
  # describe-addon-configuration`). The VPC CNI enforces NetworkPolicies only with
  # enableNetworkPolicy; written out when off too, so switching it off is a change.
  addon_configuration = {
    vpc-cni = jsonencode({ enableNetworkPolicy = var.network_policy_enabled ? "true" : "false" })
  }

  # Add-ons whose controller calls AWS APIs get their own role through Pod Identity.
  addon_pod_identity = {
    aws-ebs-csi-driver = { service_account = "ebs-csi-controller-sa", role = "ebs_csi" }
    aws-efs-csi-driver = { service_account = "efs-csi-controller-sa", role = "efs_csi" }
  }
}

# The default version EKS publishes for this Kubernetes version (most_recent =
# false): reproducible per cluster version, and overridable with addon_versions.
data "aws_eks_addon_version" "this" {
  for_each = toset(concat(local.addons_before_nodes, local.addons_after_nodes))

  addon_name         = each.value
  kubernetes_version = var.kubernetes_version
  most_recent        = false
}

resource "aws_eks_addon" "before_nodes" {
  for_each = toset(local.addons_before_nodes)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  addon_version               = lookup(var.addon_versions, each.value, data.aws_eks_addon_version.this[each.value].version)
  configuration_values        = lookup(local.addon_configuration, each.value, null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = var.tags
}

resource "aws_eks_addon" "after_nodes" {
  for_each = toset(local.addons_after_nodes)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  addon_version               = lookup(var.addon_versions, each.value, data.aws_eks_addon_version.this[each.value].version)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  dynamic "pod_identity_association" {
    for_each = contains(keys(local.addon_pod_identity), each.value) ? [local.addon_pod_identity[each.value]] : []
    content {
      service_account = pod_identity_association.value.service_account
      role_arn        = aws_iam_role.pod_identity[pod_identity_association.value.role].arn
    }
  }

  tags = var.tags

  depends_on = [
    aws_eks_node_group.on_demand,
    aws_eks_addon.before_nodes,
  ]
}
