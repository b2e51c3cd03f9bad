"""Business logic shared by the REST routes and the DDP layer (functions taking ``ServerState``)."""
