"""xparray."""
