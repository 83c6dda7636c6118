#!/usr/bin/env python3
"""Writes a minimal, valid one-page PDF 1.4 for the indexer tests.

usage: make_pdf.py OUT.pdf [--encrypted]

The page shows a few lines in Helvetica (a standard-14 font, not embedded)
with WinAnsiEncoding, so accented Latin letters are single bytes (é = 0xE9).
The /Info dictionary carries /Title and /CreationDate. The cross-reference
table holds the exact byte offset of every object.

--encrypted adds a Standard security handler whose /O and /U strings match
no password (not even the empty one): a reader must refuse the document as
encrypted, so the indexer has to skip it with a reason.

Only the standard library; no network.
"""
import sys

TITLE = "Minimal Test Report PDF"
CREATION_DATE = "D:20190514103000+02'00'"
LINES = [
    "Minimal test report",
    "This page carries the unique word pdfbodyword for the indexer tests.",
    "It also has an accented word: \u00e9copdfword (WinAnsi encoding).",
    "Regional partners agree on r\u00e9sum\u00e9s of their water projects.",
]


def pdf_string(text):
    """A PDF literal string in WinAnsi (cp1252) bytes, with ( ) \\ escaped."""
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\"
        out.append(b)
    out += b")"
    return bytes(out)


def build(encrypted):
    content = bytearray(b"BT\n/F1 12 Tf\n14 TL\n72 720 Td\n")
    for line in LINES:
        content += pdf_string(line) + b" Tj T*\n"
    content += b"ET\n"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + bytes(content)
        + b"endstream",
        b"<< /Title " + pdf_string(TITLE) + b" /Producer (accord make_pdf.py) /CreationDate "
        + pdf_string(CREATION_DATE) + b" >>",
    ]
    if encrypted:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
            b"/O <" + b"5a" * 32 + b"> /U <" + b"a5" * 32 + b"> >>"
        )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(i).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n"
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R /Info 6 0 R"
    if encrypted:
        trailer += (b" /Encrypt 7 0 R /ID [<" + b"0123456789abcdef" * 2 + b"> <"
                    + b"0123456789abcdef" * 2 + b">]")
    trailer += b" >>"
    out += b"trailer\n" + trailer + b"\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


def main(argv):
    if len(argv) < 2 or len(argv) > 3 or (len(argv) == 3 and argv[2] != "--encrypted"):
        sys.stderr.write("usage: make_pdf.py OUT.pdf [--encrypted]\n")
        return 2
    with open(argv[1], "wb") as f:
        f.write(build(len(argv) == 3))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
