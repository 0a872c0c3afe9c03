"""Shared test set-up. Fixture modules are plugins, one per area, so they stay small."""

pytest_plugins = [
    "tests.plugin_db",
    "tests.plugin_http",
    "tests.plugin_coe",
    "tests.app_support",
]
