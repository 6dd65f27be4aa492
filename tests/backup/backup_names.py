"""Names shared by the backup tests and their fixtures (a plain module, not conftest.py:
several test folders have a conftest.py, so `from conftest import ...` is ambiguous)."""

REGION = "us-east-1"
NAME = "demo"
MYSQL_PASSWORD = "openedx-db-password-42"
