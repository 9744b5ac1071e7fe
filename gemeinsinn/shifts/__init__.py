"""Shifts: recurring shifts of an organisation's plans, sign-up with waitlist, reminders,
check-in and calendar feeds. Part of the engagement exchange module; builds on opportunities."""
