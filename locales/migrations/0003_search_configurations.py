from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# Frozen copy of locales.languages.STEMMERS as it stood when this migration was written.
STEMMERS = ["english", "french", "german", "spanish", "portuguese"]


def create_sql(stemmer: str) -> str:
    # A copy of the stock configuration whose words lose their accents before stemming, so that
    # "developpeur" finds "développeur" and "informacao" finds "informação".
    return f"""
        CREATE TEXT SEARCH CONFIGURATION jobboard_{stemmer} (COPY = pg_catalog.{stemmer});
        ALTER TEXT SEARCH CONFIGURATION jobboard_{stemmer}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}_stem;
    """


class Migration(migrations.Migration):
    dependencies = [("locales", "0002_regions")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        *[
            migrations.RunSQL(
                create_sql(stemmer),
                f"DROP TEXT SEARCH CONFIGURATION IF EXISTS jobboard_{stemmer};",
            )
            for stemmer in STEMMERS
        ],
    ]
