"""The driver's fixtures (moto on 127.0.0.1, the real `tutor` CLI and terraform on the
fixture stacks), shared with tests/driver rather than copied."""

from tests.driver.conftest import (  # noqa: F401 (pytest finds fixtures by name)
    aws_env,
    fixture_secrets,
    fixture_source,
    instance,
    moto_endpoint,
    template_root,
)
