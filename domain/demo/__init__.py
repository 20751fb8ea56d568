"""A fictional Chinese company's HR exports, written as the import templates (``domain.importing.templates``).

The demo data carries known stories (see ``domain.demo.stories``) so that the analytics and the
salon planning can be shown, and tested, against outcomes decided in advance.
"""

from domain.demo.generator import FIRST_MONTH, KINDS, LAST_MONTH, generate, write_templates

__all__ = ["FIRST_MONTH", "KINDS", "LAST_MONTH", "generate", "write_templates"]
