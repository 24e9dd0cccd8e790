"""xpgalaxy."""
