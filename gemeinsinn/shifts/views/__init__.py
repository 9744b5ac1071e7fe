"""Views of the shifts app, one module per area; each module owns its URL patterns."""
