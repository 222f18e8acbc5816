"""Tests of the keys plugin (KF18)."""
