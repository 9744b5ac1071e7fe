"""/api/v1/alliances: alliances and their target agreements over the API."""
