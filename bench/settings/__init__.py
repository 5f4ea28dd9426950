"""One minimal settings module per measured configuration (see ``base``)."""
