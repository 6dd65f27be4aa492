output "ingress_class_name" {
  description = "IngressClass served by the F5 NGINX Ingress Controller (the plugin's EKS_INGRESS_CLASS_NAME)."
  value       = var.ingress_class_name
}

output "media_storage_class_name" {
  description = "StorageClass for the media PVC (the plugin's EKS_MEDIA_STORAGE_CLASS)."
  value       = kubernetes_storage_class_v1.efs.metadata[0].name
}

output "nginx_namespace" {
  description = "Namespace of the NGINX Ingress Controller."
  value       = helm_release.nginx_ingress.namespace
}

output "nginx_service_name" {
  description = "ClusterIP Service of the NGINX Ingress Controller, bound to the edge ALB target group."
  value       = local.nginx_service_name
}

output "chart_versions" {
  description = "Chart versions installed by this stack."
  value = {
    for r in [helm_release.aws_load_balancer_controller, helm_release.nginx_ingress, helm_release.cluster_autoscaler, helm_release.target_group_binding] :
    r.name => r.version
  }
}
