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

output "settings" {
  description = "Security-relevant settings as applied (read by the stack's tests and handy for reviews)."
  value = {
    version                 = aws_eks_cluster.this.version
    endpoint_private_access = aws_eks_cluster.this.vpc_config[0].endpoint_private_access
    endpoint_public_access  = aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    # Read from the cluster, not the input: a null allow-list means 0.0.0.0/0 on AWS.
    public_access_cidrs       = aws_eks_cluster.this.vpc_config[0].endpoint_public_access ? sort(tolist(aws_eks_cluster.this.vpc_config[0].public_access_cidrs)) : []
    log_retention_days        = aws_cloudwatch_log_group.cluster.retention_in_days
    secrets_encryption_key    = aws_eks_cluster.this.encryption_config[0].provider[0].key_arn
    secrets_encrypted         = contains(tolist(aws_eks_cluster.this.encryption_config[0].resources), "secrets")
    log_types                 = sort(tolist(aws_eks_cluster.this.enabled_cluster_log_types))
    authentication_mode       = aws_eks_cluster.this.access_config[0].authentication_mode
    support_type              = aws_eks_cluster.this.upgrade_policy[0].support_type
    addons                    = sort(concat(keys(aws_eks_addon.before_nodes), keys(aws_eks_addon.after_nodes)))
    addon_pod_identity        = { for k, v in aws_eks_addon.after_nodes : k => [for a in v.pod_identity_association : a.service_account] if length(v.pod_identity_association) > 0 }
    pod_identity_associations = { for k, v in aws_eks_pod_identity_association.this : k => "${v.namespace}/${v.service_account}" }
    imds_http_tokens          = aws_launch_template.nodes.metadata_options[0].http_tokens
    imds_hop_limit            = aws_launch_template.nodes.metadata_options[0].http_put_response_hop_limit
    root_volume_encrypted     = aws_launch_template.nodes.block_device_mappings[0].ebs[0].encrypted
    root_volume_type          = aws_launch_template.nodes.block_device_mappings[0].ebs[0].volume_type
    node_groups               = { for g in concat([aws_eks_node_group.on_demand], aws_eks_node_group.spot) : g.capacity_type => { min = g.scaling_config[0].min_size, desired = g.scaling_config[0].desired_size, max = g.scaling_config[0].max_size, instance_types = g.instance_types, subnet_ids = sort(tolist(g.subnet_ids)) } }
    oidc_client_ids           = sort(tolist(aws_iam_openid_connect_provider.this.client_id_list))
    media_s3_policy           = length(aws_iam_role_policy.media) > 0
  }
}
