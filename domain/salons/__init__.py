"""Salons: loading the planning facts, planning a month, and the salons' lifecycle."""
