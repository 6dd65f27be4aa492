# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no MonitorInstances, which the provider calls for detailed monitoring.

resource "aws_instance" "meilisearch" {
  monitoring = false
}
