terraform {
  # 1.7: mock providers in `terraform test`.
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # CloudWatch alarms only notify topics of their own region, and CloudFront and
      # CLOUDFRONT-scope WAF metrics only exist in us-east-1: the caller passes a second
      # provider configured for that region.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
