# Input validation of the stack, planned from an empty state (a file of its own, so the
# plan refreshes no applied stack), against the mocked AWS provider. One run sets six
# invalid variables and lists all six in expect_failures: terraform fails the run if any
# listed variable does not report its validation error, so each rejection is still
# proven on its own. Two rejections of the same variable need two runs.

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

run "rejects_invalid_inputs" {
  command = plan

  variables {
    kubernetes_version                   = "1.34"
    profile                              = "large"
    meilisearch_host                     = "https://search.learn.example.com"
    route53_zone_id                      = "example.com"
    cluster_endpoint_public_access_cidrs = ["0.0.0.0/0"]
    alarm_thresholds                     = { rds_cpu = 50 }
  }

  expect_failures = [
    var.kubernetes_version,
    var.profile,
    var.meilisearch_host,
    var.route53_zone_id,
    var.cluster_endpoint_public_access_cidrs,
    var.alarm_thresholds,
  ]
}
