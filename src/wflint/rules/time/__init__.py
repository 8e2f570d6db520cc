"""WFL1xx: time — wall-clock reads and blocking sleeps."""
