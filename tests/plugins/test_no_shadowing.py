"""No test folder is importable under a product package's name: ``tests/plugins`` once shadowed
``plugins`` for an author whose editable install resolved packages after pytest's test folders."""

from __future__ import annotations

import sys
from pathlib import Path

import api
import domain
import plugins
import workers

TESTS = Path(__file__).resolve().parents[1]


def test_the_product_packages_are_the_products():
    for package in (api, domain, plugins, workers):
        assert package.__file__ is not None and TESTS not in Path(package.__file__).resolve().parents
    assert hasattr(plugins, "SalonFormat")


def test_no_test_folder_is_on_the_import_path():
    entries = {Path(entry or ".").resolve() for entry in sys.path}
    assert not any(entry == TESTS or TESTS in entry.parents for entry in entries)
