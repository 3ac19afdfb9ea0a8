"""Django's own Spanish admin speaks as usted; recruiters read tú on the pages they use."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from tests.factories import PostingFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def test_django_s_admin_strings_say_tu_in_spanish():
    with translation.override("es"):
        assert translation.gettext("You may edit it again below.") == (
            "Puedes volver a editarlo abajo."
        )
        assert translation.ngettext(
            "Please correct the error below.", "Please correct the errors below.", 2
        ) == ("Corrige los siguientes errores.")
        assert translation.gettext("Select %s to change") == "Elige %s para modificar"


def test_a_spanish_recruiter_reads_tu_on_the_change_list_and_after_saving(client):
    posting = PostingFactory()
    recruiter = RecruiterFactory(company=posting.company, language="es")
    client.force_login(recruiter)

    page = client.get(reverse("admin:jobs_jobposting_changelist")).content.decode()
    invalid = client.post(reverse("admin:jobs_jobposting_add"), {"title": ""})

    assert "Seleccione" not in page
    assert "Corrige" in invalid.content.decode()
    assert "corrija" not in invalid.content.decode().lower()
    assert not list(get_messages(invalid.wsgi_request))
