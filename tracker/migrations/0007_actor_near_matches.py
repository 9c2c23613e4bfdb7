from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm, for near matches among actors' names (Actor.objects.similar_to).
    Django creates the extension on PostgreSQL only."""

    dependencies = [
        ("tracker", "0006_claim_party_and_scope"),
    ]

    operations = [
        TrigramExtension(),
    ]
