"""Background tasks of the actors app, run by the django-tasks worker."""

from __future__ import annotations

from django_tasks import task

from gemeinsinn.actors.services import stale_reminders_send


@task()
def stale_reminders() -> int:
    """Remind the admins of stale entries (at most once in 30 days each); returns how many."""
    return stale_reminders_send()
