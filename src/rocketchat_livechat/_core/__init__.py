"""Pure code, no I/O: request building, validation, error mapping, retries, DDP framing."""
