# Helm values of each release, as plain objects: main.tf yamlencodes them, and the
# structure tests (tests/terraform/test_cluster_stack.py) read them with python-hcl2.

locals {
  lbc_values = {
    clusterName  = var.cluster_name
    region       = var.region
    vpcId        = var.vpc_id
    replicaCount = 2
    # This controller only binds target groups here; ingresses go to NGINX (class nginx).
    createIngressClassResource = false
    # Its Service-mutating and Ingress-validating webhooks (failure policy Fail) would
    # reject every Service and Ingress created while its pods are not ready: NGINX's and
    # the autoscaler's Services on the first apply (atomic rolls back), and every Tutor
    # Ingress update whenever the controller is down. It manages no Service or Ingress
    # here, so both are off (docs/decisions.md, "Stage 2 and the Load Balancer
    # Controller's webhooks"). The TargetGroupBinding webhooks stay: only bindings use them.
    enableServiceMutatorWebhook = false
    webhookConfig               = { disableIngressValidation = true }
    resources = {
      requests = { cpu = "50m", memory = "128Mi" }
      limits   = { memory = "256Mi" }
    }
    podDisruptionBudget = { maxUnavailable = 1 }
    # The chart's defaults plus what checkov asks for: no capabilities, the runtime's
    # seccomp profile, a uid outside the host's range (65534, nobody).
    securityContext = {
      readOnlyRootFilesystem   = true
      runAsNonRoot             = true
      runAsUser                = 65534
      allowPrivilegeEscalation = false
      capabilities             = { drop = ["ALL"] }
      seccompProfile           = { type = "RuntimeDefault" }
    }
    serviceAccount = {
      create      = true
      name        = local.lbc_service_account
      annotations = var.controller_identity == "irsa" ? { "eks.amazonaws.com/role-arn" = var.load_balancer_controller_role_arn } : {}
    }
  }

  nginx_values = {
    fullnameOverride    = local.nginx_fullname
    serviceNameOverride = local.nginx_service_name
    controller = {
      kind         = "deployment"
      replicaCount = var.nginx_replicas
      ingressClass = {
        name                = var.ingress_class_name
        create              = true
        setAsDefaultIngress = false
      }
      # NGINX listens where the target group sends traffic: the listener port is what the
      # server blocks bind; containerPort only documents it in the pod spec.
      defaultHTTPListenerPort = var.nginx_http_port
      containerPort           = { http = var.nginx_http_port }
      # Drain before stopping (see local.nginx_prestop_seconds in main.tf). The sleep
      # action needs no shell in the image (Kubernetes >= 1.30).
      lifecycle                     = { preStop = { sleep = { seconds = local.nginx_prestop_seconds } } }
      terminationGracePeriodSeconds = local.nginx_termination_grace_sec
      # The ALB reaches the pods by IP (TargetGroupBinding): no cloud load balancer here.
      # TLS ends at CloudFront and the ALB, so the pods only speak HTTP.
      service = {
        type      = "ClusterIP"
        httpPort  = { enable = true, port = 80, targetPort = var.nginx_http_port }
        httpsPort = { enable = false }
      }
      readyStatus = { enable = true, port = var.nginx_health_check_port }
      config = {
        entries = {
          "client-max-body-size" = var.nginx_client_max_body_size
          "proxy-read-timeout"   = var.nginx_proxy_timeout
          "proxy-send-timeout"   = var.nginx_proxy_timeout
          # The ALB (in the VPC) passes CloudFront's X-Forwarded-For unchanged; trusting
          # only VPC addresses makes NGINX use the viewer address CloudFront put last.
          "set-real-ip-from"  = join(",", local.vpc_cidrs)
          "real-ip-header"    = "X-Forwarded-For"
          "real-ip-recursive" = "True"
          # TLS ends before the pods: redirect-to-https makes NGINX send
          # X-Forwarded-Proto https upstream (Django builds https URLs, ENABLE_HTTPS) and
          # redirect a request that arrived as plain http at the edge.
          "redirect-to-https" = "True"
          "ssl-redirect"      = "False"
          # CloudFront adds HSTS to every answer.
          "hsts"               = "False"
          "server-tokens"      = "False"
          "keepalive-timeout"  = "75s"
          "worker-connections" = "4096"
        }
      }
      reportIngressStatus = { enable = true }
      enableSnippets      = false
      telemetryReporting  = { enable = false }
      resources = {
        requests = { cpu = "100m", memory = "128Mi" }
        limits   = { memory = "512Mi" }
      }
      # The chart then copies /etc/nginx into an emptyDir with an init container and
      # mounts writable emptyDirs only where NGINX writes (cache, config, run).
      readOnlyRootFilesystem = true
      initContainerResources = {
        requests = { cpu = "50m", memory = "64Mi" }
        limits   = { memory = "128Mi" }
      }
      podDisruptionBudget = { enabled = true, minAvailable = 1 }
      topologySpreadConstraints = [{
        maxSkew           = 1
        topologyKey       = "topology.kubernetes.io/zone"
        whenUnsatisfiable = "ScheduleAnyway"
        labelSelector = { matchLabels = {
          "app.kubernetes.io/name"     = "nginx-ingress"
          "app.kubernetes.io/instance" = "nginx-ingress"
        } }
      }]
    }
    prometheus = {
      create  = true
      port    = 9113
      service = { create = true }
    }
  }

  target_group_binding_values = {
    manifests = [{
      apiVersion = "elbv2.k8s.aws/v1beta1"
      kind       = "TargetGroupBinding"
      metadata = {
        name      = "nginx-ingress-edge"
        namespace = local.nginx_namespace
        labels    = local.labels
      }
      spec = {
        serviceRef     = { name = local.nginx_service_name, port = 80 }
        targetGroupARN = var.alb_target_group_arn
        targetType     = "ip"
        # The controller adds these rules to the pods' security group: the ALB may reach
        # NGINX on its traffic port and its readiness port (health checks), nothing else.
        networking = {
          ingress = [{
            from = [{ securityGroup = { groupID = var.alb_security_group_id } }]
            ports = [
              { protocol = "TCP", port = var.nginx_http_port },
              { protocol = "TCP", port = var.nginx_health_check_port },
            ]
          }]
        }
      }
    }]
  }

  autoscaler_values = {
    cloudProvider = "aws"
    awsRegion     = var.region
    autoDiscovery = { clusterName = var.cluster_name }
    image         = { tag = local.autoscaler_image_tag }
    rbac = {
      serviceAccount = {
        create      = true
        name        = local.autoscaler_service_account
        annotations = var.controller_identity == "irsa" ? { "eks.amazonaws.com/role-arn" = var.cluster_autoscaler_role_arn } : {}
      }
    }
    extraArgs = {
      "balance-similar-node-groups"   = true
      "skip-nodes-with-local-storage" = false
      "expander"                      = "least-waste"
    }
    resources = {
      requests = { cpu = "100m", memory = "300Mi" }
      limits   = { memory = "600Mi" }
    }
    securityContext = {
      runAsNonRoot   = true
      runAsUser      = 65534
      runAsGroup     = 65534
      seccompProfile = { type = "RuntimeDefault" }
    }
    containerSecurityContext = {
      readOnlyRootFilesystem   = true
      allowPrivilegeEscalation = false
      capabilities             = { drop = ["ALL"] }
    }
  }

  # Helm merges this second values document into the first.
  nginx_status_values = var.cloudfront_domain_name == null ? {} : {
    controller = { config = { entries = { "external-status-address" = var.cloudfront_domain_name } } }
  }
}
