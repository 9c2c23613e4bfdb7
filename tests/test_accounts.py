"""Staff accounts: how passwords are kept, sign-in lockouts, and the second
factor the admin asks for in production."""

import io
import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import config.settings as project_settings

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Staff-passphrase-7"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "amira", "amira@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, username, password, address="203.0.113.7", forwarded_for=None, **fields):
    meta = {"REMOTE_ADDR": address}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, **fields},
        **meta,
    )


def test_passwords_are_hashed_with_argon2(settings, staff):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    staff.set_password(PASSWORD)
    assert staff.password.startswith("argon2$")
    assert staff.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt-pass", "too short"),
        ("password123456", "too common"),
        ("1234567890123", "entirely numeric"),
        ("amira@example.org", "too similar"),
    ],
)
def test_weak_passwords_are_refused(staff, password, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, staff)


def test_a_long_uncommon_password_is_accepted(staff):
    validate_password(PASSWORD, staff)


def test_a_staff_member_signs_in_with_their_password(client, staff):
    assert sign_in(client, "amira", PASSWORD)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sign_in_is_locked_after_five_failures_for_that_username_and_address(client, staff):
    for _ in range(4):
        assert sign_in(client, "amira", "wrong").status_code == 200
    assert sign_in(client, "amira", "wrong").status_code == 429
    locked = sign_in(client, "amira", PASSWORD)
    assert locked.status_code == 429
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_lockout_keeps_to_the_username_and_address_that_failed(
    client, staff, django_user_model
):
    django_user_model.objects.create_user("omar", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "amira", "wrong")
    assert sign_in(client, "amira", PASSWORD, address="198.51.100.20").status_code == 302
    client.logout()
    assert sign_in(client, "omar", PASSWORD).status_code == 302


def test_each_failed_sign_in_is_logged(client, staff, caplog):
    with caplog.at_level(logging.INFO, logger="axes"):
        sign_in(client, "amira", "wrong")
    failures = [record for record in caplog.records if "login failure" in record.getMessage()]
    assert len(failures) == 1
    assert "amira" in failures[0].getMessage()
    assert "203.0.113.7" in failures[0].getMessage()


def test_a_failure_count_is_forgotten_after_a_successful_sign_in(client, staff):
    for _ in range(4):
        sign_in(client, "amira", "wrong")
    sign_in(client, "amira", PASSWORD)
    client.logout()
    for _ in range(4):
        sign_in(client, "amira", "wrong")
    assert sign_in(client, "amira", PASSWORD).status_code == 302


def test_behind_a_configured_proxy_the_lockout_keys_on_the_forwarded_address(
    client, staff, settings
):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for _ in range(5):
        sign_in(client, "amira", "wrong", forwarded_for="spoofed, 192.0.2.1")
    assert sign_in(client, "amira", PASSWORD, forwarded_for="192.0.2.1").status_code == 429
    # Same proxy, another reader: not locked out.
    assert sign_in(client, "amira", PASSWORD, forwarded_for="192.0.2.99").status_code == 302


# Two-factor sign-in.


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def enrolled(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def test_in_production_a_signed_in_staff_member_without_a_second_factor_cannot_reach_the_admin(
    otp_required, client, staff
):
    client.force_login(staff)
    response = client.get("/admin/tracker/event/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_in_production_a_password_alone_does_not_sign_in(otp_required, client, enrolled):
    response = sign_in(client, "amira", PASSWORD)
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_in_production_a_wrong_code_does_not_sign_in(otp_required, client, enrolled):
    wrong = f"{(int(totp(enrolled.bin_key)) + 1) % 1_000_000:06d}"
    sign_in(client, "amira", PASSWORD, otp_token=wrong)
    assert client.get("/admin/").status_code == 302


def test_in_production_the_password_and_the_apps_current_code_sign_in(
    otp_required, client, enrolled
):
    response = sign_in(client, "amira", PASSWORD, otp_token=f"{totp(enrolled.bin_key):06d}")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_second_factor_is_required_by_default_in_production():
    assert project_settings.DEBUG is False
    assert project_settings.OTP_REQUIRED is True


def enrol(*args):
    out = io.StringIO()
    call_command("enrol_totp", *args, stdout=out)
    return out.getvalue()


def test_enrolment_prints_a_qr_code_the_link_and_the_key(staff):
    output = enrol("amira")
    (device,) = TOTPDevice.objects.filter(user=staff, confirmed=True)
    assert "█" in output  # the QR code
    assert f"Link: {device.config_url}" in output
    assert device.config_url.startswith("otpauth://totp/")
    assert "amira" in device.config_url
    key = output.split("Key (to type in by hand): ")[1].splitlines()[0]
    assert len(key.replace(" ", "")) == 32


def test_an_enrolled_app_signs_in(otp_required, client, staff):
    enrol("amira", "--no-qr")
    device = TOTPDevice.objects.get(user=staff)
    sign_in(client, "amira", PASSWORD, otp_token=f"{totp(device.bin_key):06d}")
    assert client.get("/admin/").status_code == 200


def test_enrolment_replaces_an_app_only_when_asked(staff):
    enrol("amira", "--no-qr")
    first = TOTPDevice.objects.get(user=staff)
    with pytest.raises(CommandError, match="already has an authenticator app"):
        enrol("amira", "--no-qr")
    enrol("amira", "--no-qr", "--replace")
    (second,) = TOTPDevice.objects.filter(user=staff)
    assert second.key != first.key


def test_enrolment_refuses_unknown_users_and_readers(django_user_model):
    django_user_model.objects.create_user("reader")
    with pytest.raises(CommandError, match="no user 'nobody'"):
        enrol("nobody")
    with pytest.raises(CommandError, match="not staff"):
        enrol("reader")


def test_there_are_no_demo_logins_in_production(django_user_model):
    with pytest.raises(CommandError, match="only in development"):
        call_command("demo_login", stdout=io.StringIO())
    assert not django_user_model.objects.exists()
