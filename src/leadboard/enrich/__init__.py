"""Enrichment: what the ML understands of each posting (role, seniority, years, skills, …)."""
