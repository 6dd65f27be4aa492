"""Passwords of the throw-away data-store servers the tests start (never real secrets).

A plain module, not conftest.py: test modules import these names, and several test
folders have a conftest.py, so `from conftest import ...` would pick whichever loaded first.
"""

REDIS_PASSWORD = "redis-auth-token-0123456789"
MYSQL_PASSWORD = "openedx-db-password-42"
