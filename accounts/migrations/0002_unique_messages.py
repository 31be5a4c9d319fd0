"""The case-insensitive uniqueness constraints name their field and say what to do.

AlterConstraint: the index in the database is the same, only the check's message changes."""

import django.db.models.functions.text
from django.db import migrations

import accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="user",
            name="user_username_ci_unique",
            constraint=accounts.models.UniqueIgnoringCase(
                django.db.models.functions.text.Lower("username"),
                name="user_username_ci_unique",
                violation_error_code="unique",
                violation_error_message="Please use a different username.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="user_email_ci_unique",
            constraint=accounts.models.UniqueIgnoringCase(
                django.db.models.functions.text.Lower("email"),
                name="user_email_ci_unique",
                violation_error_code="unique",
                violation_error_message="Please use a different email address.",
            ),
        ),
    ]
