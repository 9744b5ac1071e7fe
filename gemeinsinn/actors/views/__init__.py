"""HTML views of the actors app, one module per area; each module lists its own urlpatterns."""
