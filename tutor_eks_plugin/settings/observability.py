"""Settings of observability (docs/observability.md): who gets the alerts, how long the
container logs stay, and the alarm thresholds users commonly change.

They reach the stage-1 stack as the variables alert_emails, container_log_retention_days
and alarm_thresholds (terraform/stacks/aws/observability.tf). EKS_ALERTS_TOPIC_ARN is
written by `tutor eks infra apply` from the stage-1 output alerts_topic_arn.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from . import Setting
from .validators import ListOf, Pattern, Validator

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SNS_TOPIC_RE = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")

# The retentions CloudWatch Logs accepts; 0 keeps the profile's (30 small, 90 production).
LOG_RETENTION_DAYS = (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
                      1096, 1827, 2192, 2557, 2922, 3288, 3653)

# Alarm thresholds a user may override, with what each one is in words. The names are
# those of local.alarm_thresholds in terraform/stacks/aws/observability.tf (a test keeps
# the two lists equal).
ALARM_THRESHOLDS: dict[str, str] = {
    "rds_cpu_percent": "MySQL CPU, %",
    "rds_free_storage_gib": "MySQL free storage, GiB (alarm below)",
    "mysql_connections_percent": "MySQL connections, % of max_connections",
    "docdb_cpu_percent": "DocumentDB CPU, %",
    "docdb_free_local_storage_gib": "DocumentDB free local storage, GiB (alarm below)",
    "docdb_replica_lag_ms": "DocumentDB reader replica lag, ms",
    "redis_engine_cpu_percent": "ElastiCache engine CPU, %",
    "redis_memory_percent": "ElastiCache memory use, %",
    "redis_evictions": "ElastiCache evictions per 5 minutes",
    "alb_elb_5xx": "5xx answered by the ALB itself per 5 minutes",
    "alb_target_5xx": "5xx answered by NGINX/Open edX per 5 minutes",
    "alb_p99_seconds": "ALB target response time p99, seconds",
    "cloudfront_5xx_percent": "CloudFront 5xx error rate, %",
    "waf_blocked_requests": "WAF blocked requests per 5 minutes",
    "evaluation_periods": "5-minute periods a condition must last before the alarm",
}


@dataclass
class RetentionDays(Validator):
    @property
    def allowed(self) -> str:  # type: ignore[override]
        days = ", ".join(map(str, LOG_RETENTION_DAYS[1:]))
        return f"0 (the profile's retention) or one of {days}"

    def ok(self, value: t.Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return value in LOG_RETENTION_DAYS


@dataclass
class Thresholds(Validator):
    """A mapping of known threshold names to non-negative numbers."""

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return "a mapping of threshold names to numbers >= 0; names: " + ", ".join(ALARM_THRESHOLDS)

    def ok(self, value: t.Any) -> bool:
        if not isinstance(value, dict):
            return False
        for name, number in value.items():
            if name not in ALARM_THRESHOLDS:
                return False
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                return False
            if name.endswith("_percent") and not 0 < number <= 100:
                return False
            if name == "evaluation_periods" and not (isinstance(number, int) and 1 <= number <= 12):
                return False
        return True


SETTINGS: list[Setting] = [
    Setting(
        "ALERT_EMAILS",
        [],
        ListOf(Pattern(EMAIL_RE, "an e-mail address such as 'ops@example.com'")),
        "E-mail addresses subscribed to the alert topics (CloudWatch alarms and Prometheus "
        "alerts). AWS mails each address a confirmation link first. Empty: nobody.",
    ),
    Setting(
        "CONTAINER_LOG_RETENTION_DAYS",
        0,
        RetentionDays(),
        "Days CloudWatch Logs keeps every container's output. 0: the profile's retention "
        "(30 days small, 90 production).",
    ),
    Setting(
        "ALARM_THRESHOLDS",
        {},
        Thresholds(),
        "CloudWatch alarm thresholds that replace the profile's, by name (for example "
        "{alb_p99_seconds: 3}); names and defaults in docs/observability.md.",
    ),
    Setting(
        "ALERTS_TOPIC_ARN",
        "",
        Pattern(SNS_TOPIC_RE, "an SNS topic ARN or ''", True),
        "SNS topic of the alerts, used by `tutor eks alerts test` (written by "
        "`tutor eks infra apply`).",
    ),
]
