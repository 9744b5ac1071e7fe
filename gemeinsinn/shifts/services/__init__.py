"""Every state change of the shifts app: one transaction, locks, an audit row, notifications."""
