"""PostgreSQL only: prefix (LIKE 'x%') indexes for region codes and search tokens, independent of collation."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS regions_region_kode_pattern ON regions_region (kode varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS regions_token_pattern ON regions_regionsearchtoken (token varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS regions_region_kode_pattern",
    "DROP INDEX IF EXISTS regions_token_pattern",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_regionsearchtoken")]
    operations = [migrations.RunPython(forward, backward)]
