import math

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microblog.pagination import paginate

from . import services
from .forms import MessageForm
from .models import Message, Notification


@login_required
@require_http_methods(["GET", "POST"])
def send_message(request, username):
    recipient = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    form = MessageForm(request.POST or None)
    if form.is_valid():
        services.send_message(request.user, recipient, form.cleaned_data["message"])
        messages.success(request, _("Your message has been sent."))
        return redirect(recipient)
    context = {"form": form, "recipient": recipient, "title": _("Send Message")}
    return render(request, "messaging/send_message.html", context)


@login_required
def inbox(request):
    """Received messages, newest first; opening the inbox reads them all."""
    page = paginate(request, Message.objects.received_by(request.user))
    services.mark_messages_read(request.user)
    context = {"page": page, "private_messages": page.object_list, "title": _("Messages")}
    return render(request, "messaging/messages.html", context)


@login_required
@require_GET
def notifications(request):
    """What changed for the signed-in user after `since` (Unix time), oldest first."""
    try:
        since = float(request.GET.get("since", 0))
    except ValueError:
        since = math.nan
    if not math.isfinite(since):
        return JsonResponse(
            {"error": "Bad Request", "message": _("“since” must be a Unix time in seconds.")},
            status=400,
        )
    found = Notification.objects.for_user_since(request.user, since)
    return JsonResponse([notification.as_json() for notification in found], safe=False)


@login_required
@require_POST
def dismiss_task(request):
    """The user closes a task's failure alert; back to the page they were on."""
    services.dismiss_task(user=request.user, task_id=request.POST.get("task_id", ""))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("posts:index")
