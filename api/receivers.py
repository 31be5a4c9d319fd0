"""What the API does when the accounts app says something happened."""

from django.dispatch import receiver

from accounts.signals import password_changed

from .models import Token


@receiver(password_changed, dispatch_uid="api.revoke_tokens_on_password_change")
def revoke_tokens(sender, user, **kwargs):
    """A new password (changed, or reset by email) ends every API token issued before it."""
    Token.objects.filter(user=user).delete()
