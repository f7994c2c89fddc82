"""Joining PDFs into one, page by page, with flat memory.

Each part is read, its pages and everything they use are written out at once with new
object numbers, and the part is dropped. Only the byte offset of each object and the
list of pages stay in memory until the end, where the page tree and cross-reference
table are written.
"""

from collections import deque
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

CATALOG, PAGES = 1, 2


class PdfJoiner:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets: list[int] = [0, 0]  # objects 1 and 2: the catalog and the page tree
        self.pages: list[int] = []
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets)

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number - 1] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add(self, source: str | BinaryIO) -> int:
        """Append every page of ``source``; return how many pages it had."""
        reader = PdfReader(source)
        numbers: dict[int, int] = {}
        waiting: deque[IndirectObject] = deque()

        def reference(indirect: IndirectObject) -> IndirectObject:
            if indirect.idnum not in numbers:
                numbers[indirect.idnum] = self._reserve()
                waiting.append(indirect)
            return IndirectObject(numbers[indirect.idnum], 0, None)

        def copy(obj: PdfObject) -> PdfObject:
            if isinstance(obj, IndirectObject):
                return reference(obj)
            if isinstance(obj, StreamObject):
                stream = StreamObject()
                stream.update({key: copy(value) for key, value in obj.items()})
                stream.set_data(obj._data)  # still encoded, as read
                return stream
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({key: copy(value) for key, value in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(copy(value) for value in obj)
            return obj

        pages = list(reader.pages)
        for page in pages:
            numbers[page.indirect_reference.idnum] = self._reserve()
        for page in pages:
            number = numbers[page.indirect_reference.idnum]
            copied = DictionaryObject(
                {key: copy(value) for key, value in page.items() if key != "/Parent"}
            )
            copied[NameObject("/Parent")] = IndirectObject(PAGES, 0, None)
            self._write(number, copied)
            self.pages.append(number)
            while waiting:
                indirect = waiting.popleft()
                self._write(numbers[indirect.idnum], copy(indirect.get_object()))
        return len(pages)

    def close(self) -> None:
        """Write the page tree, the catalog and the cross-reference table."""
        tree = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(IndirectObject(n, 0, None) for n in self.pages),
                NameObject("/Count"): NumberObject(len(self.pages)),
            }
        )
        self._write(PAGES, tree)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(PAGES, 0, None),
            }
        )
        self._write(CATALOG, catalog)
        start = self.out.tell()
        self.out.write(f"xref\n0 {len(self.offsets) + 1}\n0000000000 65535 f \n".encode())
        for offset in self.offsets:
            self.out.write(f"{offset:010d} 00000 n \n".encode())
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets) + 1} /Root {CATALOG} 0 R >>\n"
            f"startxref\n{start}\n%%EOF\n".encode()
        )
