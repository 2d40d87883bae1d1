"""The e5 runtime: multilingual-e5-small's weights, tokenizer and graph, the encoder and its vector cache."""
