terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
      # The copy vault (and its key) live in a second region: the caller passes a
      # provider configuration for it, even when no copy is made (then it may point
      # at the deployment's own region; nothing is created through it).
      configuration_aliases = [aws.copy]
    }
  }
}
