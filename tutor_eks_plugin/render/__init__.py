"""Rendering helpers: routes, the offline check."""
