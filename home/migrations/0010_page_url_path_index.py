from django.db import migrations

# home.routing finds the pages along an address by their url_path, which Wagtail
# does not index: each uncached page view read the whole page table (3 to 4 ms at
# the benchmark's 12,000 pages). Plain SQL, valid on PostgreSQL and SQLite alike.


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_failedlogin"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS wagtailcore_page_url_path_idx ON wagtailcore_page (url_path);",
            "DROP INDEX IF EXISTS wagtailcore_page_url_path_idx;",
        )
    ]
