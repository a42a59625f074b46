"""A results page's generated block is rewritten in place."""
import pytest

from mcmi_razor.apis.study import update_page

BEGIN, END = '<!-- generated: report.py -->', '<!-- end -->'


def test_update_page_replaces_only_the_generated_block(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text(f'intro\n{BEGIN}\nold\n{END}\nafter\n')
    update_page(str(page), BEGIN, END, 'new table\n')
    assert page.read_text() == f'intro\n{BEGIN}\nnew table\n{END}\nafter\n'
    page.write_text('no block here')
    with pytest.raises(ValueError, match='has no generated block'):
        update_page(str(page), BEGIN, END, 'x')
    assert page.read_text() == 'no block here'
