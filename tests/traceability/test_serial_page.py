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


def _token(html: str) -> str:
    import re

    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_consumer_can_share_the_location_of_their_scan(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    html = client.get(_url(batch, serial)).content.decode()
    assert "data-share-location" in html
    url = reverse("traceability_pages:share_location", args=[batch.short_code, serial])
    response = client.post(url, {"token": _token(html), "lat": "21.3756", "lon": "106.5702"})
    assert response.status_code == 200
    scan = batch.scans.get()
    assert (str(scan.latitude), str(scan.longitude)) == ("21.3756", "106.5702")
    assert type(scan.serial).objects.get(pk=scan.serial_id).scan_count == 1  # not a new scan


def test_location_with_forged_token_or_bad_coordinates_changes_nothing(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    html = client.get(_url(batch, serial)).content.decode()
    url = reverse("traceability_pages:share_location", args=[batch.short_code, serial])
    for data in (
        {"token": "forged:abc", "lat": "21.1", "lon": "105.8"},
        {"token": _token(html), "lat": "999", "lon": "105.8"},
        {"token": _token(html), "lat": "abc", "lon": ""},
    ):
        assert client.post(url, data).status_code == 400
    assert batch.scans.get().latitude is None


def test_location_is_shared_once_per_scan(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    html = client.get(_url(batch, serial)).content.decode()
    url = reverse("traceability_pages:share_location", args=[batch.short_code, serial])
    client.post(url, {"token": _token(html), "lat": "21.3", "lon": "106.5"})
    assert (
        client.post(url, {"token": _token(html), "lat": "10.7", "lon": "106.6"}).status_code == 400
    )
    assert str(batch.scans.get().latitude) == "21.3000"
