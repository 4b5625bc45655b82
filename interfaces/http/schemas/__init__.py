"""Request and response bodies of the HTTP API (Appendix A of the spec)."""
