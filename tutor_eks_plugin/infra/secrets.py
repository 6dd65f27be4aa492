"""Secret values from AWS Secrets Manager, fetched with boto3 and never printed.

The region comes from the Tutor config (or the stack's ``region`` output); an
endpoint override (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECRETS_MANAGER) is honoured by
boto3 itself. Error messages name the secret's ARN and the AWS error code only.
"""

from __future__ import annotations

import json
import typing as t

from tutor import exceptions


class SecretUnavailable(exceptions.TutorError):
    """A secret could not be read."""


class SecretReader:
    def __init__(self, region: str) -> None:
        self.region = region
        self._client: t.Any = None
        self._cache: dict[str, str] = {}

    def _secrets_manager(self) -> t.Any:
        if self._client is None:
            import boto3  # imported late: only `infra apply|output` needs it

            self._client = boto3.client("secretsmanager", region_name=self.region)
        return self._client

    def string(self, arn: str, purpose: str) -> str:
        if arn in self._cache:
            return self._cache[arn]
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._secrets_manager().get_secret_value(SecretId=arn)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "unknown error")
            raise SecretUnavailable(
                f"Could not read the secret for {purpose} ({arn}) in {self.region}: {code}. "
                "Check the AWS credentials and their secretsmanager:GetSecretValue right."
            ) from None
        except BotoCoreError as exc:
            raise SecretUnavailable(
                f"Could not read the secret for {purpose} ({arn}) in {self.region}: "
                f"{exc}. Check the AWS credentials and network access."
            ) from None
        value = response.get("SecretString")
        if not isinstance(value, str) or not value:
            raise SecretUnavailable(f"The secret for {purpose} ({arn}) has no string value.")
        self._cache[arn] = value
        return value

    def json_key(self, arn: str, key: str, purpose: str) -> str:
        raw = self.string(arn, purpose)
        try:
            document = json.loads(raw)
        except ValueError:
            document = None
        if not isinstance(document, dict) or not isinstance(document.get(key), str):
            # Say what is wrong with the shape, never what the value is.
            raise SecretUnavailable(
                f"The secret for {purpose} ({arn}) is not a JSON object with a string {key!r} key."
            )
        return t.cast(str, document[key])
