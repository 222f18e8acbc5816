"""Tests of the convenience plugin."""
