"""``manage.py token``."""
