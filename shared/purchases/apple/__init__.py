"""The App Store: signed data, the App Store Server API, legacy receipts, notifications V2."""

# The longest signed transaction or renewal info we take (Apple's are a few KB). Here, not in
# signed_data, so request models can use it without loading Apple's verifier at cold start.
MAX_JWS_LENGTH = 64_000
