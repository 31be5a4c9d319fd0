from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from microblog.pagination import paginate

from . import services
from .querysets import followed_by, followers_of, people_seen_by

User = get_user_model()


def _active_user(username):
    return get_object_or_404(User, username__iexact=username, is_active=True)


def _back(request, user):
    """Back to where the button was pressed when that is on this site, else to the profile."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("posts:profile", user.username)


@login_required
@require_POST
def follow(request, username):
    user = _active_user(username)
    try:
        services.follow(request.user, user)
    except services.FollowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You are following %(username)s!") % {"username": user.username}
        )
    return _back(request, user)


@login_required
@require_POST
def unfollow(request, username):
    user = _active_user(username)
    try:
        services.unfollow(request.user, user)
    except services.FollowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You are not following %(username)s.") % {"username": user.username}
        )
    return _back(request, user)


def _people_page(request, user, people, title):
    page = paginate(request, people)
    return render(
        request,
        "social/follow_list.html",
        {"profile_user": user, "page": page, "people": page.object_list, "title": title},
    )


@login_required
def followers(request, username):
    user = _active_user(username)
    title = _("Followers of %(username)s") % {"username": user.username}
    return _people_page(request, user, followers_of(user), title)


@login_required
def following(request, username):
    user = _active_user(username)
    title = _("%(username)s is following") % {"username": user.username}
    return _people_page(request, user, followed_by(user), title)


@login_required
@require_GET
def popup(request, username):
    user = get_object_or_404(people_seen_by(request.user), username__iexact=username)
    context = {
        "popup_user": user,
        "follower_count": user.follower_count,
        "following_count": user.followed_count,
        "is_following": user.viewer_follows and user != request.user,
    }
    return render(request, "social/popup.html", context)
