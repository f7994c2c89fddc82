"""A response's PDF, made safe to publish as campaign photos are (campaigns/photos.py):
stored under a random name, without its hidden details (the document information and
XMP metadata: author, software, dates, which can name an official or the person a
letter was addressed to), and without what a viewer would run on opening it
(JavaScript, actions, attached files). It is served as a download, from our own view,
only once the response is published (``views.document``)."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

MOST_BYTES = 10 * 1024 * 1024
FOLDER = "responses"
# What the document's catalogue may carry that runs or hides things.
DROPPED = ("/Metadata", "/OpenAction", "/AA", "/AcroForm")
DROPPED_NAMES = ("/JavaScript", "/EmbeddedFiles")


def document_name(response: object, filename: str) -> str:
    """A name that says nothing of the uploaded file's, new with each file."""
    return f"{FOLDER}/{uuid.uuid4().hex}.pdf"


def clean_document(data: bytes) -> bytes:
    """The PDF in ``data`` without its hidden details; ValueError if it is not a PDF
    that can be read without a password."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValueError("a PDF that needs a password")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        root = writer.root_object
        for key in DROPPED:
            root.pop(NameObject(key), None)
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            for key in DROPPED_NAMES:
                names.pop(NameObject(key), None)
        for page in writer.pages:
            page.pop(NameObject("/AA"), None)
        # What nothing refers to any more would still be written out.
        writer.compress_identical_objects(remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, KeyError, TypeError, AttributeError) as error:
        raise ValueError("the PDF cannot be read") from error
    return out.getvalue()


def validate_document(file) -> None:
    if file.size > MOST_BYTES:
        raise ValidationError(_("Choose a PDF of 10 MB or less."))
    file.seek(0)
    try:
        clean_document(file.read())
    except ValueError:
        raise ValidationError(_("Choose a PDF file that opens without a password.")) from None
    finally:
        file.seek(0)


def store_document(response) -> None:
    """Before a response is saved: a newly chosen PDF is stored without its hidden details;
    the file it replaces (or that was cleared) goes once the save commits."""
    previous = ""
    if response.pk:
        stored = type(response).objects.filter(pk=response.pk).values_list("document", flat=True)
        previous = stored.first() or ""
    if response.document and not response.document._committed:
        response.document.seek(0)
        cleaned = clean_document(response.document.read())
        response.document.save("response.pdf", ContentFile(cleaned), save=False)
    if previous and previous != response.document.name:
        transaction.on_commit(lambda: default_storage.delete(previous))
