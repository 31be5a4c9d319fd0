import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_backfill_migration_detects_the_language_of_existing_posts():
    executor = MigrationExecutor(connection)
    executor.migrate([("posts", "0001_initial")])
    old_apps = executor.loader.project_state([("posts", "0001_initial")]).apps
    User = old_apps.get_model("accounts", "User")
    Post = old_apps.get_model("posts", "Post")
    author = User.objects.create(username="old", email="old@example.com")
    spanish = Post.objects.create(author=author, body="Mis alumnos escribieron cuentos cortos hoy.")
    short = Post.objects.create(author=author, body="ok")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    new_post = executor.loader.project_state().apps.get_model("posts", "Post")
    assert new_post.objects.get(pk=spanish.pk).language == "es"
    assert new_post.objects.get(pk=short.pk).language == ""
