"""GUIDs derived from content (uuid5), so one study written twice gives a byte-identical project and a code keeps
its GUID from run to run (a team that re-imports the project sees the same codes, not copies)."""

from __future__ import annotations

import re
import uuid

_NAMESPACE = uuid.UUID("5b0c7f4e-2f1e-4c57-9a51-7465656d6121")  # teema's own namespace, fixed for good
# XML 1.0 allows tab, newline, carriage return and these ranges only; anything else makes lxml refuse the text.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def guid(*parts: str) -> str:
    """A stable GUID for one thing in the project, e.g. guid("code", "T03") or guid("selection", segment_id)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))


def xml_text(value: object) -> str:
    """Text that XML can carry: characters XML 1.0 forbids (NUL, other control characters) are dropped."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _NOT_XML.sub("", str(value))
