"""The organisers' submissions and stages pages, and the public gallery."""
