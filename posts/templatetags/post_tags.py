from django import template

from posts.fragments import render_posts

register = template.Library()


@register.simple_tag(takes_context=True)
def posts_html(context, posts):
    """`{% posts_html posts %}`: the posts as the signed-in user sees them (cached)."""
    return render_posts(posts, context.get("user"))
