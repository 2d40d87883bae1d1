"""Text analysis: normalisation, words and terms, stems and typos, scripts and languages, what a question asks."""
