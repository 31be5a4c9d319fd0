from django.db import migrations


def backfill(apps, schema_editor):
    from posts.language import backfill_languages

    Post = apps.get_model("posts", "Post")
    backfill_languages(Post.objects.filter(language=""))


class Migration(migrations.Migration):
    """Posts written before language detection existed get their language detected."""

    dependencies = [("posts", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
