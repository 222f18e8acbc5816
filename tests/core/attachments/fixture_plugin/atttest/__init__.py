"""Test-only plugin: inspection reports that take attachments (tables atttest_...)."""
