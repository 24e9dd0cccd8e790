"""Light and mass profiles and their shared geometry."""
