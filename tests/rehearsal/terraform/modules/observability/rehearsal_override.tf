# Rehearsal on moto only (tests/rehearsal/test_rehearsal.py lists every piece set aside).
# moto has no Pod Identity association API.

resource "aws_eks_pod_identity_association" "this" {
  for_each = {}
}
