# Switches, applied against the mocked AWS provider (input validation: options_inputs.tftest.hcl).

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

mock_provider "aws" {
  alias  = "backup_copy"
  source = "./tests/mocks/backup_copy"
}

variables {
  name             = "tutor-opts"
  region           = "eu-west-1"
  lms_host         = "learn.example.com"
  cms_host         = "studio.learn.example.com"
  mfe_host         = "apps.learn.example.com"
  meilisearch_host = "search.learn.example.com"
}

run "bring_your_own_mongodb" {
  variables {
    profile                = "production"
    bring_your_own_mongodb = true
  }

  assert {
    condition     = module.mongodb.settings == null && module.mongodb.instance_count == 0
    error_message = "No DocumentDB resource exists when MongoDB is brought by the user."
  }
  assert {
    condition = alltrue([
      output.mongodb_host == null,
      output.mongodb_port == null,
      output.mongodb_admin_username == null,
      output.mongodb_admin_secret_arn == null,
    ])
    error_message = "Every mongodb_* output is null in bring-your-own mode."
  }
  assert {
    condition     = output.mysql_host != null && output.redis_host != null
    error_message = "The other stores are still created."
  }
}

run "outputs_contract" {
  variables {
    profile = "small"
    # An unset Tutor setting arrives as "": no Route53 zone, like null (with a zone the
    # mocked certificate has no validation options and the records could not apply).
    route53_zone_id = ""
  }

  # Every stage-1 output of docs/outputs-contract.md that is never null.
  assert {
    condition = alltrue([for v in [
      output.name, output.region, output.cluster_name, output.cluster_endpoint,
      output.cluster_version, output.vpc_id, output.mysql_host, output.mysql_admin_username,
      output.mysql_admin_secret_arn, output.redis_host, output.redis_auth_secret_arn,
      output.meilisearch_url, output.meilisearch_master_key_secret_arn,
      output.efs_file_system_id, output.efs_access_point_id, output.media_role_arn,
      output.node_role_arn, output.load_balancer_controller_role_arn,
      output.cluster_autoscaler_role_arn, output.ebs_csi_role_arn, output.efs_csi_role_arn,
      output.alb_target_group_arn, output.alb_security_group_id, output.alb_dns_name,
      output.cloudfront_domain_name,
    ] : v != null && v != ""])
    error_message = "A non-nullable contract output is empty."
  }
  assert {
    condition     = output.name == "tutor-opts" && output.region == "eu-west-1" && output.cluster_name == "tutor-opts"
    error_message = "name, region and cluster_name echo the inputs."
  }
  assert {
    condition     = output.redis_port == 6379 && output.mongodb_port == 27017
    error_message = "Ports are published as numbers."
  }
  assert {
    condition     = startswith(output.meilisearch_url, "http://") && endswith(output.meilisearch_url, ":7700")
    error_message = "meilisearch_url points at port 7700 of the private host."
  }
  assert {
    condition     = length(output.public_subnet_ids) == 3 && length(output.private_subnet_ids) == 3
    error_message = "Subnet lists are published."
  }
}

run "longest_name_fits_every_name_limit" {
  # 21 characters, the most var.name allows: IAM name prefixes (38), the
  # OpenSearch domain name (28), ElastiCache ids (40) and the bucket name (63)
  # must still be valid for the provider.
  variables {
    name                 = "abcdefghij-klmnopqrst"
    profile              = "production"
    opensearch_enabled   = true
    media_bucket_enabled = true
  }

  assert {
    condition     = length("${output.name}-search") <= 28
    error_message = "The OpenSearch domain name exceeds 28 characters."
  }
}
