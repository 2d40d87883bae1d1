"""Ranking: the content entries, their lexical and semantic indexes, and the signals fused into one order."""
