"""Builders of hostile and broken inputs, made at test time (nothing large is committed).

Large inputs are made cheaply: a deflate stream of zeros flushed with ``Z_FULL_FLUSH`` repeats
the same few kilobytes for every MiB, so a zip declaring gigabytes is a few megabytes on disk and
takes no gigabytes of memory to build.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

from PIL import Image

MIB = 1 << 20

# the reproducer: a 287-byte PDF with a 14400 x 14400 pt page (50,000 px square at 250 dpi)
BIG_PAGE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]/Contents 4 0 R>>endobj"
    b" 4 0 obj<</Length 29>>stream\n2 w 100 100 m 14000 14000 l S\nendstream endobj"
    b" trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _zero_blocks() -> tuple[bytes, bytes]:
    """(raw deflate of one MiB of zeros, the end of the stream) -- the block repeats exactly."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(bytes(MIB)) + comp.flush(zlib.Z_FULL_FLUSH)
    return block, comp.flush(zlib.Z_FINISH)


def _zero_crc(prefix: bytes, mib: int) -> int:
    crc = zlib.crc32(prefix)
    zeros = bytes(MIB)
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    return crc


def zip_of_zeros(path: Path, members: list[tuple[str, bytes, int]]) -> Path:
    """A zip whose members are ``prefix`` stored as-is plus ``mib`` MiB of zeros, deflated.

    ``members``: (name, prefix, mib).  Sizes stay under 4 GiB (no ZIP64 needed).  The headers
    are honest (sizes and CRC-32 are those of the real content).
    """
    block, end = _zero_blocks()
    central = bytearray()
    with open(path, "wb") as out:
        for name, prefix, mib in members:
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
            size = len(prefix) + mib * MIB
            csize = len(head) + len(block) * mib + len(end)
            crc = _zero_crc(prefix, mib)
            encoded = name.encode()
            offset = out.tell()
            out.write(
                struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, size, len(encoded), 0)
            )
            out.write(encoded)
            out.write(head)
            out.writelines(block for _ in range(mib))
            out.write(end)
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                csize,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            central += encoded
        start = out.tell()
        out.write(central)
        out.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
        )
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(path: Path, side: int = 20000) -> Path:
    """A valid, white, bilevel PNG of ``side`` x ``side`` pixels (a few tens of kB)."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )
    return path


def tiff_with_huge_second_frame(path: Path, side: int = 20000) -> Path:
    """A two-page TIFF: page 1 is an ordinary small page, page 2 is ``side`` x ``side`` (G4, small
    on disk); Pillow's decompression-bomb check looks only at the first frame."""
    small = Image.new("1", (850, 1100), 1)
    huge = Image.new("1", (side, side), 1)
    small.save(path, compression="group4", save_all=True, append_images=[huge])
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def symlink(path: Path, target: str | Path) -> Path:
    os.symlink(target, path)
    return path
