"""Evaluation harness: labelled postings, fixed splits, metrics printed as tables."""
