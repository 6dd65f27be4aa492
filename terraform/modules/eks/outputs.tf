output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API server."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the API server (public data, for kubeconfig)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "Security group EKS attaches to the control plane and to every managed node (and so to every pod on the VPC CNI). Data stores admit traffic from it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider of the cluster (IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "node_role_arn" {
  description = "IAM role of the managed nodes."
  value       = aws_iam_role.node.arn
}

output "node_group_names" {
  description = "Names of the managed node groups."
  value       = concat([aws_eks_node_group.on_demand.node_group_name], aws_eks_node_group.spot[*].node_group_name)
}

output "load_balancer_controller_role_arn" {
  description = "Pod Identity role of the AWS Load Balancer Controller (kube-system/aws-load-balancer-controller)."
  value       = aws_iam_role.pod_identity["load_balancer_controller"].arn
}

output "cluster_autoscaler_role_arn" {
  description = "Pod Identity role of the cluster autoscaler (kube-system/cluster-autoscaler)."
  value       = aws_iam_role.pod_identity["cluster_autoscaler"].arn
}

output "ebs_csi_role_arn" {
  description = "Pod Identity role of the EBS CSI controller."
  value       = aws_iam_role.pod_identity["ebs_csi"].arn
}

output "efs_csi_role_arn" {
  description = "Pod Identity role of the EFS CSI controller."
  value       = aws_iam_role.pod_identity["efs_csi"].arn
}

output "media_role_arn" {
  description = "Pod Identity role of the Open edX pods (<openedx_namespace>/<openedx_service_account>); holds S3 media access when the bucket exists."
  value       = aws_iam_role.pod_identity["media"].arn
}

output "addon_versions" {
  description = "Versions of the EKS add-ons installed."
  value       = { for k, v in merge(aws_eks_addon.before_nodes, aws_eks_addon.after_nodes) : k => v.addon_version }
}
