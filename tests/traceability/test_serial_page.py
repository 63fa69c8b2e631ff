from __future__ import annotations

from django.urls import reverse

from traceability.services import SUSPICIOUS_SCAN_COUNT, generate_serials


def _url(batch, serial):
    return reverse("traceability_pages:serial", args=[batch.short_code, serial])


def test_first_scan_of_a_serial_says_so_and_is_not_cached(batch, client):
    serial = generate_serials(batch, 1)[0]
    response = client.get(_url(batch, serial.serial), HTTP_USER_AGENT="Android 14")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'class="ok"' in response.content.decode()
    serial.refresh_from_db()
    assert serial.scan_count == 1 and serial.first_scanned_at is not None
    assert batch.scans.get().user_agent == "Android 14"


def test_later_scan_shows_first_scan_date_and_count(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    client.get(_url(batch, serial))
    html = client.get(_url(batch, serial)).content.decode()
    assert "2" in html and 'class="box serial"' in html


def test_often_scanned_serial_warns_of_a_copy(batch, client):
    serial = generate_serials(batch, 1)[0]
    type(serial).objects.filter(pk=serial.pk).update(scan_count=SUSPICIOUS_SCAN_COUNT + 5)
    response = client.get(_url(batch, serial.serial))
    assert 'class="box serial suspicious"' in response.content.decode()


def test_unknown_serial_warns_and_is_404(batch, client):
    response = client.get(_url(batch, "FAKEFAKE"))
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()


def test_serial_page_embeds_the_report_form(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    html = client.get(_url(batch, serial)).content.decode()
    assert "csrfmiddlewaretoken" in html
    response = client.post(_url(batch, serial), {"message": "Tem bị bóc", "serial": serial})
    assert response.status_code == 200
    assert batch.problem_reports.get().serial == serial
