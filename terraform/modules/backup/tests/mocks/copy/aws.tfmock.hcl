# Mock values for the copy region's provider configuration (eu-central-1): an ARN in
# an assertion shows which configuration created the resource.
mock_resource "aws_backup_vault" {
  defaults = { arn = "arn:aws:backup:eu-central-1:111122223333:backup-vault:demo-copy" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-0000000000c0" }
}
