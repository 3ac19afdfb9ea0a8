from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import AlertFrequency


class AlertForm(forms.Form):
    """The address and rhythm of a job alert; the search itself comes from the list's own
    parameters, through JobFilter."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertFrequency,
        initial=AlertFrequency.DAILY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "alert_%s")
        super().__init__(*args, **kwargs)
