import datetime as dt

from canbo.core.models import AuditEvent
from canbo.people.models import Person


def test_nul_byte_in_a_form_is_refused_with_400_and_nothing_changes(client, world):
    client.force_login(world.editor_a)
    response = client.post(
        "/people/new/",
        {
            "id_number": "001080000001",
            "family_name": "Lê",
            "given_name": "Bình\x00",
            "sex": "M",
            "birth_date": "01/02/1980",
            "unit": world.xa.pk,
        },
    )
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_nul_byte_in_a_query_is_refused(client, world):
    client.force_login(world.viewer_a)
    assert client.get("/people/", {"search": "a\x00b"}).status_code == 400
    assert client.get("/people/", {"search": "nguyen"}).status_code == 200


def test_clean_input_passes_through(client, world):
    client.force_login(world.editor_a)
    response = client.post(
        "/people/new/",
        {
            "id_number": "001080000001",
            "family_name": "Lê",
            "given_name": "Bình",
            "sex": "M",
            "birth_date": "01/02/1980",
            "unit": world.xa.pk,
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().birth_date == dt.date(1980, 2, 1)
