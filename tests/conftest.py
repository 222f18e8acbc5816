"""Fixtures come from ``core.testing`` (the pytest plugin ``wuye``, registered by the package)."""
