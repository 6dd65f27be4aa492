# Failed backup, copy and restore jobs go to the alerts topic. EventBridge rather than
# vault notifications: a vault can only send BACKUP_JOB_COMPLETED (successes included),
# while the job state-change events carry the state and can be filtered to failures.

locals {
  # A known flag decides the count: a topic ARN made in the same apply is unknown at plan
  # time, and `count` cannot depend on it.
  notify = var.notifications_enabled != null ? var.notifications_enabled : var.notifications_topic_arn != null
}

resource "aws_cloudwatch_event_rule" "job_failed" {
  count = local.notify ? 1 : 0

  name        = "${var.name}-backup-job-failed"
  description = "AWS Backup jobs that failed, aborted or expired (deployment ${var.name})"
  event_pattern = jsonencode({
    source      = ["aws.backup"]
    detail-type = ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"]
    # Restore job events carry no vault name: the rule matches on state, and the
    # message names the resource so a shared account's other jobs are recognisable.
    detail = { state = ["FAILED", "ABORTED", "EXPIRED"] }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "job_failed" {
  count = local.notify ? 1 : 0

  rule      = aws_cloudwatch_event_rule.job_failed[0].name
  target_id = "alerts-topic"
  arn       = var.notifications_topic_arn

  input_transformer {
    input_paths = {
      type  = "$.detail-type"
      state = "$.detail.state"
      id    = "$.id"
      arn   = "$.detail.resourceArn"
      why   = "$.detail.statusMessage"
    }
    input_template = "\"${var.name}: <type> <state> for <arn>: <why> (event <id>)\""
  }
}
