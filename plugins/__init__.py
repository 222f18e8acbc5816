"""In-tree Wuye plugins, one sub-package per chapter of the service manual."""
