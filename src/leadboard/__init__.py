"""Leadboard: a job-search engine for machine-learning leadership roles.

The map of the package is docs/architecture.md.
"""
