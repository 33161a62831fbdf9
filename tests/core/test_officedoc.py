"""The official document format's page: numbers from page 2, centred at the top."""

import io

from docx import Document

from canbo.core.officedoc import new_document, paragraph


def test_page_numbers_from_the_second_page():
    document = new_document()
    paragraph(document, "Nội dung")
    data = io.BytesIO()
    document.save(data)
    section = Document(io.BytesIO(data.getvalue())).sections[0]
    assert section.different_first_page_header_footer is True
    header = section.header._element.xml
    assert 'w:instr="PAGE"' in header and "<w:jc w:val=\"center\"/>" in header
    assert section.first_page_header.paragraphs[0].text == ""
