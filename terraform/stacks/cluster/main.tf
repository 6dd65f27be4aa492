# Stage 2: the in-cluster controllers that the edge (stage 1) and the plugin rely on.
#
#   AWS Load Balancer Controller -> TargetGroupBinding: NGINX pod IPs into the edge ALB's
#                                   target group, pod security group opened to the ALB
#   F5 NGINX Ingress Controller  -> class `nginx`, ClusterIP service (the ALB reaches the
#                                   pods directly), trusts X-Forwarded-For from the VPC only
#   Cluster autoscaler           -> grows and shrinks the managed node groups
#   StorageClass efs-sc          -> dynamic EFS access points for the media PVC
#
# Cluster autoscaler rather than Karpenter: stage 1 builds managed node groups and one
# autoscaler role; Karpenter would need more stage-1 pieces (interruption queue, EventBridge
# rules, node role and instance profile, NodePool/EC2NodeClass objects) for a workload that
# scales by a few nodes. See docs/edge-and-cluster.md.

data "aws_vpc" "this" {
  id = var.vpc_id
}

locals {
  vpc_cidrs = distinct([for a in data.aws_vpc.this.cidr_block_associations : a.cidr_block])

  labels = {
    "app.kubernetes.io/part-of"    = "tutor-eks"
    "app.kubernetes.io/managed-by" = "terraform"
    "tutor-eks/deployment"         = var.name
  }

  # Service account names are fixed: stage 1's Pod Identity associations point at them.
  lbc_service_account        = "aws-load-balancer-controller"
  autoscaler_service_account = "cluster-autoscaler"

  nginx_namespace    = "nginx-ingress"
  nginx_fullname     = "nginx-ingress"
  nginx_service_name = "nginx-ingress-controller"

  autoscaler_image_tag = coalesce(var.cluster_autoscaler_image_tag, "v${var.cluster_version}.0")

  # Rolling NGINX without 502s. When a pod terminates, the AWS Load Balancer Controller
  # deregisters it from the edge target group; the ALB keeps routing to it for a few
  # seconds and lets in-flight requests drain for the deregistration delay. The preStop
  # sleep keeps NGINX serving through the whole delay (plus the seconds the
  # deregistration takes to reach the ALB), and the grace period leaves NGINX time for
  # its own graceful quit after the sleep. Kubernetes kills at the end of the grace.
  nginx_prestop_seconds       = var.target_group_deregistration_delay + 15
  nginx_termination_grace_sec = local.nginx_prestop_seconds + 30
}

# The NGINX namespace is created here (not by Helm) so that it carries the label that
# makes the AWS Load Balancer Controller inject its readiness gate into the NGINX pods:
# a new pod then only counts as ready once the edge target group reports it healthy, so
# a rollout never removes the old pods before the new ones take traffic.
resource "kubernetes_namespace_v1" "nginx" {
  metadata {
    name = local.nginx_namespace
    labels = merge(local.labels, {
      "elbv2.k8s.aws/pod-readiness-gate-inject" = "enabled"
      # The controller pods meet Pod Security `restricted` with these chart values
      # (uid 101, read-only root, only NET_BIND_SERVICE, RuntimeDefault seccomp):
      # tests/network/test_controller_pod_security.py renders the chart to prove it.
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
    })
  }
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = "3.5.0"
  namespace  = "kube-system"
  timeout    = var.helm_timeout_seconds
  atomic     = true

  values = [yamlencode(local.lbc_values)]
}

resource "helm_release" "nginx_ingress" {
  name       = "nginx-ingress"
  repository = "https://helm.nginx.com/stable"
  chart      = "nginx-ingress"
  version    = "2.7.0"
  namespace  = local.nginx_namespace
  timeout    = var.helm_timeout_seconds
  atomic     = true

  values = [
    yamlencode(local.nginx_values),
    yamlencode(local.nginx_status_values),
    yamlencode(local.nginx_metrics_values),
  ]

  # After the controller: its pod webhook (failure policy Ignore) injects the readiness
  # gate only while it runs, so NGINX pods created before it would start without one.
  depends_on = [kubernetes_namespace_v1.nginx, helm_release.aws_load_balancer_controller]
}

# The binding is a custom resource of the AWS Load Balancer Controller. It goes through a
# small local chart instead of kubernetes_manifest: that resource needs the CRD to exist
# at plan time, which fails on a new cluster where the controller is installed by the
# same apply.
resource "helm_release" "target_group_binding" {
  name      = "edge-target-group-binding"
  chart     = "${path.module}/charts/manifests"
  version   = "1.0.0"
  namespace = local.nginx_namespace
  timeout   = var.helm_timeout_seconds
  atomic    = true

  values = [yamlencode(local.target_group_binding_values)]

  depends_on = [helm_release.aws_load_balancer_controller, helm_release.nginx_ingress]
}

resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = "9.59.0"
  namespace  = "kube-system"
  timeout    = var.helm_timeout_seconds
  atomic     = true

  values = [yamlencode(local.autoscaler_values)]
}

# Media volume class. Access-point mode gives each PVC its own directory and POSIX
# identity; uid/gid 1000 is the user the Open edX containers run as.
resource "kubernetes_storage_class_v1" "efs" {
  metadata {
    name   = var.media_storage_class_name
    labels = local.labels
  }

  storage_provisioner = "efs.csi.aws.com"
  reclaim_policy      = var.efs_reclaim_policy
  volume_binding_mode = "Immediate"
  # EFS has no size to expand: a PVC's requested size is only a label.
  allow_volume_expansion = false

  parameters = {
    provisioningMode = "efs-ap"
    fileSystemId     = var.efs_file_system_id
    directoryPerms   = "700"
    uid              = "1000"
    gid              = "1000"
    basePath         = "/tutor-eks"
  }
}
