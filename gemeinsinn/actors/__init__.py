"""Actors & network: the registry of organisations of a municipality (clubs, agencies,
businesses, administration units, …) and who belongs to them."""
