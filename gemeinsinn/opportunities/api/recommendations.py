"""API endpoints; see the module docstring of gemeinsinn.opportunities.api."""
