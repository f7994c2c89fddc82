import factory

from urgentaction.pages.models import Page


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"Page number {n}")
    body = "We write letters.\n\n## Why\n\nBecause they work."
    published = True
