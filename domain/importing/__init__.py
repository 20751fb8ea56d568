"""Importing EHR exports: read a file, validate it whole, upsert it, report what happened."""
