# Mock values for the backup copy region's provider configuration (backup.tf):
# ARN-typed attributes the copy rule and vault need.
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-0000000000c0" }
}
mock_resource "aws_backup_vault" {
  defaults = { arn = "arn:aws:backup:eu-central-1:123456789012:backup-vault:mock-copy" }
}
