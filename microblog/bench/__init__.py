"""The benchmark's parts: the site under gunicorn, the load tool, the scenarios."""
