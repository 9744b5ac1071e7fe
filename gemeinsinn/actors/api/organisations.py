"""/api/v1/organisations: the directory over the API (same selectors as the HTML views)."""
