from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gemeinsinn.accounts import services
from gemeinsinn.accounts.models import User
from gemeinsinn.core.models import Municipality


class SignupExtraForm(forms.Form):
    """The fields allauth's sign-up form adds after e-mail and password."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=_("Some opportunities and the Ehrenamtskarte have age limits."),
    )
    home_municipality = forms.ModelChoiceField(
        label=_("Your municipality"),
        queryset=Municipality.objects.filter(is_active=True),
        required=False,
        empty_label=_("– not stated –"),
    )
    guardian_name = forms.CharField(
        label=_("Name of a parent or guardian (only under 16)"), max_length=200, required=False
    )
    parental_consent = forms.BooleanField(
        label=_("A parent or guardian agrees that I use this platform (only under 16)."),
        required=False,
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and have read the privacy notice."),
        error_messages={"required": _("Please accept the terms of use to create an account.")},
    )
    newsletter = forms.BooleanField(
        label=_("Send me news about engagement in my town."), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise ValidationError(_("The date of birth lies in the future."))
        if today.year - born.year > 120:
            raise ValidationError(_("Please check the year of birth."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("date_of_birth")
        if born is not None:
            today = timezone.localdate()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age < services.PARENTAL_CONSENT_AGE:
                if not data.get("guardian_name", "").strip():
                    self.add_error(
                        "guardian_name",
                        _("Under 16, please enter the name of a parent or guardian."),
                    )
                if not data.get("parental_consent"):
                    self.add_error(
                        "parental_consent", _("Under 16, a parent or guardian must agree.")
                    )
        return data

    def signup(self, request: HttpRequest, user: User) -> None:
        data = self.cleaned_data
        services.signup_complete(
            user=user,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            date_of_birth=data["date_of_birth"],
            guardian_name=data.get("guardian_name", ""),
            parental_consent=bool(data.get("parental_consent")),
            newsletter=bool(data.get("newsletter")),
            home_municipality=data.get("home_municipality"),
        )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    home_municipality = forms.ModelChoiceField(
        label=_("Your municipality"),
        queryset=Municipality.objects.filter(is_active=True),
        required=False,
        empty_label=_("– not stated –"),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password
