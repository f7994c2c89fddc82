import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urgentaction.settings")
application = get_wsgi_application()
# What is loaded by now (about 120,000 objects: Django, the apps, their models) lives as
# long as the process: kept out of the collector's full passes, each of which would
# otherwise walk all of it again (about 60 ms, once every few thousand requests).
gc.freeze()
