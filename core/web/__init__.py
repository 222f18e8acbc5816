"""The web layer: Flask app factory, staff admin and the JSON API (built from plugin specs)."""
