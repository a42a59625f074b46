"""A results page whose tables a study's report writes: the generated
block between two marker lines
(:func:`mcmi_razor.fileio.replace_block`), rewritten in place."""
from mcmi_razor.fileio import replace_block, write_text_atomic


def update_page(path: str, begin: str, end: str, text: str) -> None:
    """Set the block between the lines ``begin`` and ``end`` of the
    Markdown page at ``path`` to ``text``; the rest of the page is kept as
    it is, and a write cut short leaves the old page."""
    with open(path) as f:
        page = f.read()
    write_text_atomic(path, replace_block(page, begin, end, text))
