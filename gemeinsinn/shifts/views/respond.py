"""The answer page behind the links of a shift reminder: "I'm coming" / "I can't come".

No login: the signed token is the credential, so the page shows nothing beyond that one shift
and the person's first name. Mail scanners follow links, so GET only shows the shift and the
prefilled button; the POST records the answer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gemeinsinn.core.forms import add_service_errors
from gemeinsinn.core.http import MunicipalRequest
from gemeinsinn.core.routing import mredirect
from gemeinsinn.shifts.models import Signup
from gemeinsinn.shifts.selectors.attendance import signup_for_answer
from gemeinsinn.shifts.services import reminders as services

ANSWERS = (services.YES, services.NO)


class CantComeForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the organisation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, late: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["message"]
        if late:
            field.required = True
            field.help_text = _(
                "The shift begins soon, so the organisation needs a short message: why can't "
                "you come?"
            )
        else:
            field.label = _("Message to the organisation (optional)")


def _invalid(request: MunicipalRequest, status: int) -> HttpResponse:
    return render(request, "shifts/respond_invalid.html", status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request: MunicipalRequest, token: str) -> HttpResponse:
    """Show one shift with the answer button (GET) and record the answer (POST)."""
    signup_id = services.answer_token_signup_id(token=token)
    if signup_id is None:
        return _invalid(request, 400)
    signup = signup_for_answer(municipality=request.municipality, signup_id=signup_id)
    if signup is None:
        return _invalid(request, 404)
    source = request.POST if request.method == "POST" else request.GET
    answer = source.get("antwort", "")
    if answer not in ANSWERS:
        answer = ""
    state = services.answer_state(signup=signup)
    form = CantComeForm(
        request.POST if request.method == "POST" and answer == services.NO else None,
        late=state.late,
    )
    status = 200
    if request.method == "POST":
        if not answer:
            return _invalid(request, 400)
        if answer == services.YES or form.is_valid():
            message = form.cleaned_data.get("message", "") if answer == services.NO else ""
            try:
                services.signup_respond(
                    signup=signup, coming=answer == services.YES, message=message
                )
            except ValidationError as exc:
                if answer == services.YES:
                    messages.error(request, " ".join(exc.messages))
                    return mredirect("shifts:respond", request.municipality, token=token)
                # Shown next to the message the person typed, which stays in the form.
                add_service_errors(form, exc)
            else:
                messages.success(request, _done_message(answer))
                return mredirect("shifts:respond", request.municipality, token=token)
        status = 400
    return render(
        request,
        "shifts/respond_page.html",
        {
            "signup": signup,
            "shift": signup.shift,
            "first_name": signup.volunteer.first_name,
            "answer": answer,
            "state": state,
            "form": form,
            "token": token,
            "YES": services.YES,
            "NO": services.NO,
            "Response": Signup.Response,
        },
        status=status,
    )


def _done_message(answer: str) -> str:
    if answer == services.YES:
        return _("Thank you! The organisation knows that you are coming.")
    return _("Thank you for telling us. Your place is given up and the organisation knows.")


urlpatterns: list[URLPattern] = [
    path("antwort/<str:token>/", respond, name="respond"),
]
