# Mock values for the deployment region's provider configuration.
mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}
mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_resource "aws_backup_vault" {
  defaults = { arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:demo" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/demo-backup-0001" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::demo-backups-111122223333-eu-west-1" }
}
