"""Test-only plugin extending wftest.ticket."""
