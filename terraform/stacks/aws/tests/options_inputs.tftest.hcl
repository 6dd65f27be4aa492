# Input validation of the stack: each run plans from an empty state (a file of its own, so
# no plan refreshes the stacks applied by options.tftest.hcl), against the mocked AWS
# provider.

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

run "rejects_unsupported_kubernetes_version" {
  command = plan

  variables {
    kubernetes_version = "1.34"
  }

  expect_failures = [var.kubernetes_version]
}

run "rejects_unknown_profile" {
  command = plan

  variables {
    profile = "large"
  }

  expect_failures = [var.profile]
}

run "rejects_host_with_scheme" {
  command = plan

  variables {
    meilisearch_host = "https://search.learn.example.com"
  }

  expect_failures = [var.meilisearch_host]
}

run "rejects_malformed_route53_zone_id" {
  command = plan

  variables {
    route53_zone_id = "example.com"
  }

  expect_failures = [var.route53_zone_id]
}

run "rejects_world_open_api_endpoint" {
  command = plan

  variables {
    cluster_endpoint_public_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.cluster_endpoint_public_access_cidrs]
}

run "rejects_unknown_alarm_threshold" {
  command = plan
  variables {
    alarm_thresholds = { rds_cpu = 50 }
  }
  expect_failures = [var.alarm_thresholds]
}
