"""Content: read the YAML (load), the shapes it must have (models), and check it whole (check)."""
