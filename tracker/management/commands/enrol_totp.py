import io
from base64 import b32encode

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Enrol a staff member's authenticator app for two-factor sign-in to the "
        "admin: prints a QR code to scan, the otpauth:// link it encodes, and the "
        "key for typing in by hand. Hand them over privately."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the app already enrolled (a lost phone): its codes stop working.",
        )
        parser.add_argument("--no-qr", action="store_true", help="Print no QR code.")

    def handle(self, *args, username, replace, no_qr, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username} is not staff: the admin would not let them in.")
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=None)
        if devices.exists() and not replace:
            raise CommandError(
                f"{username} already has an authenticator app enrolled; "
                "use --replace to enrol a new one instead."
            )
        devices.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

        if not no_qr:
            code = qrcode.QRCode(border=2)
            code.add_data(device.config_url)
            picture = io.StringIO()
            code.print_ascii(out=picture, invert=True)
            self.stdout.write(picture.getvalue())
        self.stdout.write(f"Link: {device.config_url}")
        self.stdout.write(f"Key (to type in by hand): {device_key(device)}")
        self.stdout.write(
            f"{username} signs in to the admin with their password and the 6-digit "
            "code the app shows. Anyone holding this key can make those codes."
        )


def device_key(device):
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
