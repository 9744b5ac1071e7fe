from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gemeinsinn.core.models import Municipality
from gemeinsinn.core.modules import MODULES
from gemeinsinn.core.services import BRANDING_FIELDS


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message at the field it names, the
    rest above the form, so the person sees every message next to what they typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(
        label=_("Modules switched on"),
        choices=[(m.key, m.label) for m in MODULES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BrandingForm(forms.ModelForm[Municipality]):
    class Meta:
        model = Municipality
        fields = [*BRANDING_FIELDS, "logo"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "welcome_text": forms.Textarea(attrs={"rows": 4}),
            "imprint": forms.Textarea(attrs={"rows": 8}),
            "privacy_notice": forms.Textarea(attrs={"rows": 8}),
            "accessibility_statement": forms.Textarea(attrs={"rows": 8}),
            "terms": forms.Textarea(attrs={"rows": 8}),
            "easy_language": forms.Textarea(attrs={"rows": 8}),
        }

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo may be at most 1 MB; please upload a smaller image.")
            )
        return logo


MAX_LOGO_BYTES = 1024 * 1024


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Which barrier did you find?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    page_url = forms.CharField(label=_("On which page? (optional)"), max_length=500, required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your e-mail for a reply (optional)"), required=False)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Person"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return data


class DistrictForm(forms.Form):
    name = forms.CharField(label=_("Name of the Stadtteil"), max_length=150)
