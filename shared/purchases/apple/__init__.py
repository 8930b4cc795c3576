"""The App Store: signed data, the App Store Server API, legacy receipts, notifications V2."""
