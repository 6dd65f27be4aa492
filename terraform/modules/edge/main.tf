# Edge of the platform: browser -> WAF -> CloudFront -> ALB -> NGINX Ingress Controller pods.
# The ALB is public (CloudFront needs a public origin) but only CloudFront's origin-facing
# addresses reach it, and only requests carrying the secret origin header get past its
# listener; everything else receives a 403 from the ALB itself.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  # The LMS host first: it becomes the certificates' primary name.
  host_list = distinct(concat(
    [var.hosts.lms, var.hosts.cms, var.hosts.mfe, var.hosts.meilisearch],
    var.extra_hosts,
  ))

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Pods may get addresses from secondary VPC CIDRs (VPC CNI custom networking), so the
  # ALB may talk to every CIDR of the VPC, on the NGINX ports only. The CIDRs are an input
  # rather than read from the VPC, and the keys are list positions rather than the CIDRs:
  # when the VPC is created in the same apply its CIDRs may be unknown at plan time, and
  # for_each keys must be known then (only the length of the list has to be).
  nginx_ports = distinct([var.nginx_http_port, var.nginx_health_check_port])
  alb_egress = {
    for pair in setproduct(range(length(var.vpc_cidr_blocks)), local.nginx_ports) :
    "cidr${pair[0]}:${pair[1]}" => { cidr = var.vpc_cidr_blocks[pair[0]], port = pair[1] }
  }

  tags = merge(var.tags, { "tutor-eks:component" = "edge" })
}

# --- The secret origin header ---------------------------------------------------------
# Values are drawn by Secrets Manager (no random provider needed) and held in two slots,
# so that a rotation can accept the old and the new value while CloudFront deploys the new
# one to its edges (minutes; until then some edges still send the old value).
#
# Generation N lives in slot N % 2, so slot (N - 1) % 2 still holds generation N - 1. Each
# slot keeps its value until the generation it holds changes: the data source draws a new
# password on every plan, ignore_changes keeps the drawn one, triggers_replace draws anew
# when the slot moves on to a newer generation. Rotation (docs/edge-and-cluster.md):
#   1. origin_header_generation = N + 1, origin_header_accept_previous = true: CloudFront
#      sends the new value, the ALB accepts both (the rule is updated before CloudFront);
#   2. after that apply (it waits for CloudFront to deploy), accept_previous = false.
# The values are in the state (the listener rule and the distribution hold them): keep
# the state encrypted.

locals {
  origin_header_slots = toset(["0", "1"])
  # The generation each slot holds.
  origin_header_slot_generation = {
    for slot in local.origin_header_slots : slot => (
      var.origin_header_generation % 2 == tonumber(slot) ? var.origin_header_generation : var.origin_header_generation - 1
    )
  }
  origin_header_current_slot  = tostring(var.origin_header_generation % 2)
  origin_header_previous_slot = tostring((var.origin_header_generation + 1) % 2)
}

data "aws_secretsmanager_random_password" "origin_header" {
  for_each = local.origin_header_slots

  password_length = 48
  # ALB header conditions treat '*' and '?' as wildcards; letters and digits only.
  exclude_punctuation = true
  include_space       = false
}

resource "terraform_data" "origin_header" {
  for_each = local.origin_header_slots

  input            = sensitive(data.aws_secretsmanager_random_password.origin_header[each.key].random_password)
  triggers_replace = local.origin_header_slot_generation[each.key]

  lifecycle {
    ignore_changes = [input]
  }
}

resource "aws_secretsmanager_secret" "origin_header" {
  #checkov:skip=CKV2_AWS_57:Rotation needs both CloudFront and the ALB rule updated together, with a window accepting both values; it is done by Terraform (origin_header_generation), not by a rotation Lambda.
  # A prefix, not a fixed name: a destroyed secret keeps its name for the recovery window,
  # and a re-apply within that window would fail on a fixed name.
  name_prefix             = "${var.name}-edge-origin-header-"
  description             = "Value of the ${var.origin_header_name} header CloudFront adds to origin requests; the ALB only forwards requests that carry it."
  kms_key_id              = var.secret_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.tags
}

# The secret string is the value CloudFront sends now; Secrets Manager keeps the one
# before it as AWSPREVIOUS.
resource "aws_secretsmanager_secret_version" "origin_header" {
  secret_id     = aws_secretsmanager_secret.origin_header.id
  secret_string = terraform_data.origin_header[local.origin_header_current_slot].output
}

locals {
  origin_header_value = aws_secretsmanager_secret_version.origin_header.secret_string
  # What the ALB rule accepts: the current value, plus the previous one during a rotation.
  origin_header_accepted = concat(
    [local.origin_header_value],
    var.origin_header_accept_previous ? [terraform_data.origin_header[local.origin_header_previous_slot].output] : [],
  )
}
