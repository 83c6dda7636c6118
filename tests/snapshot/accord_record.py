"""The record of an accord index's document (its Xapian document data), read as a dict.

Index version 9 stores it binary (lib/record.h): the byte 0x01, then id, title, lang, date,
type, url and path, each a varint length and its UTF-8 bytes, then a varint count of parties
and each party so, then the topics so. Version 8 and before stored compact JSON.
"""
import json

FIELDS = ("id", "title", "lang", "date", "type", "url", "path")


def _varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        if not c & 0x80:
            return v, i
        shift += 7


def _str(b, i):
    n, i = _varint(b, i)
    if i + n > len(b):
        raise ValueError("a field runs past the record's end")
    return b[i : i + n].decode("utf-8"), i + n


def decode(data):
    """A dict of the record's fields (bytes in); ValueError when it is not a record."""
    if not data.startswith(b"\x01"):
        return json.loads(data.decode("utf-8"))
    try:
        rec, i = {}, 1
        for f in FIELDS:
            rec[f], i = _str(data, i)
        for f in ("parties", "topics"):
            n, i = _varint(data, i)
            rec[f] = []
            for _ in range(n):
                s, i = _str(data, i)
                rec[f].append(s)
    except IndexError:
        raise ValueError("the record ends inside a field") from None
    if i != len(data):
        raise ValueError("%d bytes after the record" % (len(data) - i))
    return rec
