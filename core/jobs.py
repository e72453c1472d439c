"""Background jobs that belong to no single app."""

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command


def deliver_email(message):
    """Send one message prepared by core.notifications.send_email."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
    )
    if message.get("html_body"):
        email.attach_alternative(message["html_body"], "text/html")
    email.send()


def publish_scheduled():
    """Publish and unpublish pages whose scheduled time has come (run by rqcron)."""
    call_command("publish_scheduled")
