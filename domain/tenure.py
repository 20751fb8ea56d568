"""What counts as a new hire — one rule for the gap engine's drivers, the planner's facts and
the demo's stories (glossary: "new hire: < 180 days at period end").

Six months is the usual probation-and-onboarding span in the HR practice this product serves;
a driver split at this line tells a salon whether a gap is an onboarding problem.
"""

NEW_HIRE_DAYS = 180  # days with us at the period's end below which someone is a new hire
