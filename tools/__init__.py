"""Developer tools: infrastructure generation and packaging. Never shipped to Lambda."""
