"""The person's notifications page: how often to be mailed, and the news itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gemeinsinn.accounts import notifications
from gemeinsinn.accounts.models import MailFrequency


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("E-mails about my applications and engagements"),
        choices=MailFrequency.choices,
        widget=forms.RadioSelect,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_page(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = FrequencyForm(
        request.POST if action == "settings" else None,
        initial={"frequency": notifications.notification_frequency(user=request.user)},
    )
    if action == "settings" and form.is_valid():
        notifications.notification_settings_save(
            user=request.user, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Your settings have been saved."))
        return redirect("accounts:notifications")
    if action == "read":
        raw = request.POST.get("notification", "")
        ids = [int(raw)] if raw.isdigit() else None
        notifications.notifications_mark_read(user=request.user, ids=ids)
        return redirect("accounts:notifications")
    return render(
        request,
        "accounts/notifications.html",
        {
            "form": form,
            "notifications": notifications.notifications_for(user=request.user),
            "unread": notifications.notifications_unread_count(user=request.user),
        },
        status=400 if form.errors else 200,
    )
