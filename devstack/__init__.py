"""The local stack: launcher, job runner, demo data and portal build. Never shipped to Lambda."""
