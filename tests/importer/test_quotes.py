from importer.quotes import mask_quotes


def test_text_without_quotes_is_returned_as_is():
    assert mask_quotes("市发改局牵头,市财政局配合") == "市发改局牵头,市财政局配合"


def test_the_inside_of_book_title_and_quote_marks_is_blanked_keeping_the_length():
    text = "落实《市政府工作规则》和“最多跑一次”改革"
    masked = mask_quotes(text)
    assert masked == "落实《" + "□" * 7 + "》和“" + "□" * 5 + "”改革"
    assert len(masked) == len(text)


def test_nested_quotes_stay_blank_until_the_outer_mark_closes():
    assert mask_quotes("《关于“三改一拆”的通知》要求") == "《□□“□□□□”□□□》要求"


def test_a_stray_closing_mark_does_not_open_a_blank_run():
    assert mask_quotes("”局要做好") == "”局要做好"
