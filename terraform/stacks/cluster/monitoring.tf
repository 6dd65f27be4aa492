# Observability, stage-2 side (docs/observability.md):
#
#   kube-prometheus-stack -> Prometheus (gp3 PVC, retention per profile), Alertmanager
#                            (SNS receiver, SigV4 with Pod Identity), Grafana (dashboards of
#                            monitoring/dashboards, CloudWatch data source), kube-state-metrics,
#                            node-exporter, the rules of monitoring/rules, and a ServiceMonitor
#                            for the NGINX Ingress Controller's metrics
#   aws-for-fluent-bit    -> every container's output to the stage-1 log group
#
# The AWS roles of Fluent Bit, Grafana and Alertmanager come from stage 1 through Pod
# Identity associations on fixed service account names (local.monitoring_service_accounts,
# the defaults of terraform/modules/observability's service_accounts): nothing to annotate.

variable "profile" {
  description = "Stage-1 profile (small or production): sizes Prometheus's volume and retention."
  type        = string
  default     = "small"

  validation {
    condition     = contains(["small", "production"], var.profile)
    error_message = "profile must be small or production."
  }
}

variable "alerts_topic_arn" {
  description = "Stage-1 SNS topic of the alerts: Alertmanager's receiver."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.alerts_topic_arn))
    error_message = "alerts_topic_arn must be an SNS topic ARN (stage-1 output alerts_topic_arn)."
  }
}

variable "container_log_group_name" {
  description = "Stage-1 CloudWatch log group of the containers: Fluent Bit's destination."
  type        = string
}

variable "alb_metric_dimension" {
  description = "Stage-1 CloudWatch dimension of the edge ALB (app/<name>/<id>): default of the AWS dashboard's ALB variable."
  type        = string
  default     = ""
}

variable "cloudfront_distribution_id" {
  description = "Stage-1 CloudFront distribution id: default of the AWS dashboard's distribution variable."
  type        = string
  default     = ""
}

locals {
  monitoring_namespace = "monitoring"
  gp3_storage_class    = "gp3"
  monitoring_service_accounts = {
    log_shipper  = "fluent-bit"
    grafana      = "grafana"
    alertmanager = "alertmanager"
  }

  # Sizing (docs/observability.md): about 150k active series on a small cluster and 400k
  # on a production one, scraped every 30 s at ~1.5 bytes per compressed sample, give
  # ~0.6 GiB a day and ~1.7 GiB a day. The volume holds the retention plus the WAL with
  # a margin; retentionSize is the safety net that deletes old blocks before the volume
  # fills up.
  prometheus_sizing = {
    small      = { retention = "15d", retention_size = "16GiB", volume = "20Gi", memory = "2Gi" }
    production = { retention = "30d", retention_size = "64GiB", volume = "80Gi", memory = "6Gi" }
  }
  prometheus = local.prometheus_sizing[var.profile]

  # Requests so the scheduler reserves room on the node and memory limits so a leak is
  # killed instead of starving the node (the charts set none). No CPU limits: throttling
  # a scraper or exporter only makes it miss scrapes.
  # Container hardening the charts leave off (node-exporter and Fluent Bit read files
  # only; Fluent Bit stays root to read the root-owned container logs, see
  # tests/charts/checkov_skips.yml).
  restricted_container = {
    allowPrivilegeEscalation = false
    readOnlyRootFilesystem   = true
    capabilities             = { drop = ["ALL"] }
    seccompProfile           = { type = "RuntimeDefault" }
  }

  monitoring_resources = {
    grafana            = { requests = { cpu = "100m", memory = "256Mi" }, limits = { memory = "512Mi" } }
    grafana_sidecar    = { requests = { cpu = "10m", memory = "64Mi" }, limits = { memory = "128Mi" } }
    kube_state_metrics = { requests = { cpu = "50m", memory = "128Mi" }, limits = { memory = "384Mi" } }
    node_exporter      = { requests = { cpu = "20m", memory = "32Mi" }, limits = { memory = "96Mi" } }
    operator           = { requests = { cpu = "50m", memory = "128Mi" }, limits = { memory = "256Mi" } }
    job                = { requests = { cpu = "10m", memory = "32Mi" }, limits = { memory = "64Mi" } }
  }

  # Alerts that page (through SNS): the rules of this repository (label tutor_eks) and
  # the chart's critical ones. The chart's warnings stay visible in Alertmanager and
  # Grafana without mailing anyone; Watchdog (always firing) goes nowhere.
  alertmanager_config = {
    global = { resolve_timeout = "5m" }
    route = {
      receiver        = "null"
      group_by        = ["alertname", "namespace"]
      group_wait      = "30s"
      group_interval  = "5m"
      repeat_interval = "4h"
      routes = [
        { receiver = "null", matchers = ["alertname = \"Watchdog\""] },
        { receiver = "sns", matchers = ["tutor_eks = \"true\""] },
        { receiver = "sns", matchers = ["severity = \"critical\""] },
      ]
    }
    receivers = [
      { name = "null" },
      {
        name = "sns"
        sns_configs = [{
          topic_arn     = var.alerts_topic_arn
          send_resolved = true
          # No keys: the AWS SDK's default chain finds the Pod Identity credentials.
          sigv4 = { region = var.region }
        }]
      },
    ]
    inhibit_rules = [{
      source_matchers = ["severity = \"critical\""]
      target_matchers = ["severity = \"warning\""]
      equal           = ["namespace", "alertname"]
    }]
  }

  monitoring_values = {
    fullnameOverride = "kps"

    # EKS runs the control plane: its components cannot be scraped, and their rules
    # would only fire "target down".
    kubeControllerManager = { enabled = false }
    kubeScheduler         = { enabled = false }
    kubeEtcd              = { enabled = false }
    kubeProxy             = { enabled = false }
    defaultRules = {
      create = true
      rules = {
        etcd                   = false
        kubeControllerManager  = false
        kubeSchedulerAlerting  = false
        kubeSchedulerRecording = false
        kubeProxy              = false
      }
    }

    additionalPrometheusRulesMap = {
      tutor-eks = yamldecode(file("${path.module}/monitoring/rules/tutor-eks.rules.yaml"))
    }

    # Nodes per zone on the Cluster dashboard need the zone label on kube_node_labels.
    kube-state-metrics = {
      metricLabelsAllowlist = ["nodes=[topology.kubernetes.io/zone]"]
      resources             = local.monitoring_resources.kube_state_metrics
    }
    prometheus-node-exporter = {
      resources = local.monitoring_resources.node_exporter
      # It only reads /proc and /sys: no capability, no escalation, the runtime's seccomp.
      containerSecurityContext = local.restricted_container
    }
    prometheusOperator = {
      resources = local.monitoring_resources.operator
      # The jobs that create and patch the webhook's certificate.
      admissionWebhooks = { patch = { resources = local.monitoring_resources.job } }
    }

    prometheus = {
      # The F5 NGINX Ingress Controller's metrics service (prometheus.service in
      # local.nginx_values; labels of the chart's defaults).
      additionalServiceMonitors = [{
        name = "nginx-ingress"
        selector = { matchLabels = {
          service                      = "nginx-ingress-prometheus-service"
          "app.kubernetes.io/instance" = "nginx-ingress"
        } }
        namespaceSelector = { matchNames = [local.nginx_namespace] }
        endpoints         = [{ port = "prometheus", interval = "30s" }]
      }]
      prometheusSpec = {
        scrapeInterval = "30s"
        retention      = local.prometheus.retention
        retentionSize  = local.prometheus.retention_size
        # Pick up rules and monitors of every release, not only this one's.
        ruleSelectorNilUsesHelmValues           = false
        serviceMonitorSelectorNilUsesHelmValues = false
        podMonitorSelectorNilUsesHelmValues     = false
        resources = {
          requests = { cpu = "250m", memory = local.prometheus.memory }
          limits   = { memory = local.prometheus.memory }
        }
        storageSpec = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = local.gp3_storage_class
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = local.prometheus.volume } }
            }
          }
        }
      }
    }

    alertmanager = {
      serviceAccount = { create = true, name = local.monitoring_service_accounts.alertmanager }
      config         = local.alertmanager_config
    }

    grafana = {
      fullnameOverride = "grafana"
      # No adminPassword: the chart generates one into Secret grafana (key admin-password)
      # and keeps it on upgrades; `tutor eks grafana` says how to read it.
      serviceAccount = { create = true, name = local.monitoring_service_accounts.grafana }
      service        = { type = "ClusterIP" }
      resources      = local.monitoring_resources.grafana
      # The chart's `helm test` pod (root, no resources) is never run by Terraform.
      testFramework = { enabled = false }
      sidecar       = { resources = local.monitoring_resources.grafana_sidecar }
      # The init container that writes the dashboards of `dashboards` to disk.
      downloadDashboards = { resources = local.monitoring_resources.grafana_sidecar }
      additionalDataSources = [{
        name     = "CloudWatch"
        uid      = "cloudwatch"
        type     = "cloudwatch"
        access   = "proxy"
        editable = false
        # authType default: the SDK chain, i.e. the Pod Identity role of stage 1.
        jsonData = { authType = "default", defaultRegion = var.region }
      }]
      dashboardProviders = {
        "dashboardproviders.yaml" = {
          apiVersion = 1
          providers = [{
            name            = "tutor-eks"
            orgId           = 1
            folder          = "Open edX"
            type            = "file"
            disableDeletion = true
            editable        = false
            options         = { path = "/var/lib/grafana/dashboards/tutor-eks" }
          }]
        }
      }
      dashboards = { tutor-eks = local.grafana_dashboards }
    }
  }

  # The AWS dashboard's variables default to this deployment's resources.
  dashboard_defaults = {
    deployment   = var.name
    alb          = var.alb_metric_dimension
    distribution = var.cloudfront_distribution_id
  }
  grafana_dashboards = {
    for f in fileset("${path.module}/monitoring/dashboards", "*.json") :
    trimsuffix(f, ".json") => { json = templatefile("${path.module}/monitoring/dashboards/${f}", local.dashboard_defaults) }
  }

  log_shipper_values = {
    serviceAccount = { create = true, name = local.monitoring_service_accounts.log_shipper }
    cloudWatchLogs = {
      enabled      = true
      region       = var.region
      logGroupName = var.container_log_group_name
      # One stream per container; each record keeps its kubernetes.* metadata for Logs
      # Insights. The group exists (stage 1): never create one.
      logStreamTemplate = "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']"
      logStreamPrefix   = "unlabelled."
      autoCreateGroup   = false
    }
    podSecurityContext       = { seccompProfile = { type = "RuntimeDefault" } }
    containerSecurityContext = local.restricted_container
    # Every node, tainted or not, runs the shipper.
    tolerations = [{ operator = "Exists" }]
    # The chart's liveness probe's endpoint (its service config turns Health_Check on);
    # the chart sets no readiness probe.
    readinessProbe = {
      httpGet             = { path = "/api/v1/health", port = 2020, scheme = "HTTP" }
      initialDelaySeconds = 10
      periodSeconds       = 10
    }
    resources = {
      requests = { cpu = "50m", memory = "100Mi" }
      limits   = { memory = "250Mi" }
    }
  }

  # Merged into the NGINX release's values (main.tf): upstream latency histograms
  # (nginx_ingress_controller_upstream_server_response_latency_ms) for the Open edX
  # dashboard. The ServiceMonitor is in local.monitoring_values.
  nginx_metrics_values = {
    controller = { enableLatencyMetrics = true }
    prometheus = { create = true, service = { create = true } }
  }
}

# Prometheus's volume: gp3 through the EBS CSI driver (stage-1 add-on), encrypted with
# the account's EBS key. WaitForFirstConsumer puts the volume in the zone of the pod.
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name   = local.gp3_storage_class
    labels = local.labels
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true

  parameters = {
    type      = "gp3"
    encrypted = "true"
  }
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name   = local.monitoring_namespace
    labels = local.labels
  }
}

resource "helm_release" "kube_prometheus_stack" {
  name       = "kube-prometheus-stack"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = "88.5.3"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  timeout    = var.helm_timeout_seconds
  atomic     = true

  values = [yamlencode(local.monitoring_values)]

  depends_on = [kubernetes_storage_class_v1.gp3]
}

resource "helm_release" "log_shipper" {
  name       = "aws-for-fluent-bit"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-for-fluent-bit"
  version    = "0.2.0"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  timeout    = var.helm_timeout_seconds
  atomic     = true

  values = [yamlencode(local.log_shipper_values)]
}
