"""The EHR Salon domain: settings, models, periods and services.

Knows nothing of GraphQL or Dramatiq, so the API, the workers and the CLI share one
implementation of every rule.
"""
