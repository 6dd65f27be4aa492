# Input validation of the edge module: each run plans from an empty state (a file of its
# own, so no plan refreshes the applied resources of edge.tftest.hcl), against the real AWS
# provider schema with both provider configurations mocked.

mock_provider "aws" {
  source = "./tests/mocks/default"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks/us_east_1"
}

variables {
  name = "demo"
  hosts = {
    lms         = "learn.example.com"
    cms         = "studio.learn.example.com"
    mfe         = "apps.learn.example.com"
    meilisearch = "search.learn.example.com"
  }
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_blocks   = ["10.40.0.0/16", "100.64.0.0/16"]
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

run "rejects_size_rule_without_cms" {
  command = plan

  variables {
    waf_host_scoped_common_rules = { SizeRestrictions_BODY = ["lms"] }
  }

  expect_failures = [var.waf_host_scoped_common_rules]
}

run "rejects_duplicate_hosts" {
  command = plan

  variables {
    hosts = {
      lms         = "learn.example.com"
      cms         = "learn.example.com"
      mfe         = "apps.learn.example.com"
      meilisearch = "search.learn.example.com"
    }
  }

  expect_failures = [var.hosts]
}

run "rejects_bad_vpc_cidr_blocks" {
  command = plan

  variables {
    vpc_cidr_blocks = ["10.40.0.0/16", "2001:db8::/56", "10.40.0.0/16"]
  }

  expect_failures = [var.vpc_cidr_blocks]
}

run "rejects_long_name" {
  command = plan

  variables {
    name = "a-name-far-too-long-for-alb"
  }

  expect_failures = [var.name]
}
