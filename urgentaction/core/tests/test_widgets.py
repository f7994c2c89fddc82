from urgentaction.lib.widgets import WrappingLine


def test_it_shows_a_line_in_a_box_of_a_few_rows_that_wraps():
    html = WrappingLine(rows=3).render("title", "Free the three", {"maxlength": 200})

    assert html.startswith('<textarea name="title" cols="40" rows="3"')
    assert 'class="vTextField wrapping-line"' in html and 'maxlength="200"' in html


def test_it_reads_line_breaks_back_as_one_space_each():
    widget = WrappingLine()

    value = widget.value_from_datadict({"title": "Free \r\n the\n\nthree "}, {}, "title")

    assert value == "Free the three "


def test_it_leaves_a_missing_value_missing():
    assert WrappingLine().value_from_datadict({}, {}, "title") is None
