"""xplens."""
