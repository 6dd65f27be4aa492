"""Terraform modules and stacks (a package only so that the wheel ships them)."""
