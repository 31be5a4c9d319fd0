from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from social.models import Follow


class PostQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-timestamp", "-id")

    def with_authors(self):
        return self.select_related("author")

    def visible(self):
        """Posts of active users: a deactivated user's posts leave every list."""
        return self.filter(author__is_active=True)

    def by(self, user):
        return self.filter(author=user).with_authors().newest_first()

    def explore(self):
        return self.visible().with_authors().newest_first()

    def timeline_for(self, user):
        """`user`'s own posts and those of everyone active they follow, newest first.

        The authors' activity is checked on the short list of followed users, not by joining
        every post to its author, so that the page's rows can be picked from the covering
        `post_newest` index alone (see microblog.pagination).
        """
        followed = Follow.objects.filter(follower=user, followed__is_active=True).values(
            "followed_id"
        )
        authors = models.Q(author__in=followed)
        if user.is_active:
            authors |= models.Q(author=user)
        return self.filter(authors).with_authors().newest_first()


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("author"),
    )
    body = models.CharField(_("body"), max_length=140)
    timestamp = models.DateTimeField(_("timestamp"), default=timezone.now)
    language = models.CharField(_("language"), max_length=5, blank=True, default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            # author last: the timeline walks this index newest first and filters on it
            # without reading the table (covering index)
            models.Index(fields=["-timestamp", "-id", "author"], name="post_newest"),
            models.Index(fields=["author", "-timestamp", "-id"], name="post_author_newest"),
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return self.body[:50]

    def can_be_deleted_by(self, user):
        """Only the author may delete a post (on the site and through the API)."""
        return user.is_authenticated and self.author_id == user.pk


class IndexChange(models.Model):
    """A post whose entry in the search index may be out of date (posts.search.sync).

    Written in the transaction that changes the post (or its author's activity), and deleted
    once the index agrees with the database about that post: the index's durable to-do list.
    """

    post_id = models.BigIntegerField(_("post id"))

    class Meta:
        verbose_name = _("pending search index change")
        verbose_name_plural = _("pending search index changes")

    def __str__(self):
        return f"post {self.post_id}"
