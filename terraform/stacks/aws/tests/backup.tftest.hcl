# The backup module as the stack composes it, per profile, against the mocked AWS
# provider (the module's own tests hold the detailed assertions).

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
  name             = "tutor-bk"
  region           = "eu-west-1"
  lms_host         = "learn.example.com"
  cms_host         = "studio.learn.example.com"
  mfe_host         = "apps.learn.example.com"
  meilisearch_host = "search.learn.example.com"
}

run "production_backups" {
  command = apply

  variables {
    profile                        = "production"
    backup_copy_region             = "eu-central-1"
    backup_notifications_topic_arn = "arn:aws:sns:eu-west-1:123456789012:tutor-bk-alerts"
  }

  assert {
    condition = (
      module.backup.settings.vault_lock && module.backup.settings.vault_lock_min_days == 30 &&
      module.backup.settings.daily_retention_days == 35 && module.backup.settings.monthly_retention_days == 365 &&
      module.backup.settings.continuous_retention_days == module.mysql.settings.backup_retention_period
    )
    error_message = "Production: vault lock (30 days), daily 35 days, monthly 1 year, PITR window equal to the RDS retention."
  }
  assert {
    condition     = module.backup.settings.vault_kms_key_arn == aws_kms_key.main.arn
    error_message = "The vault is encrypted with the deployment key."
  }
  assert {
    condition = toset(module.backup.settings.daily_resources) == toset([
      module.mysql.instance_arn, module.mongodb.cluster_arn, module.storage.efs_file_system_arn,
      "arn:aws:ec2:eu-west-1:123456789012:volume/${module.search.meilisearch_data_volume_id}",
    ])
    error_message = "The daily plan selects the stack's RDS instance, DocumentDB cluster, EFS and Meilisearch volume."
  }
  assert {
    condition     = module.backup.settings.copy_region == "eu-central-1" && module.backup.copy_vault_arn == "arn:aws:backup:eu-central-1:123456789012:backup-vault:mock-copy"
    error_message = "EKS_BACKUP_COPY_REGION creates the copy vault through the backup_copy provider."
  }
  assert {
    condition     = module.backup.settings.notifications && output.backup_vault_name == "tutor-bk"
    error_message = "Failures go to the topic; the vault is named after the deployment."
  }
}

run "small_backups" {
  command = plan

  variables {
    profile                = "small"
    bring_your_own_mongodb = true
  }

  assert {
    condition = (
      !module.backup.settings.vault_lock && module.backup.settings.daily_retention_days == 7 &&
      module.backup.settings.monthly_retention_days == 0 && module.backup.settings.continuous_retention_days == 7 &&
      module.backup.settings.copy_region == null && module.backup.settings.notifications
    )
    error_message = "Small: no lock, daily 7 days, PITR 7 days, no copy; failures go to the deployment's alerts topic by default (known at plan time although the topic is not created yet)."
  }
  assert {
    condition     = !contains(keys(module.backup.protected_resources), "mongodb")
    error_message = "With MongoDB brought from outside, no DocumentDB is selected."
  }
}
