"""Leadboard: a job-search engine for machine-learning leadership roles (see docs/architecture.md)."""
