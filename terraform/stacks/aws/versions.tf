terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }

  # Partial configuration: bucket, key, region, encrypt = true and
  # use_lockfile = true come from `terraform init -backend-config=...` (see
  # README.md), so tests can run with -backend=false.
  backend "s3" {}
}
