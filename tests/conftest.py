"""Fixtures come from ``core.testing`` (the pytest plugin ``wuye``, registered by the package): the
database (``engine``, ``session``, ``seeded``, ``make_estate``, ``make_actor``) and the web app
(``conn``, ``factory``, ``app``, ``api_client``), whose requests are bound to the test's connection
with ``create_savepoint``, so the app commits as it would in production (savepoints here) and
nothing survives the test.
"""
