from haystack import indexes

from .models import Post


class PostIndex(indexes.SearchIndex, indexes.Indexable):
    """Posts by their words; results are loaded back from the database (posts.search)."""

    text = indexes.CharField(document=True, model_attr="body")
    timestamp = indexes.DateTimeField(model_attr="timestamp")

    def get_model(self):
        return Post

    def index_queryset(self, using=None):
        """What `rebuild_index`/`update_index` write: posts of active users only."""
        return self.get_model().objects.visible()
