from django import forms
from django.utils.translation import gettext_lazy as _

from gemeinsinn.actors.models import Organisation, OrganisationType
from gemeinsinn.actors.services import EDITABLE_FIELDS


class OrganisationForm(forms.ModelForm[Organisation]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("all types")), *OrganisationType.choices]
    )
