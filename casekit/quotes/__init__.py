"""The article's words: one normalisation for article text and quotes, and what can be read from them.

- normalise: the one written form both sides are compared in (micro sign, times sign,
  superscripts, emphasis, spaces, dashes).
- numbers: the numbers a phrase states, as a curator reads them.
- units: whether a unit's written forms (units.written_forms) occur in a phrase.
- passages: the passage a locator names, found in the article by its opening words,
  and whether a quote's fragments occur in it in order.
- source_files: the article text files of a folder, known by their sha256.
- article: an article's passages in reading order (paragraphs, headings, legends, page inserts)
  and how paragraphs are counted; article_texts: the sources' articles and the locators' passages,
  with why any is missing.
- coverage: which numbers of a case's passages its rows encode, set aside or leave out.
"""
