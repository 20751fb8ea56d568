"""The built-in salon formats: plugins on the same hook, registered through the same entry point
group (``salon.plugins`` in our ``pyproject.toml``) as any third party's."""
