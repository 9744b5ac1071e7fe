"""The engagement exchange: opportunities and offers, search, volunteer profiles, matching,
applications that become engagements, and the agency-brokered mode (advice, then referral)."""
