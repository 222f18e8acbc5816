"""Seed and demo data of the convenience plugin."""
