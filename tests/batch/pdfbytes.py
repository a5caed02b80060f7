"""Tiny hand-written PDFs for the batch tests: blank pages, optionally with an /Encrypt trailer."""

from __future__ import annotations


def pdf_bytes(n_pages: int, width: int = 300, *, encrypted: bool = False) -> bytes:
    """A valid PDF of ``n_pages`` blank pages ``width`` x 400 pt (``width`` makes contents differ).

    ``encrypted``: the trailer names a Standard security handler (RC4 40-bit) whose /U entry
    matches no password, so a reader cannot open the file without one.
    """
    kids = " ".join(f"{3 + i} 0 R" for i in range(n_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode(),
    ]
    objects += [
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} 400] >>".encode() for _ in range(n_pages)
    ]
    trailer_extra = b""
    if encrypted:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <"
            + b"ab" * 32
            + b"> /U <"
            + b"cd" * 32
            + b"> >>"
        )
        trailer_extra = f" /Encrypt {len(objects)} 0 R /ID [<{'01' * 16}> <{'01' * 16}>]".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R{trailer_extra.decode()} >>".encode()
    return assemble(objects, trailer)


def assemble(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF of ``objects`` (numbered from 1) with a correct cross-reference table and ``trailer``
    (the dictionary, ``<< ... >>``)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += b"trailer\n" + trailer + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
