"""Payment gateways: Paystack over HTTP, and a local sandbox used when no secret key is set."""
