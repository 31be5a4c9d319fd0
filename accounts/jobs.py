"""Background jobs of the accounts app."""


def deliver_email(message):
    """Send an already rendered EmailMessage (queued by services.queue_templated_email)."""
    message.send()
