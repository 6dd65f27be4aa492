locals {
  opensearch_count = var.opensearch_enabled ? 1 : 0
  opensearch_zones = min(var.opensearch_instance_count, 3)
  opensearch_name  = "${var.name}-search"
  opensearch_arn   = "arn:${local.partition}:es:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:domain/${local.opensearch_name}"
  opensearch_user  = "openedx"
}

# Fine-grained access control with an internal master user: edx-search's
# elasticsearch-py client sends HTTP basic auth but cannot sign requests with
# SigV4, so IAM-only access would lock it out. The password lives in Secrets
# Manager and is read back from there (the secret is the source of truth).
data "aws_secretsmanager_random_password" "opensearch" {
  count = local.opensearch_count

  password_length            = 32
  exclude_characters         = "\"'\\/@:;`$"
  include_space              = false
  require_each_included_type = true
}

resource "aws_secretsmanager_secret" "opensearch" {
  #checkov:skip=CKV2_AWS_57:The domain reads the password back from this secret on apply; rotation is an operator step (new value, then apply).
  count = local.opensearch_count

  name_prefix             = "${var.name}-opensearch-master-"
  description             = "Password of the OpenSearch master user '${local.opensearch_user}' of ${var.name}; the secret string is the password itself"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "opensearch" {
  count = local.opensearch_count

  secret_id     = aws_secretsmanager_secret.opensearch[0].id
  secret_string = sensitive(data.aws_secretsmanager_random_password.opensearch[0].random_password)

  lifecycle {
    ignore_changes = [secret_string]
  }
}

data "aws_secretsmanager_secret_version" "opensearch" {
  count = local.opensearch_count

  secret_id = aws_secretsmanager_secret.opensearch[0].id

  depends_on = [aws_secretsmanager_secret_version.opensearch]
}

# VPC domains need the account-wide service-linked role AWSServiceRoleForAmazonOpenSearchService;
# nothing else creates it, so a fresh account fails without it. An account that already
# has it (another domain, the console) sets create_opensearch_service_linked_role = false:
# IAM refuses a second one.
resource "aws_iam_service_linked_role" "opensearch" {
  count = var.opensearch_enabled && var.create_opensearch_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
  description      = "Lets Amazon OpenSearch Service manage the network interfaces of VPC domains (created by ${var.name})"
  tags             = var.tags
}

resource "aws_security_group" "opensearch" {
  count = local.opensearch_count

  name_prefix = "${var.name}-opensearch-"
  description = "OpenSearch of ${var.name}: HTTPS from the EKS cluster only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-opensearch" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "opensearch" {
  # count, not for_each: the ids are only known after apply.
  count = var.opensearch_enabled ? length(var.allowed_security_group_ids) : 0

  security_group_id            = aws_security_group.opensearch[0].id
  description                  = "OpenSearch HTTPS from the EKS cluster"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

resource "aws_cloudwatch_log_group" "opensearch" {
  for_each = var.opensearch_enabled ? toset(["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"]) : toset([])

  name              = "/aws/opensearch/${local.opensearch_name}/${lower(each.value)}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_resource_policy" "opensearch" {
  count = local.opensearch_count

  policy_name = "${local.opensearch_name}-logs"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "es.amazonaws.com" }
      Action    = ["logs:PutLogEvents", "logs:CreateLogStream"]
      Resource  = [for g in aws_cloudwatch_log_group.opensearch : "${g.arn}:*"]
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_opensearch_domain" "this" {
  #checkov:skip=CKV_AWS_318:Dedicated masters are per profile (3 in production, none in small, where one data node is the whole opt-in domain).
  #checkov:skip=CKV2_AWS_59:Same as CKV_AWS_318: opensearch_dedicated_master_count is 3 in the production profile.
  count = local.opensearch_count

  domain_name    = local.opensearch_name
  engine_version = var.opensearch_engine_version

  cluster_config {
    instance_type            = var.opensearch_instance_type
    instance_count           = var.opensearch_instance_count
    zone_awareness_enabled   = local.opensearch_zones > 1
    dedicated_master_enabled = var.opensearch_dedicated_master_count > 0
    dedicated_master_count   = var.opensearch_dedicated_master_count > 0 ? var.opensearch_dedicated_master_count : null
    dedicated_master_type    = var.opensearch_dedicated_master_count > 0 ? var.opensearch_instance_type : null

    dynamic "zone_awareness_config" {
      for_each = local.opensearch_zones > 1 ? [local.opensearch_zones] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  vpc_options {
    subnet_ids         = slice(var.opensearch_subnet_ids, 0, local.opensearch_zones)
    security_group_ids = [aws_security_group.opensearch[0].id]
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.opensearch_volume_size
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = var.kms_key_arn
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = true
    master_user_options {
      master_user_name     = local.opensearch_user
      master_user_password = data.aws_secretsmanager_secret_version.opensearch[0].secret_string
    }
  }

  # edx-search talks to it with elasticsearch-py 7: answer with an
  # Elasticsearch-7.10-compatible version string.
  advanced_options = {
    "override_main_response_version"         = "true"
    "rest.action.multi.allow_explicit_index" = "true"
  }

  # Fine-grained access control decides who may do what; the resource policy only
  # lets requests reach it (the domain is inside the VPC, behind its security group).
  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "es:ESHttp*"
      Resource  = "${local.opensearch_arn}/*"
    }]
  })

  log_publishing_options {
    log_type                 = "INDEX_SLOW_LOGS"
    enabled                  = true
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["INDEX_SLOW_LOGS"].arn
  }

  log_publishing_options {
    log_type                 = "SEARCH_SLOW_LOGS"
    enabled                  = true
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["SEARCH_SLOW_LOGS"].arn
  }

  log_publishing_options {
    log_type                 = "ES_APPLICATION_LOGS"
    enabled                  = true
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["ES_APPLICATION_LOGS"].arn
  }

  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    enabled                  = true
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.opensearch["AUDIT_LOGS"].arn
  }


  software_update_options {
    auto_software_update_enabled = true
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_resource_policy.opensearch, aws_iam_service_linked_role.opensearch]
}
