"""People: the user identity (one across municipalities), municipality-scoped roles, consent
records, self-service data export and deletion, MFA enforcement for staff roles."""
