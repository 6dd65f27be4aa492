# Rotating the secret origin header without 403s: the runs share one state, like three
# applies of the same deployment. The mocked random password draws a different value per
# slot and per run (override_data), so each assertion also shows which value a slot kept.

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
  vpc_cidr_blocks   = ["10.40.0.0/16"]
  public_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

run "origin_header_first_generation" {
  command = apply

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "firstApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "firstApplySlot1" }
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "firstApplySlot1" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "firstApplySlot1" &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["firstApplySlot1"])
    )
    error_message = "Generation 1: CloudFront sends, the ALB accepts and the secret holds one value only."
  }
}

run "origin_header_rotation_window" {
  command = apply

  variables {
    origin_header_generation      = 2
    origin_header_accept_previous = true
  }

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "secondApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "secondApplySlot1" }
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "secondApplySlot0" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "secondApplySlot0"
    )
    error_message = "Generation 2: CloudFront sends the newly drawn value and the secret holds it."
  }

  assert {
    condition     = one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["secondApplySlot0", "firstApplySlot1"])
    error_message = "During the rotation window the ALB accepts the new value and the previous one (kept, not redrawn)."
  }
}

run "origin_header_rotation_done" {
  command = apply

  variables {
    origin_header_generation      = 2
    origin_header_accept_previous = false
  }

  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["0"]
    values = { random_password = "thirdApplySlot0" }
  }
  override_data {
    target = data.aws_secretsmanager_random_password.origin_header["1"]
    values = { random_password = "thirdApplySlot1" }
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.origin_header.secret_string == "secondApplySlot0" &&
      one(one(aws_cloudfront_distribution.this.origin).custom_header).value == "secondApplySlot0" &&
      one(one(aws_lb_listener_rule.from_cloudfront.condition).http_header).values == toset(["secondApplySlot0"])
    )
    error_message = "After the window only the current value passes, and a re-apply keeps it."
  }
}

run "rejects_generation_zero" {
  command = plan

  variables {
    origin_header_generation = 0
  }

  expect_failures = [var.origin_header_generation]
}
