"""State changes of the engagement exchange, one module per area."""
