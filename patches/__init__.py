"""Tutor patches, one file per patch name (a package only so that the wheel ships it)."""
