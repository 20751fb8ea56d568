"""The plugin authors' test kit, shipped with the product (``tests/`` is not).

Build facts as planning would see them, run the product's real planner on your plugin, and
check drafts and formats the way the host does::

    from plugins.testing import company, department, format_problems, plan, sample_company, topic

    def test_my_format_is_chosen_for_a_shortfall():
        result = plan(formats=[RetrospectiveCircle()], builtin=True)
        assert result.salon("OPS").format_key == "retrospective_circle"

    def test_my_format_is_sound():
        assert format_problems(RetrospectiveCircle()) == []

Fixtures (``salon_facts``, ``salon_context``, ``salon_topic``, ``salon_plan``) come with one
line in your ``conftest.py``: ``pytest_plugins = ["plugins.testing.fixtures"]``.
See ``docs/plugins.md``.
"""

from plugins.testing.builders import (
    MONTH,
    DepartmentSpec,
    company,
    context,
    department,
    metric,
    sample_company,
    topic,
)
from plugins.testing.running import PlanResult, draft_problems, fits, format_problems, plan, plugin_manager

__all__ = [
    "MONTH",
    "DepartmentSpec",
    "PlanResult",
    "company",
    "context",
    "department",
    "draft_problems",
    "fits",
    "format_problems",
    "metric",
    "plan",
    "plugin_manager",
    "sample_company",
    "topic",
]
