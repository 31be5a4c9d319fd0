from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from messaging.services import TaskAlreadyRunning
from microblog.middleware import own_transactions
from microblog.pagination import page_number, paginate
from social.querysets import people_seen_by

from .forms import PostForm, PostImagesForm, TranslateForm
from .models import Post
from .search.query import search_posts
from .services import create_post, delete_post, start_export
from .translation import TranslationError, translate


@own_transactions  # create_post's transaction is the request's only write
@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    form = PostForm(request.POST or None)
    images_form = PostImagesForm(request.POST or None, request.FILES or None, owner=request.user)
    if all([form.is_valid(), images_form.is_valid()]):
        create_post(
            request.user, form.cleaned_data["post"], images_with_alt=images_form.images_with_alt
        )
        messages.success(request, _("Your post is now live!"))
        return redirect("posts:index")
    page = paginate(request, Post.objects.timeline_for(request.user))
    context = {
        "form": form,
        "images_form": images_form,
        "page": page,
        "posts": page.object_list,
        "title": _("Home"),
    }
    return render(request, "posts/index.html", context)


@login_required
def explore(request):
    page = paginate(request, Post.objects.explore())
    return render(
        request,
        "posts/explore.html",
        {"page": page, "posts": page.object_list, "title": _("Explore")},
    )


@own_transactions  # delete_post's transaction is the request's only write
@login_required
def profile(request, username):
    """A user's page: who they are, their follow counts and their posts, newest first."""
    user = get_object_or_404(people_seen_by(request.user), username__iexact=username)
    page = paginate(request, Post.objects.by(user))
    context = {
        "profile_user": user,
        "page": page,
        "posts": page.object_list,
        "follower_count": user.follower_count,
        "following_count": user.followed_count,
        "is_following": user.viewer_follows and user != request.user,
        "title": user.username,
    }
    return render(request, "posts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, post_id):
    """GET asks for confirmation; POST deletes. Only the author may do either."""
    post = get_object_or_404(Post.objects.with_authors(), pk=post_id)
    if not post.can_be_deleted_by(request.user):
        return HttpResponseForbidden(_("You can only delete your own posts."))
    if request.method == "POST":
        delete_post(post)
        messages.success(request, _("Your post has been deleted."))
        return redirect("posts:profile", request.user.username)
    return render(request, "posts/delete.html", {"post": post, "title": _("Delete post")})


# Nothing is written: no transaction (and no SQLite write lock) held during the outbound call.
@own_transactions
@login_required
@require_POST
def translate_text(request):
    """The Translate link's call: JSON {"text": ...}, or {"error": ...} with a 4xx/5xx."""
    form = TranslateForm(request.POST)
    if not form.is_valid():
        fields = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        summary = " ".join(
            _("%(field)s: %(error)s") % {"field": form.fields[name].label, "error": error}
            for name, errors in fields.items()
            for error in errors
        )
        return JsonResponse({"error": summary, "fields": fields}, status=400)
    try:
        text = translate(**form.cleaned_data)
    except TranslationError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    return JsonResponse({"text": text})


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    if not query:
        return redirect("posts:explore")
    page = search_posts(query, page_number(request))
    return render(
        request,
        "posts/search.html",
        {"page": page, "posts": page.object_list, "query": query, "title": _("Search")},
    )


@login_required
@require_POST
def export_posts(request):
    try:
        start_export(user=request.user)
    except TaskAlreadyRunning:
        messages.error(request, _("An export task is currently in progress."))
    else:
        messages.info(
            request, _("Your posts are being exported: they will arrive by email when ready.")
        )
    return redirect(request.user)
