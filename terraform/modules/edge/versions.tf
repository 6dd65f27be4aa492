terraform {
  # 1.7: mock providers in `terraform test`; nothing newer is needed (the origin secret
  # uses a data source plus ignore_changes instead of 1.11 write-only arguments).
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # CloudFront only accepts ACM certificates and CLOUDFRONT-scope WAF web ACLs from
      # us-east-1, so the caller passes a second provider configured for that region.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
