"""Improvement plans: the rules a plan is made and measured by (baseline, goal, milestones)."""
