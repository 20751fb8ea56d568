"""Background computation: Dramatiq actors around pure Polars functions.

Import ``workers.broker`` (and configure it) before ``workers.actors``: an actor binds its
broker when it is declared.
"""
