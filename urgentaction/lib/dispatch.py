from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def by_method(*, read: View, write: View) -> View:
    """One address served by two views: POST goes to ``write``, every other method to
    ``read`` (which answers 405 to those it does not take). The combined view is exempt
    from CSRF checks exactly when ``write`` is."""

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        chosen = write if request.method == "POST" else read
        return chosen(request, *args, **kwargs)

    view.csrf_exempt = getattr(write, "csrf_exempt", False)
    return view
