"""Test-only plugin: a ticket workflow with deadlines (tables wftest_...)."""
