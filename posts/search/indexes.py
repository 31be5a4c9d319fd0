from haystack import indexes

from posts.models import Post


class PostIndex(indexes.SearchIndex, indexes.Indexable):
    """Posts by their words; results are loaded back from the database (posts.search.query)."""

    # The words only: results are ordered by relevance and loaded from the database, and a
    # date field would double the indexing time (Whoosh indexes 16 terms per date).
    text = indexes.CharField(document=True, model_attr="body")

    def get_model(self):
        return Post

    def index_queryset(self, using=None):
        """What the index holds: posts of active users."""
        return self.get_model().objects.visible()
