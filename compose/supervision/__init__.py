"""Process supervision of the embedded stack's services (``python -m compose supervise``)."""
